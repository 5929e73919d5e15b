package store_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"switchboard/store"
)

func open(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sb.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

var at = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestRoundTrip(t *testing.T) {
	s, path := open(t)
	ctx := context.Background()
	c := &store.Conversation{ID: 7, Status: store.StatusQueued, Kind: store.KindChat, Customer: "c@x", Created: at, Answers: map[string]string{"order": "123456"}}
	err := s.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutConversation(c); err != nil {
			return err
		}
		if err := tx.AppendEvent(7, store.Event{At: at, Actor: "c@x", Action: "message-in"}); err != nil {
			return err
		}
		if err := tx.AppendMessage(7, store.Message{At: at, From: "customer", Body: "hi"}); err != nil {
			return err
		}
		return tx.AppendMessage(7, store.Message{At: at, From: "alice@x", Body: "note", Private: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *store.Tx) error {
		if tx.LastID() != 7 {
			t.Errorf("last id = %d", tx.LastID())
		}
		active, err := tx.Active()
		if err != nil || len(active) != 1 || active[0].Answers["order"] != "123456" {
			t.Errorf("active = %v, %v", active, err)
		}
		msgs, _ := tx.Transcript(7)
		if len(msgs) != 2 || msgs[0].Body != "hi" || !msgs[1].Private {
			t.Errorf("transcript = %+v", msgs)
		}
		ev, _ := tx.Timeline(7)
		if len(ev) != 1 || ev[0].Action != "message-in" {
			t.Errorf("timeline = %+v", ev)
		}
		if _, err := tx.Conversation(8); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing conversation: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestClosedLeavesActive(t *testing.T) {
	s, _ := open(t)
	c := &store.Conversation{ID: 1, Status: store.StatusOpen}
	ctx := context.Background()
	_ = s.Update(ctx, func(tx *store.Tx) error { return tx.PutConversation(c) })
	c.Status = store.StatusClosed
	_ = s.Update(ctx, func(tx *store.Tx) error { return tx.PutConversation(c) })
	_ = s.View(func(tx *store.Tx) error {
		if a, _ := tx.Active(); len(a) != 0 {
			t.Errorf("closed conversation still active: %v", a)
		}
		return nil
	})
}

func TestSubmitOrderAndGrouping(t *testing.T) {
	s, _ := open(t)
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := 0; i < 500; i++ {
		wg.Add(1)
		s.Submit(func(tx *store.Tx) error {
			return tx.AppendMessage(1, store.Message{Body: "m"})
		}, func(err error) {
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			wg.Done()
		})
	}
	wg.Wait()
	for i, v := range order {
		if v != i {
			t.Fatalf("done callbacks out of order at %d: %d", i, v)
		}
	}
	_ = s.View(func(tx *store.Tx) error {
		if m, _ := tx.Transcript(1); len(m) != 500 {
			t.Errorf("transcript has %d messages", len(m))
		}
		return nil
	})
}

func TestLockedAndCorrupt(t *testing.T) {
	_, path := open(t)
	if _, err := store.Open(path, store.Options{LockTimeout: 50 * time.Millisecond}); err == nil || !strings.Contains(err.Error(), "locked by another process") {
		t.Fatalf("second open: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.db")
	if err := os.WriteFile(bad, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(bad, store.Options{}); err == nil || !strings.Contains(err.Error(), "not a usable switchboard database") {
		t.Fatalf("corrupt open: %v", err)
	}
}

func TestBackupWhileOpen(t *testing.T) {
	s, _ := open(t)
	_ = s.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutConversation(&store.Conversation{ID: 3, Status: store.StatusOpen})
	})
	dst := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(dst); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(dst, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_ = b.View(func(tx *store.Tx) error {
		if c, err := tx.Conversation(3); err != nil || c.ID != 3 {
			t.Errorf("backup conversation: %v %v", c, err)
		}
		return nil
	})
}

func BenchmarkAppend(b *testing.B) {
	s, _ := open(b)
	ctx := context.Background()
	m := store.Message{At: at, From: "customer", Body: strings.Repeat("x", 120)}
	b.Run("single", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Update(ctx, func(tx *store.Tx) error { return tx.AppendMessage(1, m) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("group", func(b *testing.B) {
		b.ReportAllocs()
		var wg sync.WaitGroup
		for b.Loop() {
			wg.Add(1)
			s.Submit(func(tx *store.Tx) error { return tx.AppendMessage(1, m) }, func(error) { wg.Done() })
		}
		wg.Wait()
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	s, path := open(t)
	s.Close()
	// Pretend a newer switchboard wrote the file.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, store.SchemaVersion+1)
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), b)
	})
	db.Close()
	if _, err := store.Open(path, store.Options{}); err == nil || !strings.Contains(err.Error(), "newer than this switchboard") {
		t.Fatalf("open = %v", err)
	}
}

func TestTranscriptTail(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	s.Update(ctx, func(tx *store.Tx) error {
		for id := uint64(1); id <= 3; id++ {
			for i := 0; i < 5; i++ {
				if err := tx.AppendMessage(id, store.Message{Body: fmt.Sprintf("%d-%d", id, i)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	s.View(func(tx *store.Tx) error {
		for _, tc := range []struct {
			id    uint64
			n     int
			want  string
			total int
		}{{1, 2, "1-3 1-4", 5}, {2, 10, "2-0 2-1 2-2 2-3 2-4", 5}, {3, 1, "3-4", 5}, {4, 3, "", 0}} {
			msgs, total, err := tx.TranscriptTail(tc.id, tc.n)
			var got []string
			for _, m := range msgs {
				got = append(got, m.Body)
			}
			if err != nil || strings.Join(got, " ") != tc.want || total != tc.total {
				t.Errorf("tail(%d, %d) = %v %d %v, want %q %d", tc.id, tc.n, got, total, err, tc.want, tc.total)
			}
		}
		return nil
	})
}

// BenchmarkRelay writes what the desk writes per relayed message (a
// transcript message and a message event, for 200 conversations in turn)
// from 1, 10 and 1,000 writers at once, each waiting for its write to be
// durable before the next, and reports the process's CPU time (user and
// system: log writes, fdatasync and bbolt's commits included) per message
// and how long a write took to be durable.
func BenchmarkRelay(b *testing.B) {
	for _, writers := range []int{1, 10, 1000} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s, _ := open(b)
			m := store.Message{At: at, From: "customer", Body: strings.Repeat("x", 60)}
			e := store.Event{At: at, Actor: "customer@example.com", Action: "message-in"}
			var next atomic.Int64
			lat := make([][]time.Duration, writers)
			b.ReportAllocs()
			b.ResetTimer()
			start := cpuTime()
			var wg sync.WaitGroup
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					done := make(chan error, 1)
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						id := uint64(1 + i%200)
						t0 := time.Now()
						s.Submit(func(tx *store.Tx) error {
							if err := tx.AppendEvent(id, e); err != nil {
								return err
							}
							if err := tx.AppendMessage(id, m); err != nil {
								return err
							}
							return tx.MarkSeen(id)
						}, func(err error) { done <- err })
						if err := <-done; err != nil {
							b.Error(err)
							return
						}
						lat[w] = append(lat[w], time.Since(t0))
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e3, "cpu-µs/msg")
			all := slices.Concat(lat...)
			slices.Sort(all)
			q := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) }
			b.ReportMetric(q(0.5), "p50-µs")
			b.ReportMetric(q(0.99), "p99-µs")
			b.ReportMetric(q(1), "max-µs")
		})
	}
}

// A write that fails leaves nothing behind, while the others of its
// transaction commit; readers learn which writes their snapshot holds.
func TestWriteAtomic(t *testing.T) {
	// bbolt takes the log only when asked: the failed write's transaction
	// holds acknowledged writes that must survive its rollback.
	s, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{ApplyEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutConversation(&store.Conversation{ID: 9, Status: store.StatusOpen})
	}); err != nil {
		t.Fatal(err)
	}
	put := func(id uint64, fail bool) func(*store.Tx) error {
		return func(tx *store.Tx) error {
			if err := tx.PutConversation(&store.Conversation{ID: id, Status: store.StatusOpen}); err != nil {
				return err
			}
			if err := tx.AppendMessage(id, store.Message{Body: "hi"}); err != nil {
				return err
			}
			if fail {
				return errors.New("refused")
			}
			return nil
		}
	}
	// Three writes queued together, behind one that holds the committer,
	// share a transaction.
	hold := make(chan struct{})
	s.Submit(func(*store.Tx) error { <-hold; return nil }, nil)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	var seqs []uint64
	for i, fail := range []bool{false, true, false} {
		wg.Add(1)
		seqs = append(seqs, s.Submit(put(uint64(i+1), fail), func(err error) { errs[i] = err; wg.Done() }))
	}
	close(hold)
	wg.Wait()
	// A write counts done once its callback has returned.
	for deadline := time.Now().Add(5 * time.Second); s.Pending() > 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("errors = %v", errs)
	}
	if seqs[0] != 3 || seqs[2] != 5 || s.Done() != 5 || s.Pending() != 0 {
		t.Fatalf("numbers %v, done %d, pending %d", seqs, s.Done(), s.Pending())
	}
	err = s.View(func(tx *store.Tx) error {
		if _, err := tx.Conversation(2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the failed write's record is there: %v", err)
		}
		if m, _ := tx.Transcript(2); len(m) != 0 {
			t.Errorf("the failed write's message is there: %v", m)
		}
		for _, id := range []uint64{1, 3, 9} {
			if _, err := tx.Conversation(id); err != nil {
				t.Errorf("conversation %d: %v", id, err)
			}
		}
		if tx.Done() != 5 {
			t.Errorf("snapshot holds writes up to %d, want 5", tx.Done())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Verify accepts a good copy and refuses a damaged one; Restore keeps the
// old file aside and refuses a store a desk has open.
func TestViewSeesAcknowledged(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{ApplyEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seq := s.Submit(func(tx *store.Tx) error { return tx.AppendMessage(1, store.Message{Body: "hello"}) }, nil)
	for deadline := time.Now().Add(5 * time.Second); s.Done() < seq && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if s.Applied() >= seq {
		t.Fatalf("applied %d before an hour", s.Applied())
	}
	s.ViewApplied(func(tx *store.Tx) error {
		if m, _ := tx.Transcript(1); len(m) != 0 || tx.Done() >= seq {
			t.Errorf("bbolt holds %v, done %d", m, tx.Done())
		}
		return nil
	})
	s.View(func(tx *store.Tx) error {
		if m, _ := tx.Transcript(1); len(m) != 1 || tx.Done() < seq {
			t.Errorf("View sees %v, done %d", m, tx.Done())
		}
		return nil
	})
	if s.Applied() < seq {
		t.Errorf("applied %d after View", s.Applied())
	}
}
