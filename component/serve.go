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
	// Reload, when it delivers, has the configuration read again from
	// cfg.File and applied (SIGHUP).
	Reload <-chan struct{}
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
	st, err := store.Open(cfg.Store.Path, store.Options{Registerer: reg, ApplyEvery: cfg.Store.ApplyEvery, Linger: cfg.Store.Linger})
	if err != nil {
		return err
	}
	if st.Replayed > 0 {
		log.Info("store: applied the write-ahead log's records the database did not hold", "records", st.Replayed)
	}
	defer st.Close()
	d, err := New(cfg, st, Options{Logger: log, Registerer: reg, XMLLog: o.XMLLog})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	srv := &http.Server{Handler: d.Handler(reg), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "err", err)
		}
	}()
	log.Info("switchboard started", "version", Version, "xmpp", cfg.XMPP.Address, "domain", cfg.XMPP.Domain, "http", ln.Addr().String(), "store", cfg.Store.Path)
	if o.Started != nil {
		o.Started(ln.Addr().String())
	}
	if o.Reload != nil {
		go d.reloadOn(ctx, o.Reload, cfg.File)
	}
	err = d.Run(ctx)
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	log.Info("switchboard stopped")
	return err
}

// reloadOn reads the configuration file again whenever reload delivers:
// a file with errors is logged line by line and changes nothing, a file
// the desk cannot apply is refused with the reason, and a good one is
// applied without dropping any conversation.
func (d *Daemon) reloadOn(ctx context.Context, reload <-chan struct{}, path string) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-reload:
		}
		cfg, err := config.Load(path)
		if err != nil {
			d.Invalid()
			var es config.Errors
			if errors.As(err, &es) {
				for _, e := range es {
					d.log.Error("configuration not reloaded: "+e.Error(), "file", path)
				}
			} else {
				d.log.Error("configuration not reloaded", "file", path, "err", err)
			}
			continue
		}
		if err := d.Reload(ctx, cfg); err != nil {
			d.log.Error("configuration not reloaded: "+err.Error(), "file", path)
			continue
		}
		d.log.Info("configuration reloaded", "file", path)
	}
}
