package view

import (
	"fmt"
	"strings"
	"time"
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
func Floor(queues []Queue, agents []Agent, open []Open, total, page, pages int) string {
	var b strings.Builder
	b.WriteString("Queues:")
	for _, q := range queues {
		fmt.Fprintf(&b, "\n  %s: %d waiting", q.Name, q.Waiting)
		if q.Waiting > 0 && q.HasOldest {
			fmt.Fprintf(&b, ", oldest %s", q.Oldest.Round(time.Second))
		}
	}
	b.WriteString("\nAgents:")
	for _, a := range agents {
		fmt.Fprintf(&b, "\n  %s: %s, %d/%d", a.Name, a.State, a.Load, a.MaxChats)
		if a.Load == 0 && a.Idling {
			fmt.Fprintf(&b, ", idle %s", a.Idle.Round(time.Second))
		}
	}
	fmt.Fprintf(&b, "\nOpen conversations: %d", total)
	if pages > 1 {
		fmt.Fprintf(&b, " (page %d of %d)", page, pages)
	}
	for _, o := range open {
		fmt.Fprintf(&b, "\n  %s: %s, %s, for %s", o.Name, o.Agent, o.Queue, o.Age.Round(time.Second))
		if o.Waiting {
			fmt.Fprintf(&b, ", customer waiting %s", o.CustomerWaiting.Round(time.Second))
		}
	}
	if page < pages {
		fmt.Fprintf(&b, "\n\"floor %d\" for the next page.", page+1)
	}
	b.WriteString("\n\"join N\" to step into conversation N.")
	return b.String()
}

// Held is one conversation an agent has or is offered, for their status.
type Held struct {
	Name, Status, Customer, Room string
}

// AgentStatus is an agent's own state and conversations.
func AgentStatus(state, reason string, load, maxChats int, held []Held) string {
	var b strings.Builder
	fmt.Fprintf(&b, "You are %s", state)
	if reason != "" {
		fmt.Fprintf(&b, " (%s)", reason)
	}
	fmt.Fprintf(&b, ", %d of %d conversations.", load, maxChats)
	for _, h := range held {
		fmt.Fprintf(&b, "\n%s %s (%s) %s", h.Name, h.Status, h.Customer, h.Room)
	}
	return b.String()
}

// Queues lists what waits in each queue, then the desk's status line and
// the rooms the server refuses, if any.
func Queues(queues []Queue, status, failing string) string {
	var b strings.Builder
	for _, q := range queues {
		fmt.Fprintf(&b, "%s: %d waiting\n", q.Name, q.Waiting)
	}
	b.WriteString(status)
	if failing != "" {
		b.WriteString("\n" + failing)
	}
	return b.String()
}
