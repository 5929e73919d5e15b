package component

import (
	"context"
	"time"

	"switchboard/store/retention"
)

// purgeLoop applies the retention policy in the background: once shortly
// after start, then every store.purge_every (as the configuration says at
// the time). A purge reads in one read transaction and deletes in small
// write transactions that queue with the desk's own writes, so routing,
// which never waits for the store, goes on.
func (d *Daemon) purgeLoop(ctx context.Context) {
	wait := time.Minute
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		cfg := d.cfg.Load()
		wait = cfg.Store.PurgeEvery
		r := retention.Policy{
			KeepClosed:     cfg.Store.KeepClosed,
			KeepConsumed:   cfg.Store.KeepConsumed,
			KeepUnconsumed: cfg.Store.KeepUnconsumed,
		}
		// (With nothing configured, the channels' old message keys still
		// go: retention.Purge.)
		start := time.Now()
		p, err := retention.Purge(d.st, time.Now(), r)
		if err != nil {
			d.purgeFailures.Inc()
			d.log.Error("retention purge failed", "err", err)
			continue
		}
		if p.Conversations > 0 || p.Messages > 0 || p.Keys > 0 || p.Outbox > 0 {
			d.log.Info("retention purge", "conversations", p.Conversations, "messages", p.Messages, "message_keys", p.Keys, "outbox", p.Outbox,
				"took", time.Since(start).Round(time.Millisecond))
		}
	}
}
