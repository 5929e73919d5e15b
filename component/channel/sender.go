package channel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard/store"
	"switchboard/store/outbox"
)

// Deliverer makes one attempt at an entry: a channel's provider call, or
// a webhook's POST.
type Deliverer interface {
	Deliver(ctx context.Context, e *outbox.Entry) Result
}

// Result is how one attempt went.
type Result struct {
	// ProviderID is the provider's id of what it accepted.
	ProviderID string
	// Err says what failed (nil: accepted); Retry whether trying again
	// may help (network errors, 408, 429, 5xx), After the wait the
	// provider asked for (Retry-After).
	Err   error
	Retry bool
	After time.Duration
}

// Policy is when a channel gives up on an entry.
type Policy struct {
	MaxAttempts int
	MaxAge      time.Duration
}

// Sender delivers the outbox: what the store holds pending at start,
// then what Add hands it. Entries to one address go out one at a time
// and in order, a failing one holding those behind it; different
// addresses go out side by side. Every attempt is written to the entry
// first (a crash mid-call retries after the backoff, not at once).
type Sender struct {
	Store *store.Store
	// Done, when set, learns of an entry sent or dead (the desk tells
	// the room and writes the timeline).
	Done    func(e *outbox.Entry)
	Log     *slog.Logger
	Now     func() time.Time
	Metrics *SenderMetrics
	// Workers bounds the attempts in flight (default 16).
	Workers int

	routes atomic.Pointer[Routes]

	mu    sync.Mutex
	queue []*outbox.Entry // pending, by id
	busy  map[string]bool // addresses with an attempt in flight
	wake  chan struct{}
}

func (s *Sender) init() {
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
		s.busy = map[string]bool{}
		if s.Now == nil {
			s.Now = time.Now
		}
		if s.Log == nil {
			s.Log = slog.Default()
		}
		if s.Workers <= 0 {
			s.Workers = 16
		}
	}
}

// Routes are who delivers what: by an entry's channel (a [[channel]]'s
// name, a webhook's URL), and when each gives up.
type Routes struct {
	Deliverers map[string]Deliverer
	Policies   map[string]Policy
}

// SetRoutes sets the deliverers, at the start and when the configuration
// changes; attempts in flight finish with the ones they began with.
func (s *Sender) SetRoutes(r *Routes) { s.routes.Store(r) }

// Add hands the sender entries that are durable now.
func (s *Sender) Add(entries ...*outbox.Entry) {
	s.mu.Lock()
	s.init()
	for _, e := range entries {
		if i, found := slices.BinarySearchFunc(s.queue, e.ID, func(q *outbox.Entry, id uint64) int { return cmpID(q.ID, id) }); !found {
			s.queue = slices.Insert(s.queue, i, e)
		}
	}
	s.mu.Unlock()
	s.poke()
}

func cmpID(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *Sender) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends, starting from what the store holds.
func (s *Sender) Run(ctx context.Context) error {
	s.mu.Lock()
	s.init()
	s.mu.Unlock()
	var pending []*outbox.Entry
	if err := s.Store.View(func(tx *store.Tx) (err error) { pending, err = outbox.PendingEntries(tx); return err }); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	s.Add(pending...)
	if m := s.Metrics; m != nil && m.Dead != nil {
		n := 0
		if err := s.Store.View(func(tx *store.Tx) error {
			return outbox.Each(tx, outbox.Dead, 0, func(*outbox.Entry) bool { n++; return true })
		}); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		m.Dead.Set(float64(n))
	}
	slots := make(chan struct{}, s.Workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		now := s.Now()
		due, next := s.take(now, s.Workers-len(slots))
		for _, e := range due {
			slots <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				s.attempt(ctx, e)
				s.poke()
			}()
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(next.Sub(now), 0)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-timer.C:
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// take picks up to n entries due at now: the first pending one of each
// address that has none in flight. It returns when the next one not
// taken is due.
func (s *Sender) take(now time.Time, n int) (due []*outbox.Entry, next time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := map[string]bool{}
	for _, e := range s.queue {
		a := address(e)
		if held[a] || s.busy[a] {
			held[a] = true
			continue
		}
		held[a] = true
		if e.Next.After(now) || len(due) >= n {
			if next.IsZero() || e.Next.Before(next) {
				next = e.Next
			}
			continue
		}
		s.busy[a] = true
		due = append(due, e)
	}
	if m := s.Metrics; m != nil {
		m.Pending.Set(float64(len(s.queue)))
	}
	return due, next
}

func address(e *outbox.Entry) string { return e.Channel + "|" + e.To }

// attempt makes one attempt at e and writes how it went.
func (s *Sender) attempt(ctx context.Context, e *outbox.Entry) {
	defer func() {
		s.mu.Lock()
		delete(s.busy, address(e))
		s.mu.Unlock()
	}()
	now := s.Now()
	r := s.routes.Load()
	if r == nil {
		r = &Routes{}
	}
	p := r.Policies[e.Channel]
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 8
	}
	if p.MaxAge <= 0 {
		p.MaxAge = time.Hour
	}
	d := r.Deliverers[e.Channel]
	if d == nil {
		s.finish(e, outbox.Dead, fmt.Sprintf("no channel %q delivers it", e.Channel), "")
		return
	}
	e.Attempts++
	e.Next = now.Add(backoff(e.Attempts))
	if err := s.Store.Update(ctx, func(tx *store.Tx) error { return outbox.Attempted(tx, e) }); err != nil {
		s.Log.Error("outbox: recording an attempt failed; trying later", "entry", e.ID, "err", err)
		return
	}
	actx, cancel := context.WithTimeout(ctx, 30*time.Second)
	res := d.Deliver(actx, e)
	cancel()
	if ctx.Err() != nil && res.Err != nil {
		return // stopping: the attempt is tried again after a restart
	}
	switch {
	case res.Err == nil:
		retried := e.Attempts > 1
		s.finish(e, outbox.Sent, "", res.ProviderID)
		if retried {
			s.release(e.Channel, s.Now())
		}
		if m := s.Metrics; m != nil {
			m.Latency.WithLabelValues(kindLabel(e)).Observe(s.Now().Sub(e.Created).Seconds())
		}
		return
	case !res.Retry || e.Attempts >= p.MaxAttempts || s.Now().Sub(e.Created) >= p.MaxAge:
		why := res.Err.Error()
		if res.Retry {
			why = fmt.Sprintf("%s (gave up after %d attempts in %s)", why, e.Attempts, s.Now().Sub(e.Created).Round(time.Second))
		}
		s.finish(e, outbox.Dead, why, "")
		return
	}
	if res.After > 0 {
		e.Next = now.Add(min(res.After, time.Hour))
	}
	e.Error = res.Err.Error()
	s.Log.Info("outbox: delivery failed; trying again", "entry", e.ID, "channel", e.Channel, "attempt", e.Attempts, "next", e.Next.Sub(s.Now()).Round(time.Millisecond), "err", res.Err)
	if err := s.Store.Update(ctx, func(tx *store.Tx) error { return outbox.Attempted(tx, e) }); err != nil {
		s.Log.Error("outbox: recording a failed attempt failed", "entry", e.ID, "err", err)
	}
	if m := s.Metrics; m != nil {
		m.Attempts.WithLabelValues(kindLabel(e), "retry").Inc()
	}
}

// finish ends e: sent or dead.
func (s *Sender) finish(e *outbox.Entry, state, why, providerID string) {
	e.State, e.Error, e.ProviderID, e.Next = state, why, providerID, time.Time{}
	if state == outbox.Sent {
		e.Sent = s.Now()
	}
	err := s.Store.Update(context.Background(), func(tx *store.Tx) error { return outbox.Attempted(tx, e) })
	if err != nil {
		s.Log.Error("outbox: recording an entry's end failed", "entry", e.ID, "state", state, "err", err)
		return
	}
	s.mu.Lock()
	if i, found := slices.BinarySearchFunc(s.queue, e.ID, func(q *outbox.Entry, id uint64) int { return cmpID(q.ID, id) }); found {
		s.queue = slices.Delete(s.queue, i, i+1)
	}
	s.mu.Unlock()
	if m := s.Metrics; m != nil {
		m.Attempts.WithLabelValues(kindLabel(e), state).Inc()
	}
	if state == outbox.Dead {
		if m := s.Metrics; m != nil && m.Dead != nil {
			m.Dead.Inc()
		}
		s.Log.Warn("outbox: gave up on an entry", "entry", e.ID, "channel", e.Channel, "attempts", e.Attempts, "err", why)
	}
	if s.Done != nil {
		s.Done(e)
	}
}

// Retry makes dead entry id pending again, due now with its attempts
// counted afresh (outbox.ErrNotDead for one that is not dead).
func (s *Sender) Retry(ctx context.Context, id uint64) (*outbox.Entry, error) {
	var e *outbox.Entry
	err := s.Store.Update(ctx, func(tx *store.Tx) (err error) { e, err = outbox.Retry(tx, id, s.Now()); return err })
	if err != nil {
		return e, err
	}
	if m := s.Metrics; m != nil && m.Dead != nil {
		m.Dead.Dec()
	}
	shown := *e // e is the sender's from here
	s.Add(e)
	return &shown, nil
}

// backoff is the wait after attempt n: 2 seconds, three times longer
// after each attempt up to 50 seconds, with a fifth of jitter either way
// (at most a minute: a provider back is tried within one). Eight
// attempts, the default, span about four minutes.
func backoff(n int) time.Duration {
	d := 2 * time.Second
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 3
	}
	d = min(d, maxBackoff)
	return d + time.Duration((rand.Float64()-0.5)*0.4*float64(d))
}

const maxBackoff = 50 * time.Second

// release makes every entry of channel that waits for a retry due now:
// one of them went through, so the provider is back.
func (s *Sender) release(channel string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.queue {
		// (An entry in flight is its attempt's, not to be touched.)
		if e.Channel == channel && !s.busy[address(e)] && e.Attempts > 0 && e.Next.After(now) {
			e.Next = now
		}
	}
}

func kindLabel(e *outbox.Entry) string {
	if e.Kind == outbox.Webhook {
		return "webhook"
	}
	return "reply"
}

// ErrFinal wraps an answer that retrying cannot help.
var ErrFinal = errors.New("refused")

// SenderMetrics are the outbox's.
type SenderMetrics struct {
	Pending  prometheus.Gauge
	Dead     prometheus.Gauge
	Attempts *prometheus.CounterVec
	Latency  *prometheus.HistogramVec
}
