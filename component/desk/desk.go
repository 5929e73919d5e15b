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
	Cfg     *config.Config
	Store   *store.Store
	Link    Link
	Log     *slog.Logger
	Metrics *Metrics
	Now     func() time.Time
	Rooms   *rooms.Service
	trace   bool

	Events chan Event
	Timers Timers
	ready  atomic.Bool // connected to the server with the store open
	// Activity counts stanzas and writes, for giving memory back when
	// quiet (memory.go); the link's goroutine adds to it too.
	Activity atomic.Uint64
	release  release

	// Everything below is the actor's own.
	Presence      *presence.Tracker
	Router        *routing.Router
	Estimator     *routing.Estimator
	LastUpdates   time.Time // when queued customers' waits were last looked at
	Roster        *agents.Roster
	StoredReplies map[string]*store.Reply // canned replies changed at runtime (replies.go)
	Convs         map[uint64]*Conv
	ByCustomer    map[string]*Conv // entry|bare JID → conversation
	ByRoom        map[string]*Conv // room bare JID → conversation
	LastID        uint64
	Limits        ratelimit.Limits
	Caps          map[string]wire.ClientInfo // caps ver → what it stands for
	Online        bool
	Settled       time.Time // routing waits until then after connecting
	RouteSoon     bool
	// Jobs wait for the server (room configuration, discovery) on at most
	// maxJobs goroutines; the rest wait in jobs.
	Running int
	Jobs    []func() Event
	// Subscribers are the customers subscribed to each entry point's
	// presence; announced paces the broadcasts, per entry point.
	Subscribers map[string]map[string]bool
	Announced   map[string]Announced
	// Unsaved are conversation records submitted to the store and not
	// yet known to be committed, for readers that must see them.
	Unsaved map[uint64]unsavedRecord
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
		Cfg:           cfg,
		Store:         st,
		Link:          link,
		Log:           o.Logger.With("component", "desk"),
		Metrics:       NewMetrics(o.Registerer, cfg),
		Now:           o.Now,
		Rooms:         &rooms.Service{Domain: cfg.XMPP.Domain, MUC: cfg.XMPP.MUCService, Prefix: cfg.XMPP.RoomPrefix, Echo: o.Echo},
		trace:         o.Trace,
		Events:        make(chan Event, 4096),
		Convs:         map[uint64]*Conv{},
		ByCustomer:    map[string]*Conv{},
		ByRoom:        map[string]*Conv{},
		Limits:        ratelimit.New(),
		Caps:          map[string]wire.ClientInfo{},
		Roster:        agents.New(cfg.Agents),
		StoredReplies: map[string]*store.Reply{},
		Subscribers:   map[string]map[string]bool{},
		Announced:     map[string]Announced{},
		Unsaved:       map[uint64]unsavedRecord{},
	}
	d.Presence = presence.New(Unroutable(cfg)...)
	d.Router = routing.New(d.Presence, cfg.Queues, cfg.Agents, d.Now())
	d.Estimator = routing.NewEstimator()
	d.CheckHours(d.Now())
	if err := d.resume(); err != nil {
		return nil, err
	}
	return d, nil
}

// Unroutable lists the shows that take an agent out of routing.
func Unroutable(cfg *config.Config) []presence.Show {
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
		if next, ok := d.Timers.Next(); ok && !next.Equal(armed) {
			armed = next
			alarm.Reset(max(next.Sub(d.Now()), 0))
		}
		select {
		case <-ctx.Done():
			d.ready.Store(false)
			return d.goodbye()
		case ev := <-d.Events:
			d.handle(ev)
		case <-alarm.C:
			armed = time.Time{}
			d.fire(d.Now())
		case <-tick.C:
			d.handle(EvTick{})
		}
	}
}

// Post hands an event to the actor; it blocks while the queue is full.
func (d *Desk) Post(ev Event) { d.Events <- ev }

// handle runs one event, then routes if the event asked for it. It is
// the one place where desk state changes.
func (d *Desk) handle(ev Event) {
	if d.trace {
		d.Log.Debug("event", "event", ev.String())
	}
	if _, ok := ev.(JobResult); ok {
		d.JobDone()
	}
	switch ev := ev.(type) {
	case EvStanzas:
		// Each stanza as if it had come alone.
		for _, s := range ev {
			d.safely(func() { d.dispatch(s) })
			d.routeIfDue()
		}
		return
	case EvRequest:
		d.safely(func() { d.request(wire.Request(ev)) })
	case EvConnected:
		d.safely(d.onConnected)
	case EvDisconnected:
		d.safely(d.onDisconnected)
	case EvTick:
		d.safely(d.tick)
	case EvTimer:
		d.safely(func() { d.timer(ev) })
	case EvRoomConfigured:
		d.safely(func() { d.roomConfigured(ev.ID, ev.Err) })
	case EvClientFound:
		d.safely(func() { d.clientDiscovered(ev) })
	case EvAgentClient:
		d.safely(func() { d.agentDiscovered(ev) })
	case call:
		d.safely(func() { ev.answer(d) })
	default:
		d.Log.Error("unknown event", "event", fmt.Sprintf("%T", ev))
	}
	d.routeIfDue()
}

// routeIfDue routes once after an event that asked for it.
func (d *Desk) routeIfDue() {
	if d.RouteSoon {
		d.RouteSoon = false
		d.safely(d.Route)
	}
}

// safely runs fn, turning a panic into a log line and a metric so that one
// bad stanza cannot stop the desk.
func (d *Desk) safely(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			d.Metrics.Panics.Inc()
			d.Log.Error("recovered from panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	fn()
}

// maxJobs bounds the goroutines waiting on the server at once, so that a
// burst of new conversations does not become a burst of goroutine stacks.
const maxJobs = 32

// Spawn runs job on its own goroutine, or later when maxJobs are
// running; the event it returns comes back to the actor.
func (d *Desk) Spawn(job func() Event) {
	if d.Running >= maxJobs {
		d.Jobs = append(d.Jobs, job)
		return
	}
	d.Running++
	go func() { d.Post(job()) }()
}

func (d *Desk) JobDone() {
	d.Running--
	if len(d.Jobs) > 0 {
		job := d.Jobs[0]
		d.Jobs[0] = nil
		d.Jobs = d.Jobs[1:]
		d.Spawn(job)
	}
}

// tick runs once a second: queue deadlines, gauges, the status broadcast.
func (d *Desk) tick() {
	now := d.Now()
	d.CheckHours(now)
	for _, id := range d.Router.Expired(now) {
		d.Overflow(id)
	}
	d.updateGauges()
	d.broadcastStatus(now)
	if now.Sub(d.LastUpdates) >= UpdatesEvery {
		d.LastUpdates = now
		d.updateWaits(now)
	}
	d.releaseWhenQuiet(time.Now())
	d.Limits.Forget(now)
	d.PruneUnsaved()
}

// goodbye leaves every room (so that the server keeps no ghosts) and
// tells each entry point's subscribers the desk is gone. A component's
// presence has no broadcast: without a 'to' the server ends the stream.
func (d *Desk) goodbye() []string {
	var raw []string
	for _, c := range d.Convs {
		if c.Room.Joined {
			raw = append(raw, d.LeaveRoom(c))
		}
	}
	for _, e := range d.Cfg.Entries {
		for jid := range d.Subscribers[e.Localpart] {
			raw = append(raw, d.entryPresenceTo(e.Localpart, jid, "unavailable"))
		}
	}
	return raw
}
