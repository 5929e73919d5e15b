package component

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard/component/config"
	"switchboard/component/wire"
	"switchboard/presence"
	"switchboard/routing"
	"switchboard/store"
)

// Version is switchboard's version, answered to XEP-0092 queries.
var Version = "0.1.0"

// Desk is a running switchboard component.
type Desk struct {
	cfg     *config.Config
	store   *store.Store
	log     *slog.Logger
	metrics *metrics
	now     func() time.Time

	events chan func()
	out    *sender
	conn   *conn

	// Owned by the actor goroutine.
	presence *presence.Tracker
	router   *routing.Router
	agents   map[string]routing.Agent
	// runtimeAgents are the agents whose profile comes from the store
	// (set through the API or an ad-hoc command), not the config file.
	runtimeAgents map[string]bool
	convs         map[uint64]*conv
	byCustomer    map[string]*conv // entry|bare JID → open conversation
	byRoom        map[string]*conv // room bare JID → conversation
	lastID        uint64
	limits        map[string]*bucket
	caps          map[string]clientInfo // caps ver → what it stands for
	connected     bool
	routeSoon     bool
	// Work that waits for the server (room configuration, discovery) runs
	// on at most maxJobs goroutines; the rest waits in jobs.
	running int
	jobs    []func()
	// subscribers are the customers subscribed to each entry point's
	// presence; lastStatus and lastBroadcast pace the status broadcasts.
	subscribers   map[string]map[string]bool
	lastShow      string
	lastStatus    string
	lastBroadcast time.Time
	receipt       string // XEP-0184 receipt for the customer message being handled

	occupants sync.Map // "room@muc/nick" of the desk's own occupants, for echo filtering

	pending atomic.Int64 // writes submitted and not yet committed
	release release      // memory given back when quiet (memory.go)
	// unposted are stanzas read from the connection and not yet handed
	// to the actor; the reading goroutine's own.
	unposted []*wire.Stanza
	ready    atomic.Bool // connected to the server with the store open
}

// Options configure New.
type Options struct {
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// XMLLog receives a copy of the XML stream when set (-vv).
	XMLLog func(in bool, data []byte)
}

// New prepares a desk over an open store. Run starts it.
func New(cfg *config.Config, st *store.Store, o Options) (*Desk, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Registerer == nil {
		o.Registerer = prometheus.NewRegistry()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	d := &Desk{
		cfg:           cfg,
		store:         st,
		log:           o.Logger.With("component", "desk"),
		metrics:       newMetrics(o.Registerer, cfg),
		now:           o.Now,
		events:        make(chan func(), 4096),
		convs:         map[uint64]*conv{},
		byCustomer:    map[string]*conv{},
		byRoom:        map[string]*conv{},
		limits:        map[string]*bucket{},
		caps:          map[string]clientInfo{},
		agents:        map[string]routing.Agent{},
		runtimeAgents: map[string]bool{},
		subscribers:   map[string]map[string]bool{},
	}
	var shows []presence.Show
	for _, s := range cfg.Desk.UnroutableShows {
		shows = append(shows, presence.Show(s))
	}
	if len(shows) == 0 {
		shows = []presence.Show{"\x00none"} // every show is routable
	}
	d.presence = presence.New(shows...)
	d.router = routing.New(d.presence, cfg.Queues, cfg.Agents, d.now())
	for _, a := range cfg.Agents {
		d.agents[a.JID] = a
	}
	d.out = newSender(d.log, d.metrics)
	d.conn = newConn(d, o.XMLLog)
	if err := d.resume(); err != nil {
		return nil, err
	}
	return d, nil
}

// Run serves until ctx is cancelled, then leaves every room and closes the
// stream. The store is left open for the caller to close.
func (d *Desk) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); d.purgeLoop(ctx) }()
	go func() { defer wg.Done(); d.out.run(ctx) }()
	go func() { defer wg.Done(); d.conn.run(ctx) }()
	d.loop(ctx)
	d.shutdown()
	wg.Wait()
	return nil
}

// Ready reports whether the desk is connected with its store open.
func (d *Desk) Ready() bool { return d.ready.Load() }

// maxJobs bounds the goroutines waiting on the server at once, so that a
// burst of new conversations does not become a burst of goroutine stacks.
const maxJobs = 32

// spawn runs job on its own goroutine, or later when maxJobs are running.
// job reports its result with post. It runs on the actor.
func (d *Desk) spawn(job func()) {
	if d.running >= maxJobs {
		d.jobs = append(d.jobs, job)
		return
	}
	d.running++
	go func() {
		defer d.post(d.jobDone)
		job()
	}()
}

func (d *Desk) jobDone() {
	d.running--
	if len(d.jobs) > 0 {
		job := d.jobs[0]
		d.jobs[0] = nil
		d.jobs = d.jobs[1:]
		d.spawn(job)
	}
}

// post hands fn to the actor goroutine; it blocks while the queue is full.
func (d *Desk) post(fn func()) {
	d.events <- fn
}

// loop is the actor: every change of the desk's state happens here.
func (d *Desk) loop(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case fn := <-d.events:
			d.safely(fn)
			d.routeIfDue()
		case <-tick.C:
			d.safely(d.tick)
		}
	}
}

// routeIfDue routes once after an event that asked for it.
func (d *Desk) routeIfDue() {
	if d.routeSoon {
		d.routeSoon = false
		d.safely(d.route)
	}
}

// safely runs fn, turning a panic into a log line and a metric so that one
// bad stanza cannot stop the desk.
func (d *Desk) safely(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			d.metrics.panics.Inc()
			d.log.Error("recovered from panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	fn()
}

// tick runs once a second: queue deadlines and gauges.
func (d *Desk) tick() {
	now := d.now()
	for _, c := range d.router.Expired(now) {
		d.overflow(c.ID)
	}
	d.updateGauges()
	d.broadcastStatus(now)
	d.releaseWhenQuiet(time.Now())
	for k, b := range d.limits {
		if b.idle(now) {
			delete(d.limits, k)
		}
	}
}

// shutdown leaves every room (so Prosody keeps no ghosts) and says goodbye.
func (d *Desk) shutdown() {
	d.ready.Store(false)
	var raw []string
	for _, c := range d.convs {
		if c.room.joined {
			raw = append(raw, d.leaveRoom(c))
		}
	}
	// A component's presence has no broadcast: without a 'to' the server
	// ends the stream. Each subscriber gets its own.
	for _, e := range d.cfg.Entries {
		for jid := range d.subscribers[e.Localpart] {
			raw = append(raw, d.entryPresenceTo(e.Localpart, jid, "unavailable"))
		}
	}
	d.conn.closeWith(raw)
}
