package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/store"
	"switchboard/store/report"
)

var day = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// seedReport writes n ended conversations over two queues and agents,
// one every spacing from day on.
func seedReport(tb testing.TB, s *store.Store, n int, spacing time.Duration) {
	tb.Helper()
	for i := 0; i < n; i += 500 {
		err := s.Update(context.Background(), func(tx *store.Tx) error {
			for j := i; j < min(n, i+500); j++ {
				created := day.Add(time.Duration(j) * spacing)
				c := &store.Conversation{ID: uint64(j + 1), Kind: store.KindChat, Customer: fmt.Sprintf("c%d@example.com", j), Created: created,
					Queue: []string{"billing", "sales"}[j%2], Status: store.StatusClosed}
				switch j % 10 {
				case 0: // left in the dialog
					c.Status, c.Queue = store.StatusAbandoned, ""
				case 1: // left while queued
					c.Status, c.Queued = store.StatusAbandoned, created.Add(time.Minute)
				default:
					c.Queued = created.Add(time.Minute)
					c.Agent = []string{"alice@example.com", "bob@example.com"}[j%2]
					c.Assigned = c.Queued.Add(time.Duration(j%10) * 10 * time.Second)
					c.FirstReply = c.Assigned.Add(30 * time.Second)
					c.Rating = 1 + j%5
				}
				if j%10 == 9 {
					c.Kind, c.Transfers = store.KindCallback, 1
				}
				c.Closed = created.Add(8 * time.Minute)
				if err := tx.PutConversation(c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func open(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReport(t *testing.T) {
	s := open(t)
	seedReport(t, s, 300, 10*time.Minute) // 300 × 10 min: about 2 days and 2 hours
	var r *report.Report
	err := s.View(func(tx *store.Tx) (err error) {
		r, err = report.Of(tx, day, day.Add(24*time.Hour), report.ByQueue, time.UTC)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tot := r.Total
	// The first day: conversations 0..143 (closed by 23:58).
	if tot.Ended != 144 || tot.AbandonedDialog != 15 || tot.AbandonedQueue != 15 || tot.Answered != 114 || tot.Offered != 129 || tot.Callbacks != 14 || tot.Transfers != 14 {
		t.Fatalf("total %+v", tot)
	}
	if tot.Wait.N != 114 || tot.Wait.P50 != 50 || tot.Wait.P90 != 90 || tot.FirstReply.P50 != 80 || tot.Handle.P50 != 7*60-50 {
		t.Fatalf("quantiles %+v %+v %+v", tot.Wait, tot.FirstReply, tot.Handle)
	}
	if tot.Rated != 114 || tot.Ratings[0] == 0 || tot.RatingAverage < 2.5 || tot.RatingAverage > 3.5 {
		t.Fatalf("ratings %d %v %v", tot.Rated, tot.Ratings, tot.RatingAverage)
	}
	var keys []string
	for _, row := range r.Rows {
		keys = append(keys, row.Key)
	}
	if strings.Join(keys, ",") != "(none),billing,sales" {
		t.Fatalf("rows %v", keys)
	}
	err = s.View(func(tx *store.Tx) (err error) {
		r, err = report.Of(tx, day, day.Add(72*time.Hour), report.ByDay, time.UTC)
		return err
	})
	if err != nil || len(r.Rows) != 3 || r.Rows[0].Key != "2026-11-02" || r.Rows[2].Ended != 300-288 {
		t.Fatalf("by day: %+v %v", r.Rows, err)
	}
	for _, tc := range []struct {
		from, to time.Time
		by       report.By
		want     string
	}{
		{day.Add(time.Hour), day, report.ByQueue, "from must be before to"},
		{day, day.AddDate(10, 0, 0), report.ByQueue, "at most 366 days"},
		{day, day.Add(time.Hour), "customer", "by: want queue, agent or day"},
	} {
		if err := report.Check(tc.from, tc.to, tc.by); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%v, %v, %s) = %v", tc.from, tc.to, tc.by, err)
		}
	}
}

// The frozen database of the current schema reports its closed
// conversation.
func TestReportFrozen(t *testing.T) {
	frozen, err := os.ReadFile(filepath.Join("..", "..", "testdata", "store", fmt.Sprintf("schema-%d.db", store.SchemaVersion)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sb.db")
	os.WriteFile(path, frozen, 0o600)
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *store.Tx) error {
		r, err := report.Of(tx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), report.ByAgent, time.UTC)
		if err != nil {
			return err
		}
		if r.Total.Ended != 1 || r.Total.Rated != 1 || r.Total.Ratings[3] != 1 || len(r.Rows) != 1 {
			t.Fatalf("report %+v", r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkReport builds a report over 100,000 ended conversations.
func BenchmarkReport(b *testing.B) {
	s := open(b)
	seedReport(b, s, 100_000, 5*time.Minute) // 347 days
	b.ResetTimer()
	for b.Loop() {
		err := s.View(func(tx *store.Tx) error {
			r, err := report.Of(tx, day, day.Add(report.MaxSpan), report.ByQueue, time.UTC)
			if err == nil && r.Total.Ended != 100_000 {
				err = fmt.Errorf("ended %d", r.Total.Ended)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
