package desk

import (
	"runtime/debug"
	"sync/atomic"
	"time"
)

// quietBeforeRelease is how long the desk sees no stanza and no write
// before it gives memory back to the system.
const quietBeforeRelease = 3 * time.Second

// release hands memory back once the desk goes quiet: the store's file
// pages (bbolt's map keeps every page it has read resident) and the Go
// heap's free pages, which the runtime would otherwise keep as headroom
// for the next burst. An idle desk with thousands of open conversations
// then holds little more than their state.
type release struct {
	seen       uint64    // Desk.activity at the last tick; actor only
	quietSince time.Time // actor only
	done       bool      // nothing happened since the last release; actor only
	running    atomic.Bool
}

// releaseWhenQuiet runs on the actor's tick.
func (d *Desk) releaseWhenQuiet(now time.Time) {
	r := &d.release
	if a := d.Activity.Load(); a != r.seen || r.quietSince.IsZero() {
		r.seen, r.quietSince, r.done = a, now, false
		return
	}
	if r.done || now.Sub(r.quietSince) < quietBeforeRelease || !r.running.CompareAndSwap(false, true) {
		return
	}
	r.done = true
	go func() {
		defer r.running.Store(false)
		if err := d.Store.ReleaseMemory(); err != nil {
			d.Log.Debug("releasing the store's pages failed", "err", err)
		}
		debug.FreeOSMemory()
		d.Metrics.MemoryReleases.Inc()
	}()
}
