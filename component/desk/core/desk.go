package core

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard/component/channel"
	"switchboard/component/config"
	"switchboard/component/desk/agents"
	"switchboard/component/desk/ratelimit"
	"switchboard/component/desk/rooms"
	"switchboard/component/wire"
	"switchboard/presence"
	"switchboard/routing"
	"switchboard/store"
	"switchboard/store/outbox"
	"switchboard/store/replies"
)

// Link is how the desk reaches the server: component/link in the daemon,
// a recorder in tests. Send must keep order and must not block for long;
// the round trips wait for the server and run on job goroutines.
type Link interface {
	Send(raw ...string)
	ConfigureRoom(ctx context.Context, from, room string, fields []wire.Field) error
	Discover(ctx context.Context, from, to string, version bool) (wire.ClientInfo, error)
}

// Desk is the desk's state: every conversation, the agents, the rooms,
// the timers. It is read and written only on the actor's goroutine
// (component/desk runs it), which takes typed events from Events.
type Desk struct {
	Cfg     *config.Config
	Store   *store.Store
	Link    Link
	Log     *slog.Logger
	Metrics *Metrics
	Now     func() time.Time
	Rooms   *rooms.Service

	Events chan Event
	Timers Timers
	// Activity counts stanzas and writes, for giving memory back when
	// quiet; the link's goroutine adds to it too.
	Activity atomic.Uint64

	// Everything below is the actor's own.
	Presence      *presence.Tracker
	Router        *routing.Router
	Estimator     *routing.Estimator
	LastUpdates   time.Time // when queued customers' waits were last looked at
	Roster        *agents.Roster
	StoredReplies map[string]*replies.Reply // canned replies changed at runtime (replies.go)
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

	// Channels besides XMPP: Links signs links to stored files; Outgoing
	// hands durable outbox entries to their sender (component/channel);
	// Keys are the channels' message keys (provider|key) taken since the
	// start, with what they became, and Threads the conversations of
	// threads (a voicemail's recording and transcript) since the start.
	Links    *channel.Links
	Outgoing func([]*outbox.Entry)
	// Committing, when set, sees every step just before it commits, and
	// may add to it (component/desk/webhooks).
	Committing func(*Step)
	Keys       map[string]KeySeen
	Threads    map[string]uint64
}

// KeySeen is what a channel's message key became, and when.
type KeySeen struct {
	Conversation uint64
	At           time.Time
}

// New makes the state of a desk over an open store, with nothing
// resumed from it yet.
func New(cfg *config.Config, st *store.Store, link Link, log *slog.Logger, reg prometheus.Registerer, now func() time.Time, echo string) *Desk {
	d := &Desk{
		Cfg:           cfg,
		Store:         st,
		Link:          link,
		Log:           log,
		Metrics:       NewMetrics(reg, cfg),
		Now:           now,
		Rooms:         &rooms.Service{Domain: cfg.XMPP.Domain, MUC: cfg.XMPP.MUCService, Prefix: cfg.XMPP.RoomPrefix, Echo: echo},
		Events:        make(chan Event, 4096),
		Convs:         map[uint64]*Conv{},
		ByCustomer:    map[string]*Conv{},
		ByRoom:        map[string]*Conv{},
		Limits:        ratelimit.New(),
		Caps:          map[string]wire.ClientInfo{},
		Roster:        agents.New(cfg.Agents),
		StoredReplies: map[string]*replies.Reply{},
		Subscribers:   map[string]map[string]bool{},
		Announced:     map[string]Announced{},
		Unsaved:       map[uint64]unsavedRecord{},
		Keys:          map[string]KeySeen{},
		Threads:       map[string]uint64{},
	}
	d.Presence = presence.New(Unroutable(cfg)...)
	d.Router = routing.New(d.Presence, cfg.Queues, cfg.Agents, d.Now())
	d.Estimator = routing.NewEstimator()
	d.CheckHours(d.Now())
	return d
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

// Post hands an event to the actor; it blocks while the queue is full.
func (d *Desk) Post(ev Event) { d.Events <- ev }

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

// Announced is the presence an entry point last broadcast, and when.
type Announced struct {
	Show, Status string
	At           time.Time
}
