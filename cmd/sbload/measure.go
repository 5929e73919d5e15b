package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/component/wire"
)

const entry = "support@help.localhost"

// route says how pair i's messages travel in one phase.
type route struct {
	agent       func(i int) *client
	custSend    func(c *client, i int, body string) error
	agentSend   func(a *client, i int, body string) error
	custAccept  func(c *client, s wire.Stanza) bool
	agentAccept func(a *client, s wire.Stanza) bool
}

func directRoute(customers, agents []*client) route {
	return route{
		agent: func(i int) *client { return agents[i%len(agents)] },
		custSend: func(c *client, i int, body string) error {
			return c.Message(context.Background(), agents[i%len(agents)].JID.Bare().String(), body)
		},
		agentSend: func(a *client, i int, body string) error {
			return a.Message(context.Background(), customers[i].JID.Bare().String(), body)
		},
		custAccept:  func(_ *client, s wire.Stanza) bool { return s.Type == "chat" },
		agentAccept: func(_ *client, s wire.Stanza) bool { return s.Type == "chat" },
	}
}

// conversation is pair i's room and agent in the relay phase.
type conversation struct {
	room  string
	agent *client
}

func relayRoute(rooms []conversation) func(customers, agents []*client) route {
	return func(customers, agents []*client) route {
		return route{
			agent: func(i int) *client { return rooms[i].agent },
			custSend: func(c *client, i int, body string) error {
				return c.Message(context.Background(), entry, body)
			},
			agentSend: func(a *client, i int, body string) error {
				return a.Groupchat(context.Background(), rooms[i].room, body)
			},
			custAccept: func(_ *client, s wire.Stanza) bool {
				return s.Type == "chat" && wire.Bare(s.From) == entry
			},
			agentAccept: func(a *client, s wire.Stanza) bool {
				// Not history, and not the echo of the agent's own message.
				return s.Type == "groupchat" && s.Delay == nil && wire.Resource(s.From) != a.name
			},
		}
	}
}

// result of one phase.
type result struct {
	count   int
	elapsed time.Duration
	toAgent []time.Duration
	toCust  []time.Duration
}

func (r result) rate() float64 { return float64(r.count) / r.elapsed.Seconds() }

func (r result) String() string {
	return fmt.Sprintf("%6d msgs in %6.2fs = %7.0f msg/s   latency customer→agent %s   agent→customer %s",
		r.count, r.elapsed.Seconds(), r.rate(), pct(r.toAgent), pct(r.toCust))
}

func pct(d []time.Duration) string {
	if len(d) == 0 {
		return "-"
	}
	slices.Sort(d)
	q := func(p float64) string { return fmt.Sprintf("%.1f", float64(quantile(d, p).Microseconds())/1000) }
	return fmt.Sprintf("p50 %sms p90 %sms p99 %sms max %sms", q(0.5), q(0.9), q(0.99), q(1))
}

// quantile returns the q-quantile of sorted durations (0 for none).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[int(q*float64(len(sorted)-1))]
}

// measure sends o.messages from each customer to its agent and as many
// back, at most o.window in flight per pair and direction, and times it.
func measure(ctx context.Context, o options, customers, agents []*client, mk func(customers, agents []*client) route) (result, error) {
	r := mk(customers, agents)
	n := len(customers)
	toAgent := make([]chan struct{}, n)
	toCust := make([]chan struct{}, n)
	for i := range toAgent {
		toAgent[i] = make(chan struct{}, o.window)
		toCust[i] = make(chan struct{}, o.window)
	}
	total := int64(2 * n * o.messages)
	var got atomic.Int64
	var mu sync.Mutex
	res := result{toAgent: make([]time.Duration, 0, n*o.messages), toCust: make([]time.Duration, 0, n*o.messages)}
	done := make(chan struct{})
	receive := func(accept func(*client, wire.Stanza) bool, windows []chan struct{}, lat *[]time.Duration) func(c *client) func(wire.Stanza) {
		return func(c *client) func(wire.Stanza) {
			return func(s wire.Stanza) {
				if !accept(c, s) {
					return
				}
				i, sent, ok := parseBody(s.Body)
				if !ok || i >= n {
					return
				}
				d := time.Since(time.Unix(0, sent))
				select {
				case <-windows[i]:
				default:
				}
				mu.Lock()
				*lat = append(*lat, d)
				mu.Unlock()
				if got.Add(1) == total {
					close(done)
				}
			}
		}
	}
	onAgent := receive(r.agentAccept, toAgent, &res.toAgent)
	onCust := receive(r.custAccept, toCust, &res.toCust)
	for _, a := range agents {
		a.on(onAgent(a))
	}
	for _, c := range customers {
		c.on(onCust(c))
	}
	defer func() {
		for _, c := range append(append([]*client{}, customers...), agents...) {
			c.on(func(wire.Stanza) {})
		}
	}()

	var interval time.Duration
	if o.rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(2*n) / float64(o.rate))
	}
	start := time.Now()
	errs := make(chan error, 2*n)
	send := func(window chan struct{}, fn func(body string) error, i int) {
		// Paced senders start spread over one interval, not all at once.
		next := time.Now().Add(interval * time.Duration(i) / time.Duration(n))
		for m := 0; m < o.messages; m++ {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			if interval > 0 {
				if d := time.Until(next); d > 0 {
					time.Sleep(d)
				}
				next = next.Add(interval)
			}
			if err := fn(fmt.Sprintf("L %d %d %d", i, m, time.Now().UnixNano())); err != nil {
				errs <- err
				return
			}
		}
	}
	for i, c := range customers {
		a := r.agent(i)
		go send(toAgent[i], func(b string) error { return r.custSend(c, i, b) }, i)
		go send(toCust[i], func(b string) error { return r.agentSend(a, i, b) }, i)
	}
	// Give up when nothing arrives for 30 s.
	last, lastAt := int64(0), time.Now()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			res.count = int(total)
			res.elapsed = time.Since(start)
			return res, nil
		case err := <-errs:
			return res, err
		case <-ctx.Done():
			return res, fmt.Errorf("%w after %d of %d messages", ctx.Err(), got.Load(), total)
		case <-tick.C:
			if g := got.Load(); g != last {
				last, lastAt = g, time.Now()
			} else if time.Since(lastAt) > 30*time.Second {
				dropped := 0
				for _, c := range append(append([]*client{}, customers...), agents...) {
					dropped += c.Dropped()
				}
				return res, fmt.Errorf("stalled at %d of %d messages (%d to agents, %d to customers; %d dropped by unread client buffers)", g, total, len(res.toAgent), len(res.toCust), dropped)
			}
		}
	}
}

// parseBody reads "L <pair> <seq> <unixnano>".
func parseBody(b string) (pair int, sent int64, ok bool) {
	f := strings.Fields(b)
	if len(f) != 4 || f[0] != "L" {
		return 0, 0, false
	}
	p, err1 := strconv.Atoi(f[1])
	t, err2 := strconv.ParseInt(f[3], 10, 64)
	return p, t, err1 == nil && err2 == nil
}

// openConversations walks every customer through the dialog and lets the
// invited agents join; it returns each pair's room and agent.
func openConversations(ctx context.Context, customers, agents []*client) ([]conversation, error) {
	n := len(customers)
	if n == 0 {
		return nil, nil
	}
	rooms := make([]conversation, n)
	index := map[string]int{}
	for i, c := range customers {
		index[c.JID.Bare().String()] = i
	}
	var mu sync.Mutex
	var joined atomic.Int64
	done := make(chan struct{})
	for _, a := range agents {
		a.on(func(s wire.Stanza) {
			if s.MUCUser == nil || s.MUCUser.Invite == nil {
				return
			}
			room := wire.Bare(s.From)
			reason := s.MUCUser.Invite.Reason
			// "New conversation case-N from <customer> (queue load)"
			f := strings.Fields(reason)
			if len(f) < 5 {
				return
			}
			i, ok := index[f[4]]
			if !ok {
				return
			}
			mu.Lock()
			rooms[i] = conversation{room: room, agent: a}
			mu.Unlock()
			go a.Join(context.Background(), room, a.name)
		})
	}
	for _, c := range customers {
		c.on(func(s wire.Stanza) {
			if s.Type == "chat" && strings.Contains(s.Body, "You are now chatting with") {
				if joined.Add(1) == int64(n) {
					close(done)
				}
			}
		})
	}
	for _, c := range customers {
		if err := c.Message(ctx, entry, "hello"); err != nil {
			return nil, err
		}
		if err := c.Message(ctx, entry, "1"); err != nil {
			return nil, err
		}
	}
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		return nil, fmt.Errorf("only %d of %d conversations assigned", joined.Load(), n)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return rooms, nil
}
