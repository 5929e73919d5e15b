package channel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/store"
	"switchboard/store/outbox"
)

// deliverer plays a provider: fail says how attempt n at an entry goes.
type deliverer struct {
	mu       sync.Mutex
	inFlight map[string]int
	got      []string // bodies, in the order they were taken
	attempts map[uint64]int
	fail     func(e *outbox.Entry, n int) Result
	t        *testing.T
}

func (d *deliverer) Deliver(_ context.Context, e *outbox.Entry) Result {
	d.mu.Lock()
	d.inFlight[e.To]++
	if d.inFlight[e.To] > 1 {
		d.t.Errorf("two attempts at once to %s", e.To)
	}
	d.attempts[e.ID]++
	n := d.attempts[e.ID]
	d.mu.Unlock()
	time.Sleep(time.Millisecond)
	r := Result{ProviderID: fmt.Sprint("P", e.ID)}
	if d.fail != nil {
		r = d.fail(e, n)
	}
	d.mu.Lock()
	d.inFlight[e.To]--
	if r.Err == nil {
		d.got = append(d.got, e.Body)
	}
	d.mu.Unlock()
	return r
}

func newSender(t *testing.T, path string, d *deliverer, policy Policy) (*Sender, chan *outbox.Entry, *store.Store) {
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *outbox.Entry, 100)
	s := &Sender{Store: st, Done: func(e *outbox.Entry) { done <- e }, Log: slog.New(slog.DiscardHandler)}
	s.SetRoutes(&Routes{Deliverers: map[string]Deliverer{"sms": d}, Policies: map[string]Policy{"sms": policy}})
	return s, done, st
}

func add(t *testing.T, st *store.Store, to, body string) *outbox.Entry {
	e := &outbox.Entry{Kind: outbox.Reply, Channel: "sms", To: to, Body: body}
	if err := st.Update(context.Background(), func(tx *store.Tx) error { return outbox.Add(tx, e, time.Now()) }); err != nil {
		t.Fatal(err)
	}
	return e
}

func newDeliverer(t *testing.T) *deliverer {
	return &deliverer{inFlight: map[string]int{}, attempts: map[uint64]int{}, t: t}
}

func TestSenderOrderAndRetries(t *testing.T) {
	d := newDeliverer(t)
	// Every first attempt fails and asks for a short wait.
	d.fail = func(e *outbox.Entry, n int) Result {
		if n == 1 {
			return Result{Err: errors.New("answered 503"), Retry: true, After: 5 * time.Millisecond}
		}
		return Result{ProviderID: "ok"}
	}
	s, done, st := newSender(t, filepath.Join(t.TempDir(), "sb.db"), d, Policy{MaxAttempts: 3, MaxAge: time.Minute})
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	var entries []*outbox.Entry
	for i := range 4 {
		for _, to := range []string{"+491", "+492"} {
			entries = append(entries, add(t, st, to, fmt.Sprintf("%s-%d", to, i)))
		}
	}
	s.Add(entries...)
	for range entries {
		select {
		case e := <-done:
			if e.State != outbox.Sent || e.Attempts != 2 || e.ProviderID != "ok" {
				t.Errorf("entry %+v", e)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("not all sent")
		}
	}
	cancel()
	<-stopped
	// In order per address.
	var first, second []string
	for _, b := range d.got {
		if strings.HasPrefix(b, "+491") {
			first = append(first, b)
		} else {
			second = append(second, b)
		}
	}
	if strings.Join(first, " ") != "+491-0 +491-1 +491-2 +491-3" || strings.Join(second, " ") != "+492-0 +492-1 +492-2 +492-3" {
		t.Fatalf("order %v %v", first, second)
	}
}

func TestSenderDeadLetters(t *testing.T) {
	d := newDeliverer(t)
	d.fail = func(e *outbox.Entry, n int) Result {
		if e.Body == "final" {
			return Result{Err: final("answered 400 (21211: Invalid 'To' Phone Number)")}
		}
		return Result{Err: errors.New("no answer"), Retry: true, After: time.Millisecond}
	}
	s, done, st := newSender(t, filepath.Join(t.TempDir(), "sb.db"), d, Policy{MaxAttempts: 3, MaxAge: time.Minute})
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	s.Add(add(t, st, "+491", "final"), add(t, st, "+492", "down"))
	got := map[string]*outbox.Entry{}
	for range 2 {
		select {
		case e := <-done:
			got[e.Body] = e
		case <-time.After(10 * time.Second):
			t.Fatal("not given up")
		}
	}
	if e := got["final"]; e.State != outbox.Dead || e.Attempts != 1 || !strings.Contains(e.Error, "21211") {
		t.Fatalf("final: %+v", e)
	}
	if e := got["down"]; e.State != outbox.Dead || e.Attempts != 3 || !strings.Contains(e.Error, "gave up after 3 attempts") {
		t.Fatalf("down: %+v", e)
	}
	// Sent again: pending, attempts afresh, delivered.
	d.mu.Lock()
	d.fail = nil
	d.mu.Unlock()
	if _, err := s.Retry(ctx, got["down"].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Retry(ctx, got["down"].ID); !errors.Is(err, outbox.ErrNotDead) {
		t.Fatalf("a second retry: %v", err)
	}
	select {
	case e := <-done:
		if e.State != outbox.Sent || e.Attempts != 1 {
			t.Fatalf("retried: %+v", e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not sent again")
	}
}

// A sender started over a store with pending entries sends them.
func TestSenderResumes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sb.db")
	d := newDeliverer(t)
	_, _, st := newSender(t, path, d, Policy{})
	add(t, st, "+491", "one")
	add(t, st, "+491", "two")
	st.Close()
	s, done, st := newSender(t, path, d, Policy{})
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	for range 2 {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("pending entries not sent")
		}
	}
	if strings.Join(d.got, " ") != "one two" {
		t.Fatalf("sent %v", d.got)
	}
}

func TestBackoff(t *testing.T) {
	var total time.Duration
	for n := 1; n <= 7; n++ { // the waits between 8 attempts
		d := backoff(n)
		if d > time.Minute || d < time.Second {
			t.Fatalf("backoff(%d) = %v", n, d)
		}
		total += d
	}
	if total < 2*time.Minute || total > 6*time.Minute {
		t.Fatalf("8 attempts span %v", total)
	}
}

// When the provider is back, what waits for a retry goes at once.
func TestSenderReleasesWhenBack(t *testing.T) {
	d := newDeliverer(t)
	var mu sync.Mutex
	down := true
	d.fail = func(e *outbox.Entry, n int) Result {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return Result{Err: errors.New("answered 503"), Retry: true}
		}
		return Result{}
	}
	s, done, st := newSender(t, filepath.Join(t.TempDir(), "sb.db"), d, Policy{MaxAttempts: 20, MaxAge: time.Hour})
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	var entries []*outbox.Entry
	for i := range 20 {
		entries = append(entries, add(t, st, fmt.Sprint("+49", i), "x"))
	}
	s.Add(entries...)
	// Every address tried once or twice: their next attempts are seconds
	// away.
	deadline := time.Now().Add(10 * time.Second)
	for {
		d.mu.Lock()
		n := len(d.attempts)
		d.mu.Unlock()
		if n == 20 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	// One more attempt is due within the backoff; the rest follow it.
	start := time.Now()
	for range entries {
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("not all sent")
		}
	}
	if took := time.Since(start); took > 8*time.Second {
		t.Fatalf("the provider back, the rest took %v", took)
	}
}
