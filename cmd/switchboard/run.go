package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"switchboard/component"
	"switchboard/component/config"
	"switchboard/store"
)

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return component.Version
}

func cmdRun(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "switchboard.toml", "configuration file")
	var lf logFlags
	lf.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	cfg, err := config.Load(*path)
	if err != nil {
		var es config.Errors
		if errors.As(err, &es) {
			for _, e := range es {
				fmt.Fprintln(stderr, e)
			}
			return exitError(1)
		}
		return err
	}
	log := lf.logger(stderr)
	return serve(ctx, cfg, log, lf.xmlLog(log), nil)
}

// serve runs the desk and its HTTP listener until ctx ends. started, if
// set, is called once both are up.
func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, xmlLog func(bool, []byte), started func(httpAddr string)) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	st, err := store.Open(cfg.Store.Path, store.Options{Registerer: reg})
	if err != nil {
		return err
	}
	defer st.Close()
	desk, err := component.New(cfg, st, component.Options{Logger: log, Registerer: reg, XMLLog: xmlLog})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	srv := &http.Server{Handler: desk.Handler(reg), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "err", err)
		}
	}()
	log.Info("switchboard started", "version", version(), "xmpp", cfg.XMPP.Address, "domain", cfg.XMPP.Domain, "http", ln.Addr().String(), "store", cfg.Store.Path)
	if started != nil {
		started(ln.Addr().String())
	}
	err = desk.Run(ctx)
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	log.Info("switchboard stopped")
	return err
}
