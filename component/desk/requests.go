package desk

import (
	"context"
	"errors"
	"time"

	"switchboard/component/config"
	"switchboard/component/desk/core"
	"switchboard/routing"
)

// Typed requests from other goroutines (the HTTP API, the daemon): each
// is an event the actor answers on the request's own channel.

// call is an event that asks the actor something.
type call interface {
	core.Event
	answer(d *Desk)
}

// ErrBusy is returned when the actor does not answer in time.
var ErrBusy = errors.New("desk busy")

// ask posts a request and waits for its reply.
func ask[T any](ctx context.Context, d *Desk, c call, reply chan T) (T, error) {
	var zero T
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	select {
	case d.Events <- c:
	case <-ctx.Done():
		return zero, ErrBusy
	}
	select {
	case v := <-reply:
		return v, nil
	case <-ctx.Done():
		return zero, ErrBusy
	}
}

// committed waits for a change's write.
func committed(ctx context.Context, done chan error) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ErrNotStored
	}
}

// ErrNotStored is returned for a change that is effective but whose write
// failed or did not commit in time.
var ErrNotStored = errors.New("the change is effective but could not be stored")

type reqAgents struct{ reply chan []AgentInfo }

func (reqAgents) String() string { return "request agents" }
func (r reqAgents) answer(d *Desk) {
	out := []AgentInfo{}
	for _, j := range d.Roster.JIDs() {
		out = append(out, d.agentInfo(j))
	}
	r.reply <- out
}

// Agents lists the agents, by JID.
func (d *Desk) Agents(ctx context.Context) ([]AgentInfo, error) {
	r := reqAgents{reply: make(chan []AgentInfo, 1)}
	return ask(ctx, d, r, r.reply)
}

type reqAgent struct {
	jid   string
	reply chan *AgentInfo
}

func (r reqAgent) String() string { return "request agent " + r.jid }
func (r reqAgent) answer(d *Desk) {
	if !d.Roster.Is(r.jid) {
		r.reply <- nil
		return
	}
	a := d.agentInfo(r.jid)
	r.reply <- &a
}

// Agent describes one agent; ErrNoAgent when there is none.
func (d *Desk) Agent(ctx context.Context, jid string) (AgentInfo, error) {
	r := reqAgent{jid: jid, reply: make(chan *AgentInfo, 1)}
	a, err := ask(ctx, d, r, r.reply)
	if err != nil {
		return AgentInfo{}, err
	}
	if a == nil {
		return AgentInfo{}, ErrNoAgent
	}
	return *a, nil
}

type putReply struct {
	info    AgentInfo
	created bool
	err     error
}

type reqPutAgent struct {
	change AgentChange
	reply  chan putReply
	done   chan error
}

func (r reqPutAgent) String() string { return "request put-agent " + r.change.JID }
func (r reqPutAgent) answer(d *Desk) {
	a, err := d.checkAgent(r.change)
	if err != nil {
		r.reply <- putReply{err: err}
		return
	}
	created := d.setAgent(a, func(err error) { r.done <- err })
	r.reply <- putReply{info: d.agentInfo(a.JID), created: created}
}

// PutAgent adds or changes an agent at once and keeps it in the store,
// ahead of the config file; it returns once the change is stored. An
// InvalidAgent says what is wrong with the change.
func (d *Desk) PutAgent(ctx context.Context, ch AgentChange) (info AgentInfo, created bool, err error) {
	r := reqPutAgent{change: ch, reply: make(chan putReply, 1), done: make(chan error, 1)}
	p, err := ask(ctx, d, r, r.reply)
	if err == nil {
		err = p.err
	}
	if err != nil {
		return AgentInfo{}, false, err
	}
	if err := committed(ctx, r.done); err != nil {
		return p.info, p.created, ErrNotStored
	}
	return p.info, p.created, nil
}

type reqRemoveAgent struct {
	jid   string
	reply chan error
	done  chan error
}

func (r reqRemoveAgent) String() string { return "request remove-agent " + r.jid }
func (r reqRemoveAgent) answer(d *Desk) {
	r.reply <- d.removeAgent(r.jid, func(err error) { r.done <- err })
}

// RemoveAgent takes an agent out of the desk; ErrNoAgent, or ErrAgentBusy
// while they still have conversations.
func (d *Desk) RemoveAgent(ctx context.Context, jid string) error {
	r := reqRemoveAgent{jid: jid, reply: make(chan error, 1), done: make(chan error, 1)}
	return askStored(ctx, d, r, r.reply, r.done)
}

// askStored posts a change whose answer is an error, and once it is
// accepted waits for its write: ErrNotStored when that fails.
func askStored(ctx context.Context, d *Desk, c call, reply, done chan error) error {
	err, askErr := ask(ctx, d, c, reply)
	if askErr != nil {
		return askErr
	}
	if err != nil {
		return err
	}
	if err := committed(ctx, done); err != nil {
		return ErrNotStored
	}
	return nil
}

// QueueStatus is the public status of one queue.
type QueueStatus struct {
	Queue           string
	AgentsAvailable int
	Waiting         int
	// EstimatedWait is what a customer queuing now would be told, when
	// the desk knows (nil: it does not).
	EstimatedWait *time.Duration
}

type reqStatus struct{ reply chan []QueueStatus }

func (reqStatus) String() string { return "request status" }
func (r reqStatus) answer(d *Desk) {
	lengths := d.Router.QueueLength()
	out := []QueueStatus{}
	for _, q := range d.Cfg.Queues {
		n := 0
		for _, j := range d.Roster.JIDs() {
			a, _ := d.Roster.Get(j)
			if d.Router.CanTake(j) && routing.HasSkills(a.Skills, q.Skills) {
				n++
			}
		}
		qs := QueueStatus{Queue: q.Name, AgentsAvailable: n, Waiting: lengths[q.Name]}
		if e := d.QueueEstimate(q.Name); e.Known {
			qs.EstimatedWait = &e.Wait
		}
		out = append(out, qs)
	}
	r.reply <- out
}

// Status is the public desk status, per queue.
func (d *Desk) Status(ctx context.Context) ([]QueueStatus, error) {
	r := reqStatus{reply: make(chan []QueueStatus, 1)}
	return ask(ctx, d, r, r.reply)
}

type reqReload struct {
	cfg   *config.Config
	reply chan error
}

func (r reqReload) String() string { return "request reload " + r.cfg.File }
func (r reqReload) answer(d *Desk) { r.reply <- d.reload(r.cfg) }

// Reload applies a new configuration, or refuses it (the running one
// stays) with an error saying why.
func (d *Desk) Reload(ctx context.Context, cfg *config.Config) error {
	r := reqReload{cfg: cfg, reply: make(chan error, 1)}
	err, askErr := ask(ctx, d, r, r.reply)
	if askErr != nil {
		return askErr
	}
	return err
}
