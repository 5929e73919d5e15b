package component

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"switchboard/component/api"
	"switchboard/component/config"
	"switchboard/component/desk"
	"switchboard/component/link"
	"switchboard/store"
)

// Version is switchboard's version.
var Version = desk.Version

// Daemon is one switchboard wired together: the link to the server, the
// desk and its HTTP side, over an open store.
type Daemon struct {
	cfg  atomic.Pointer[config.Config]
	st   *store.Store
	log  *slog.Logger
	link *link.Link
	desk *desk.Desk
	api  *api.Server
	ch   *channels

	reloads       *prometheus.CounterVec
	purgeFailures prometheus.Counter
}

// Options configure New.
type Options struct {
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// Now is the desk's clock; nil means time.Now.
	Now func() time.Time
	// XMLLog receives a copy of the XML stream when set (-vv); every
	// event the desk handles is logged then too.
	XMLLog func(in bool, data []byte)
}

// New wires a daemon over an open store; the desk resumes every
// conversation the store holds. Run starts it.
func New(cfg *config.Config, st *store.Store, o Options) (*Daemon, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Registerer == nil {
		o.Registerer = prometheus.NewRegistry()
	}
	echo := echoPrefix()
	d := &Daemon{st: st, log: o.Logger}
	d.cfg.Store(cfg)
	f := promauto.With(o.Registerer)
	d.reloads = f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_config_reloads_total", Help: "Configuration reloads (SIGHUP), by result: ok, invalid (the file has errors), refused (the desk cannot apply it)."}, []string{"result"})
	for _, r := range []string{"ok", "invalid", "refused"} {
		d.reloads.WithLabelValues(r)
	}
	d.purgeFailures = f.NewCounter(prometheus.CounterOpts{Name: "switchboard_purge_failures_total", Help: "Retention runs that failed."})
	// The link hands what arrives to the desk, and the desk sends through
	// the link: the handler is set once both exist.
	h := &handler{}
	d.link = link.New(link.Options{Address: cfg.XMPP.Address, Domain: cfg.XMPP.Domain, Secret: cfg.XMPP.Secret,
		Logger: o.Logger, Registerer: o.Registerer, XMLLog: o.XMLLog, Echo: echo}, h)
	dk, err := desk.New(cfg, st, d.link, desk.Options{Logger: o.Logger, Registerer: o.Registerer, Now: o.Now, Echo: echo, Trace: o.XMLLog != nil})
	if err != nil {
		return nil, err
	}
	h.Desk = dk
	d.desk = dk
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if d.ch, err = newChannels(cfg, st, dk, o.Logger, o.Registerer, now); err != nil {
		return nil, err
	}
	d.api = api.New(dk, st, api.Options{Logger: o.Logger, Registerer: o.Registerer, RoomPrefix: cfg.XMPP.RoomPrefix, Token: cfg.HTTP.APIToken, Outbox: d.ch.sender})
	return d, nil
}

// handler is the link's Handler: the desk, once it exists.
type handler struct{ *desk.Desk }

// echoPrefix is the id prefix of the desk's groupchat messages in this
// process: random, so that nobody else's message looks like the desk's.
func echoPrefix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "sb" + hex.EncodeToString(b) + "-"
}

// Run serves until ctx ends, then leaves every room and closes the
// stream. The store is left open for the caller to close.
func (d *Daemon) Run(ctx context.Context) error {
	lctx, stopLink := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	sctx, stopSender := context.WithCancel(context.Background())
	wg.Add(3)
	go func() { defer wg.Done(); d.link.Run(lctx) }()
	go func() { defer wg.Done(); d.purgeLoop(ctx) }()
	go func() { defer wg.Done(); d.ch.run(sctx) }()
	goodbye := d.desk.Run(ctx)
	d.link.Close(goodbye)
	stopLink()
	stopSender()
	wg.Wait()
	return nil
}

// Ready reports whether the desk is connected with its store open.
func (d *Daemon) Ready() bool { return d.desk.Ready() }

// Handler serves the HTTP side: health, metrics, status and the API, the
// channels' endpoints and the links to stored files.
func (d *Daemon) Handler(g prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	d.ch.routes(mux)
	mux.Handle("/", d.api.Handler(g))
	return mux
}

// Reload applies a configuration read again, or refuses it with the
// reason; the running configuration stays then.
func (d *Daemon) Reload(ctx context.Context, cfg *config.Config) error {
	if err := d.desk.Reload(ctx, cfg); err != nil {
		d.reloads.WithLabelValues("refused").Inc()
		return err
	}
	d.cfg.Store(cfg)
	d.ch.configure(cfg)
	d.api.SetToken(cfg.HTTP.APIToken)
	d.reloads.WithLabelValues("ok").Inc()
	return nil
}

// Invalid counts a reload whose file had errors.
func (d *Daemon) Invalid() { d.reloads.WithLabelValues("invalid").Inc() }
