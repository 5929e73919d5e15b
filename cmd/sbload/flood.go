package main

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"switchboard/component/wire"
)

// floodLimit is the desk's desk.rate_limit (messages per minute per
// customer) in the flood run: well above what a paced customer sends.
const floodLimit = 600

// floodRun measures what one JID flooding the desk does to everyone
// else: the same paced relay phase without and with the flood, and how
// the flood was answered.
func floodRun(ctx context.Context, o options, customers, agents []*client, rooms []conversation, flooder *client, httpAddr string) error {
	paced := o
	paced.rate = o.floodBase
	mk := relayRoute(rooms)
	quiet, err := measure(ctx, paced, customers, agents, mk)
	if err != nil {
		return fmt.Errorf("paced phase: %w", err)
	}

	var sent, errors, answers atomic.Int64
	flooder.on(func(s wire.Stanza) {
		switch {
		case s.Type == "error":
			errors.Add(1)
		case s.Type == "chat":
			answers.Add(1)
		}
	})
	m0 := scrape(httpAddr)
	fctx, stop := context.WithCancel(ctx)
	floodDone := make(chan struct{})
	go func() {
		defer close(floodDone)
		interval := time.Second / time.Duration(o.flood)
		next := time.Now()
		for i := 0; fctx.Err() == nil; i++ {
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
			next = next.Add(interval)
			if flooder.Message(fctx, entry, fmt.Sprintf("flood %d", i)) != nil {
				return
			}
			sent.Add(1)
		}
	}()
	time.Sleep(time.Second) // the flood is on before the measured messages
	loud, err := measure(ctx, paced, customers, agents, mk)
	stop()
	<-floodDone
	if err != nil {
		return fmt.Errorf("paced phase under flood: %w", err)
	}
	time.Sleep(500 * time.Millisecond) // the last errors arrive
	m1 := scrape(httpAddr)
	limited := m1[`switchboard_bad_input_total{kind="rate_limited_jid"}`] - m0[`switchboard_bad_input_total{kind="rate_limited_jid"}`]

	fmt.Printf("sbload -flood: %d customers paced at %d msg/s in all through the desk (rate_limit %d/min), one more customer flooding at %d msg/s\n",
		len(customers), o.floodBase, floodLimit, o.flood)
	fmt.Printf("without flood  %s\n", quiet)
	fmt.Printf("with flood     %s\n", loud)
	all := func(r result) []time.Duration {
		d := append(slices.Clone(r.toAgent), r.toCust...)
		slices.Sort(d)
		return d
	}
	ratio := func(q float64) float64 {
		return float64(quantile(all(loud), q)) / float64(quantile(all(quiet), q))
	}
	fmt.Printf("others' latency with flood / without: p50 %.2f×, p99 %.2f×\n", ratio(0.5), ratio(0.99))
	fmt.Printf("flooder: %d messages sent, %d stanza errors back, %d answers; desk counted %.0f rate-limited\n",
		sent.Load(), errors.Load(), answers.Load(), limited)
	return nil
}
