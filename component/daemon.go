package component

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"switchboard/component/config"
	"switchboard/store"
)

// ServeOptions configure Serve.
type ServeOptions struct {
	Logger *slog.Logger
	// XMLLog receives a copy of the XML stream (-vv).
	XMLLog func(in bool, data []byte)
	// Started is called once the desk and its HTTP listener are up.
	Started func(httpAddr string)
}

// Serve is the daemon: it opens the store, runs the desk and its HTTP
// listener until ctx ends, and closes everything in order.
func Serve(ctx context.Context, cfg *config.Config, o ServeOptions) error {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	st, err := store.Open(cfg.Store.Path, store.Options{Registerer: reg, CommitDelay: cfg.Store.CommitDelay})
	if err != nil {
		return err
	}
	defer st.Close()
	desk, err := New(cfg, st, Options{Logger: log, Registerer: reg, XMLLog: o.XMLLog})
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
	log.Info("switchboard started", "version", Version, "xmpp", cfg.XMPP.Address, "domain", cfg.XMPP.Domain, "http", ln.Addr().String(), "store", cfg.Store.Path)
	if o.Started != nil {
		o.Started(ln.Addr().String())
	}
	err = desk.Run(ctx)
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	log.Info("switchboard stopped")
	return err
}
