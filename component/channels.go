package component

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard/component/channel"
	"switchboard/component/channel/hook"
	"switchboard/component/channel/twilio"
	"switchboard/component/config"
	"switchboard/component/desk"
	"switchboard/component/texts"
	"switchboard/store"
	"switchboard/store/inbox"
	"switchboard/store/outbox"
)

// channels are the ways in and out besides XMPP: the [[channel]]s'
// endpoints, the files they store, the outbox's sender that delivers
// replies and [[webhook]] calls. A reloaded configuration replaces the
// endpoints and deliverers; what is in the outbox stays.
type channels struct {
	st      *store.Store
	desk    *desk.Desk
	log     *slog.Logger
	files   *channel.Files // serves: it needs only the directory
	links   *channel.Links
	sender  *channel.Sender
	metrics *channel.Metrics
	client  *http.Client
	now     func() time.Time

	endpoints atomic.Pointer[map[string]http.Handler] // by channel name
}

// FilesDir is where a store's files are kept: beside its database.
func FilesDir(storePath string) string { return storePath + ".files" }

func newChannels(cfg *config.Config, st *store.Store, dk *desk.Desk, log *slog.Logger, reg prometheus.Registerer, now func() time.Time) (*channels, error) {
	var key []byte
	if err := st.Update(context.Background(), func(tx *store.Tx) (err error) { key, err = inbox.LinkKey(tx); return err }); err != nil {
		return nil, err
	}
	var names []string
	for _, ch := range cfg.Channels {
		names = append(names, ch.Name)
	}
	c := &channels{st: st, desk: dk, log: log.With("component", "channels"), now: now,
		files:   &channel.Files{Dir: FilesDir(cfg.Store.Path)},
		links:   &channel.Links{Key: key}, // verifies: it needs only the key
		metrics: channel.NewMetrics(reg, names),
		client:  &http.Client{Timeout: 30 * time.Second},
	}
	c.sender = &channel.Sender{Store: st, Done: dk.OutboxDone, Log: c.log, Now: now, Metrics: c.metrics.Sender}
	c.configure(cfg)
	dk.Links = &channel.Links{Key: key, Base: cfg.HTTP.PublicURL, TTL: cfg.Files.LinkTTL} // the desk's own, changed on reload
	dk.Outgoing = func(entries []*outbox.Entry) { c.sender.Add(entries...) }
	return c, nil
}

// configure sets the endpoints and deliverers of cfg. It runs before the
// desk starts and on a reload, while requests go on: what it changes is
// swapped whole.
func (c *channels) configure(cfg *config.Config) {
	files := &channel.Files{Dir: c.files.Dir, Limits: channel.Limits{MaxSize: cfg.Files.MaxSize, MaxFiles: cfg.Files.MaxFiles, Types: cfg.Files.Types}}
	endpoints := map[string]http.Handler{}
	routes := &channel.Routes{Deliverers: map[string]channel.Deliverer{}, Policies: map[string]channel.Policy{}}
	for _, ch := range cfg.Channels {
		routes.Policies[ch.Name] = channel.Policy{MaxAttempts: ch.MaxAttempts, MaxAge: ch.MaxAge}
		switch ch.Kind {
		case "twilio":
			entry, _ := cfg.Entry(ch.Entry)
			t := &twilio.Channel{Cfg: ch, Desk: c.desk, Files: files, Client: c.client, Log: c.log, Metrics: c.metrics,
				Lang: func() *texts.Lang { return cfg.Texts.For(entry.Language, "") }}
			endpoints[ch.Name] = t
			routes.Deliverers[ch.Name] = t
		case "hook":
			endpoints[ch.Name] = &hook.Channel{Cfg: ch, Desk: c.desk, Files: files, Client: c.client, Log: c.log, Metrics: c.metrics, Now: c.now}
			if ch.ReplyURL != "" {
				routes.Deliverers[ch.Name] = &hook.Poster{URL: ch.ReplyURL, Secret: ch.Secrets[0], Client: c.client, Now: c.now}
			}
		}
	}
	for _, w := range cfg.Webhooks {
		routes.Deliverers[w.URL] = &hook.Poster{URL: w.URL, Secret: w.Secrets[0], Client: c.client, Now: c.now}
	}
	c.endpoints.Store(&endpoints)
	c.sender.SetRoutes(routes)
}

// routes adds the channels' endpoints and the file links to mux.
func (c *channels) routes(mux *http.ServeMux) {
	mux.HandleFunc("/hooks/twilio/{channel}/{what}", func(w http.ResponseWriter, r *http.Request) {
		c.serve(w, r, "twilio")
	})
	mux.HandleFunc("/hooks/{channel}", func(w http.ResponseWriter, r *http.Request) {
		c.serve(w, r, "hook")
	})
	mux.Handle("GET /files/{id}/{name}", c.files.Handler(c.links, c.served, c.now))
}

// serve hands a request to the endpoint of its channel, if it is one of
// kind.
func (c *channels) serve(w http.ResponseWriter, r *http.Request, kind string) {
	name := r.PathValue("channel")
	h := (*c.endpoints.Load())[name]
	switch h.(type) {
	case *twilio.Channel:
		if kind == "twilio" {
			h.ServeHTTP(w, r)
			return
		}
	case *hook.Channel:
		if kind == "hook" {
			h.ServeHTTP(w, r)
			return
		}
	}
	channel.Refuse(w, c.metrics, c.log, "unknown", http.StatusNotFound, "unknown_channel", "no channel "+name+" of this kind")
}

// served is the type of a stored file, from its record.
func (c *channels) served(id string) (string, bool) {
	var f *inbox.File
	err := c.st.View(func(tx *store.Tx) (err error) { f, err = inbox.GetFile(tx, id); return err })
	if err != nil {
		return "", false
	}
	return f.Type, true
}

// run delivers the outbox until ctx ends.
func (c *channels) run(ctx context.Context) {
	if err := c.sender.Run(ctx); err != nil {
		c.log.Error("the outbox's sender stopped", "err", err)
	}
}
