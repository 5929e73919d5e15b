package routing_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"switchboard/routing"
)

// BenchmarkDispatch measures one routing decision with 1,000 agents (all
// busy but one, which just freed up) and 10,000 queued conversations, and
// reports the distribution of decision times.
func BenchmarkDispatch(b *testing.B) {
	skills := []string{"billing", "tech", "sales", "general"}
	var ag []routing.Agent
	for i := 0; i < 1000; i++ {
		ag = append(ag, routing.Agent{JID: fmt.Sprintf("agent%04d@example.com", i),
			Skills: map[string]int{skills[i%4]: 5 + i%5, skills[(i+1)%4]: 3}, Languages: []string{"en"}, MaxChats: 3})
	}
	var qs []routing.Queue
	for _, s := range skills {
		qs = append(qs, routing.Queue{Name: s, Skills: map[string]int{s: 4}, Strategy: routing.LongestIdle})
	}
	r := routing.New(fakeAvail{}, qs, ag, t0)
	for _, a := range ag {
		for i := 0; i < a.MaxChats; i++ {
			r.Assigned(a.JID)
		}
	}
	next := uint64(1)
	for ; next <= 10000; next++ {
		r.Enqueue(&routing.Conversation{ID: next, Queue: skills[next%4], Since: t0.Add(time.Duration(next) * time.Millisecond), Priority: int(next % 3)})
	}
	durs := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a := ag[i%len(ag)].JID
		i++
		r.Release(a, t0)
		start := time.Now()
		offers := r.Dispatch(t0)
		durs = append(durs, time.Since(start))
		if len(offers) != 1 {
			b.Fatalf("offers = %d", len(offers))
		}
		// The agent took it; a new customer queues behind.
		r.Accept(offers[0].Conversation, offers[0].Agent)
		r.Enqueue(&routing.Conversation{ID: next, Queue: skills[next%4], Since: t0.Add(time.Duration(next) * time.Millisecond)})
		next++
	}
	slices.Sort(durs)
	q := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
	b.ReportMetric(q(1), "max-µs")
}
