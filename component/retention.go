package component

import (
	"context"
	"time"

	"switchboard/store"
)

// purgeLoop applies the retention policy in the background: once shortly
// after start, then every store.purge_every. A purge reads in one read
// transaction and deletes in small write transactions that queue with the
// desk's own writes, so routing, which never waits for the store, goes on.
func (d *Desk) purgeLoop(ctx context.Context) {
	r := store.Retention{
		KeepClosed:     d.cfg.Store.KeepClosed,
		KeepConsumed:   d.cfg.Store.KeepConsumed,
		KeepUnconsumed: d.cfg.Store.KeepUnconsumed,
	}
	if r == (store.Retention{}) {
		return
	}
	wait := time.Minute
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = d.cfg.Store.PurgeEvery
		start := time.Now()
		p, err := d.store.Purge(d.now(), r)
		if err != nil {
			d.metrics.purgeFailures.Inc()
			d.log.Error("retention purge failed", "err", err)
			continue
		}
		if p.Conversations > 0 || p.Messages > 0 {
			d.log.Info("retention purge", "conversations", p.Conversations, "messages", p.Messages, "took", time.Since(start).Round(time.Millisecond))
		}
	}
}
