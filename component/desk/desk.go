package desk

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard/component/config"
	"switchboard/component/desk/agents"
	"switchboard/component/desk/ratelimit"
	"switchboard/component/desk/rooms"
	"switchboard/component/wire"
	"switchboard/presence"
	"switchboard/routing"
	"switchboard/store"
)

// Version is switchboard's version, answered to XEP-0092 queries.
var Version = "0.1.0"

// Link is how the desk reaches the server: component/link in the daemon,
// a recorder in tests. Send must keep order and must not block for long;
// the round trips wait for the server and run on job goroutines.
type Link interface {
	Send(raw ...string)
	ConfigureRoom(ctx context.Context, from, room string, fields []wire.Field) error
	Discover(ctx context.Context, from, to string, version bool) (wire.ClientInfo, error)
}

// Options configure New.
type Options struct {
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Echo is the id prefix of the groupchat messages the desk posts, so
	// that the link can drop the rooms' copies of them.
	Echo string
	// Trace logs every event the desk handles, one line each (-vv).
	Trace bool
}

// Desk is the actor that owns every conversation: all of its state is
// read and written on the goroutine running Run, which takes typed events
// from one channel.
type Desk struct {
	cfg     *config.Config
	store   *store.Store
	link    Link
	log     *slog.Logger
	metrics *metrics
	now     func() time.Time
	muc     *rooms.Service
	trace   bool

	events chan event
	timers timers
	ready  atomic.Bool // connected to the server with the store open
	// activity counts stanzas and writes, for giving memory back when
	// quiet (memory.go); the link's goroutine adds to it too.
	activity atomic.Uint64
	release  release

	// Everything below is the actor's own.
	presence      *presence.Tracker
	router        *routing.Router
	estimator     *routing.Estimator
	lastUpdates   time.Time // when queued customers' waits were last looked at
	roster        *agents.Roster
	storedReplies map[string]*store.Reply // canned replies changed at runtime (replies.go)
	convs         map[uint64]*conv
	byCustomer    map[string]*conv // entry|bare JID → conversation
	byRoom        map[string]*conv // room bare JID → conversation
	lastID        uint64
	limits        ratelimit.Limits
	caps          map[string]wire.ClientInfo // caps ver → what it stands for
	connected     bool
	settled       time.Time // routing waits until then after connecting
	routeSoon     bool
	// Jobs wait for the server (room configuration, discovery) on at most
	// maxJobs goroutines; the rest wait in jobs.
	running int
	jobs    []func() event
	// subscribers are the customers subscribed to each entry point's
	// presence; announced paces the broadcasts, per entry point.
	subscribers map[string]map[string]bool
	announced   map[string]announced
	// unsaved are conversation records submitted to the store and not
	// yet known to be committed, for readers that must see them.
	unsaved map[uint64]unsavedRecord
}

// New prepares a desk over an open store and resumes every conversation
// the store holds. Run starts it.
func New(cfg *config.Config, st *store.Store, link Link, o Options) (*Desk, error) {
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
		link:          link,
		log:           o.Logger.With("component", "desk"),
		metrics:       newMetrics(o.Registerer, cfg),
		now:           o.Now,
		muc:           &rooms.Service{Domain: cfg.XMPP.Domain, MUC: cfg.XMPP.MUCService, Prefix: cfg.XMPP.RoomPrefix, Echo: o.Echo},
		trace:         o.Trace,
		events:        make(chan event, 4096),
		convs:         map[uint64]*conv{},
		byCustomer:    map[string]*conv{},
		byRoom:        map[string]*conv{},
		limits:        ratelimit.New(),
		caps:          map[string]wire.ClientInfo{},
		roster:        agents.New(cfg.Agents),
		storedReplies: map[string]*store.Reply{},
		subscribers:   map[string]map[string]bool{},
		announced:     map[string]announced{},
		unsaved:       map[uint64]unsavedRecord{},
	}
	d.presence = presence.New(unroutable(cfg)...)
	d.router = routing.New(d.presence, cfg.Queues, cfg.Agents, d.now())
	d.estimator = routing.NewEstimator()
	d.checkHours(d.now())
	if err := d.resume(); err != nil {
		return nil, err
	}
	return d, nil
}

// unroutable lists the shows that take an agent out of routing.
func unroutable(cfg *config.Config) []presence.Show {
	var shows []presence.Show
	for _, s := range cfg.Desk.UnroutableShows {
		shows = append(shows, presence.Show(s))
	}
	if len(shows) == 0 {
		shows = []presence.Show{"\x00none"} // every show is routable
	}
	return shows
}

// Ready reports whether the desk is connected with its store open.
func (d *Desk) Ready() bool { return d.ready.Load() }

// Run is the actor: it handles events until ctx ends, then returns the
// stanzas that take the desk out of its rooms and say goodbye to
// subscribers, for the link to write before it closes the stream.
func (d *Desk) Run(ctx context.Context) (goodbye []string) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	alarm := time.NewTimer(time.Hour)
	defer alarm.Stop()
	var armed time.Time
	for {
		if next, ok := d.timers.next(); ok && !next.Equal(armed) {
			armed = next
			alarm.Reset(max(next.Sub(d.now()), 0))
		}
		select {
		case <-ctx.Done():
			d.ready.Store(false)
			return d.goodbye()
		case ev := <-d.events:
			d.handle(ev)
		case <-alarm.C:
			armed = time.Time{}
			d.fire(d.now())
		case <-tick.C:
			d.handle(evTick{})
		}
	}
}

// post hands an event to the actor; it blocks while the queue is full.
func (d *Desk) post(ev event) { d.events <- ev }

// handle runs one event, then routes if the event asked for it. It is
// the one place where desk state changes.
func (d *Desk) handle(ev event) {
	if d.trace {
		d.log.Debug("event", "event", ev.String())
	}
	if _, ok := ev.(jobResult); ok {
		d.jobDone()
	}
	switch ev := ev.(type) {
	case evStanzas:
		// Each stanza as if it had come alone.
		for _, s := range ev {
			d.safely(func() { d.dispatch(s) })
			d.routeIfDue()
		}
		return
	case evRequest:
		d.safely(func() { d.request(wire.Request(ev)) })
	case evConnected:
		d.safely(d.onConnected)
	case evDisconnected:
		d.safely(d.onDisconnected)
	case evTick:
		d.safely(d.tick)
	case evTimer:
		d.safely(func() { d.timer(ev) })
	case evRoomConfigured:
		d.safely(func() { d.roomConfigured(ev.id, ev.err) })
	case evClientFound:
		d.safely(func() { d.clientDiscovered(ev) })
	case evAgentClient:
		d.safely(func() { d.agentDiscovered(ev) })
	case call:
		d.safely(func() { ev.answer(d) })
	default:
		d.log.Error("unknown event", "event", fmt.Sprintf("%T", ev))
	}
	d.routeIfDue()
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

// maxJobs bounds the goroutines waiting on the server at once, so that a
// burst of new conversations does not become a burst of goroutine stacks.
const maxJobs = 32

// spawn runs job on its own goroutine, or later when maxJobs are
// running; the event it returns comes back to the actor.
func (d *Desk) spawn(job func() event) {
	if d.running >= maxJobs {
		d.jobs = append(d.jobs, job)
		return
	}
	d.running++
	go func() { d.post(job()) }()
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

// tick runs once a second: queue deadlines, gauges, the status broadcast.
func (d *Desk) tick() {
	now := d.now()
	d.checkHours(now)
	for _, id := range d.router.Expired(now) {
		d.overflow(id)
	}
	d.updateGauges()
	d.broadcastStatus(now)
	if now.Sub(d.lastUpdates) >= updatesEvery {
		d.lastUpdates = now
		d.updateWaits(now)
	}
	d.releaseWhenQuiet(time.Now())
	d.limits.Forget(now)
	d.pruneUnsaved()
}

// goodbye leaves every room (so that the server keeps no ghosts) and
// tells each entry point's subscribers the desk is gone. A component's
// presence has no broadcast: without a 'to' the server ends the stream.
func (d *Desk) goodbye() []string {
	var raw []string
	for _, c := range d.convs {
		if c.room.Joined {
			raw = append(raw, d.leaveRoom(c))
		}
	}
	for _, e := range d.cfg.Entries {
		for jid := range d.subscribers[e.Localpart] {
			raw = append(raw, d.entryPresenceTo(e.Localpart, jid, "unavailable"))
		}
	}
	return raw
}
