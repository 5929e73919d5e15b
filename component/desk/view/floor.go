package view

import (
	"fmt"
	"strings"
	"time"

	"switchboard/component/texts"
)

// Queue is one queue on the floor.
type Queue struct {
	Name    string
	Waiting int
	Oldest  time.Duration // the longest wait, when HasOldest
	// HasOldest is set when the queue knows its longest wait.
	HasOldest bool
}

// Agent is one agent on the floor.
type Agent struct {
	Name     string
	State    string
	Load     int
	MaxChats int
	Idle     time.Duration // when Idling: since the last conversation ended
	Idling   bool
}

// Open is one conversation an agent has.
type Open struct {
	Name            string
	Agent           string // named
	Queue           string
	Age             time.Duration
	CustomerWaiting time.Duration // when Waiting: for an answer
	Waiting         bool
}

// FloorPage is how many open conversations one page of the floor lists:
// a phone's screen.
const FloorPage = 8

// Floor renders one page of the floor for a supervisor: queues with
// their oldest waits, agents with state, load and idle time, and the
// open conversations of page (from 1) of pages.
func Floor(l *texts.Lang, queues []Queue, agents []Agent, open []Open, total, page, pages int) string {
	var b strings.Builder
	b.WriteString(l.Get(texts.FloorQueues, nil))
	for _, q := range queues {
		a := texts.A{"queue": q.Name, "n": q.Waiting}
		if q.Waiting > 0 && q.HasOldest {
			a["wait"] = q.Oldest.Round(time.Second)
			b.WriteString("\n  " + l.Get(texts.FloorOldest, a))
		} else {
			b.WriteString("\n  " + l.Get(texts.FloorQueue, a))
		}
	}
	b.WriteString("\n" + l.Get(texts.FloorAgents, nil))
	for _, ag := range agents {
		a := texts.A{"agent": ag.Name, "state": ag.State, "load": ag.Load, "max": ag.MaxChats}
		if ag.Load == 0 && ag.Idling {
			a["idle"] = ag.Idle.Round(time.Second)
			b.WriteString("\n  " + l.Get(texts.FloorIdle, a))
		} else {
			b.WriteString("\n  " + l.Get(texts.FloorAgent, a))
		}
	}
	if pages > 1 {
		b.WriteString("\n" + l.Get(texts.FloorOpenPages, texts.A{"n": total, "page": page, "pages": pages}))
	} else {
		b.WriteString("\n" + l.Get(texts.FloorOpen, texts.A{"n": total}))
	}
	for _, o := range open {
		a := texts.A{"name": o.Name, "agent": o.Agent, "queue": o.Queue, "age": o.Age.Round(time.Second)}
		if o.Waiting {
			a["waiting"] = o.CustomerWaiting.Round(time.Second)
			b.WriteString("\n  " + l.Get(texts.FloorConvWaiting, a))
		} else {
			b.WriteString("\n  " + l.Get(texts.FloorConv, a))
		}
	}
	if page < pages {
		b.WriteString("\n" + l.Get(texts.FloorNext, texts.A{"page": page + 1}))
	}
	b.WriteString("\n" + l.Get(texts.FloorJoin, nil))
	return b.String()
}

// Held is one conversation an agent has or is offered, for their status.
type Held struct {
	Name, Status, Customer, Room string
}

// AgentStatus is an agent's own state and conversations.
func AgentStatus(l *texts.Lang, state, reason string, load, maxChats int, held []Held) string {
	var b strings.Builder
	a := texts.A{"state": state, "reason": reason, "load": load, "max": maxChats}
	if reason != "" {
		b.WriteString(l.Get(texts.AgentStatusWhy, a))
	} else {
		b.WriteString(l.Get(texts.AgentStatus, a))
	}
	for _, h := range held {
		fmt.Fprintf(&b, "\n%s %s (%s) %s", h.Name, h.Status, h.Customer, h.Room)
	}
	return b.String()
}

// Queues lists what waits in each queue, then the desk's status line and
// the rooms the server refuses, if any.
func Queues(l *texts.Lang, queues []Queue, status, failing string) string {
	var b strings.Builder
	for _, q := range queues {
		b.WriteString(l.Get(texts.QueueWaiting, texts.A{"queue": q.Name, "n": q.Waiting}) + "\n")
	}
	b.WriteString(status)
	if failing != "" {
		b.WriteString("\n" + failing)
	}
	return b.String()
}
