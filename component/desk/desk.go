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
	"switchboard/component/desk/core"
	"switchboard/component/desk/customers"
	"switchboard/component/desk/webhooks"
	"switchboard/component/desk/workroom"
	"switchboard/component/wire"
	"switchboard/store"
)

// Version is switchboard's version, answered to XEP-0092 queries.
var Version = "0.1.0"

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

// Desk is the actor that owns every conversation: all of its state
// (component/desk/core) is read and written on the goroutine running Run,
// which takes typed events from one channel.
type Desk struct {
	*core.Desk
	// cust handles what customers write and are told.
	cust *customers.Desk
	// room handles what agents do in conversations' rooms.
	room  *workroom.Desk
	trace bool
	ready atomic.Bool // connected to the server with the store open
	// release gives memory back when the desk is quiet (memory.go).
	release release
	// stopped is closed when Run returns: what other goroutines post
	// after that is dropped (postOrDrop).
	stopped chan struct{}
	// keysPruned is when pruneKeys last ran.
	keysPruned time.Time
}

// Link is how the desk reaches the server (core.Link).
type Link = core.Link

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
	state := core.New(cfg, st, link, o.Logger.With("component", "desk"), o.Registerer, o.Now, o.Echo)
	webhooks.Attach(state)
	d := &Desk{Desk: state, cust: &customers.Desk{Desk: state}, room: &workroom.Desk{Desk: state}, trace: o.Trace, stopped: make(chan struct{})}
	if err := d.resume(); err != nil {
		return nil, err
	}
	return d, nil
}

// Ready reports whether the desk is connected with its store open.
func (d *Desk) Ready() bool { return d.ready.Load() }

// Run is the actor: it handles events until ctx ends, then returns the
// stanzas that take the desk out of its rooms and say goodbye to
// subscribers, for the link to write before it closes the stream.
func (d *Desk) Run(ctx context.Context) (goodbye []string) {
	defer close(d.stopped)
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
			d.handle(core.EvTick{})
		}
	}
}

// handle runs one event, then routes if the event asked for it. It is
// the one place where desk state changes.
func (d *Desk) handle(ev core.Event) {
	if d.trace {
		d.Log.Debug("event", "event", ev.String())
	}
	if _, ok := ev.(core.JobResult); ok {
		d.JobDone()
	}
	switch ev := ev.(type) {
	case core.EvStanzas:
		// Each stanza as if it had come alone.
		for _, s := range ev {
			d.safely(func() { d.dispatch(s) })
			d.routeIfDue()
		}
		return
	case core.EvRequest:
		d.safely(func() { d.request(wire.Request(ev)) })
	case core.EvConnected:
		d.safely(d.onConnected)
	case core.EvDisconnected:
		d.safely(d.onDisconnected)
	case core.EvTick:
		d.safely(d.tick)
	case core.EvTimer:
		d.safely(func() { d.timer(ev) })
	case core.EvRoomConfigured:
		d.safely(func() { d.room.RoomConfigured(ev.ID, ev.Err) })
	case core.EvClientFound:
		d.safely(func() { d.cust.ClientDiscovered(ev) })
	case core.EvAgentClient:
		d.safely(func() { d.agentDiscovered(ev) })
	case core.EvForgetKey:
		delete(d.Keys, ev.Key)
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

// tick runs once a second: queue deadlines, gauges, the status broadcast.
func (d *Desk) tick() {
	now := d.Now()
	d.CheckHours(now)
	for _, id := range d.Router.Expired(now) {
		d.Overflow(id)
	}
	d.updateGauges()
	d.cust.BroadcastStatus(now)
	if now.Sub(d.LastUpdates) >= core.UpdatesEvery {
		d.LastUpdates = now
		d.cust.UpdateWaits(now)
	}
	d.releaseWhenQuiet(time.Now())
	d.Limits.Forget(now)
	d.PruneUnsaved()
	d.pruneKeys(now)
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
			raw = append(raw, d.cust.EntryPresenceTo(e.Localpart, jid, "unavailable"))
		}
	}
	return raw
}

// Statuses lists every status of a conversation, in the order of its
// life, and Kinds every kind.
var (
	Statuses = core.Statuses
	Kinds    = core.Kinds
)
