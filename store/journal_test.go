package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/store/schema"

	bolt "go.etcd.io/bbolt"
)

// TestJournal reads conversations whose entries are partly folded and
// partly still in the journal, before and after a reopen, and checks that
// a full journal folds by itself in the commit that fills it.
func TestJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sb.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	write := func(from, to int) {
		t.Helper()
		err := s.Update(ctx, func(tx *Tx) error {
			for i := from; i < to; i++ {
				id := uint64(1 + i%2)
				if err := tx.AppendMessage(id, Message{At: at, From: "customer", Body: fmt.Sprint(i)}); err != nil {
					return err
				}
				if err := tx.AppendEvent(id, Event{At: at, Actor: "c", Action: "message-in", Detail: fmt.Sprint(i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check := func(stage string, n int) {
		t.Helper()
		err := s.View(func(tx *Tx) error {
			for id := uint64(1); id <= 2; id++ {
				msgs, err := tx.Transcript(id)
				if err != nil {
					return err
				}
				evs, err := tx.Timeline(id)
				if err != nil {
					return err
				}
				want := (n + 2 - int(id)) / 2
				if len(msgs) != want || len(evs) != want {
					t.Fatalf("%s: conversation %d has %d messages, %d events, want %d", stage, id, len(msgs), len(evs), want)
				}
				for k, m := range msgs {
					if m.Body != fmt.Sprint(2*k+int(id)-1) || evs[k].Detail != m.Body {
						t.Fatalf("%s: conversation %d entry %d = %q/%q, out of order", stage, id, k, m.Body, evs[k].Detail)
					}
				}
				tail, total, err := tx.TranscriptTail(id, 3)
				if err != nil {
					return err
				}
				if total != want || len(tail) != min(3, want) || tail[len(tail)-1].Body != msgs[len(msgs)-1].Body || tail[0].Body != msgs[len(msgs)-len(tail)].Body {
					t.Fatalf("%s: tail of %d = %d of %d, %+v", stage, id, len(tail), total, tail)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	journaled := func() uint64 {
		var n uint64
		s.View(func(tx *Tx) error { n = tx.tx.Bucket(schema.Journal).Sequence(); return nil })
		return n
	}

	write(0, 10)
	check("all journaled", 10)
	if err := s.Update(ctx, func(tx *Tx) error { return tx.fold() }); err != nil {
		t.Fatal(err)
	}
	if journaled() != 0 {
		t.Fatal("journal not empty after a fold")
	}
	check("all folded", 10)
	write(10, 15)
	check("folded and journaled", 15)
	s.Close()
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	check("after a reopen", 15)

	// Filling the journal folds it in the same commit.
	write(15, 15+foldAt/2)
	if n := journaled(); n != 0 {
		t.Fatalf("journal holds %d entries after reaching %d", n, foldAt)
	}
	check("after the automatic fold", 15+foldAt/2)
	write(15+foldAt/2, 20+foldAt/2)
	check("and after", 20+foldAt/2)

	// A purged conversation leaves nothing in the journal either.
	err = s.Update(ctx, func(tx *Tx) error {
		if err := tx.PutConversation(&Conversation{ID: 1, Status: StatusClosed, Customer: "c@x", Created: at, Closed: at}); err != nil {
			return err
		}
		return tx.PutCustomer(&Customer{JID: "c@x", Conversations: []uint64{1}})
	})
	if err != nil {
		t.Fatal(err)
	}
	write(20+foldAt/2, 22+foldAt/2)
	if err := s.Update(ctx, func(tx *Tx) error {
		_, err := tx.DeleteConversation(1, func(*Conversation) bool { return true })
		return err
	}); err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		return tx.journaled(tagMessage, 1, func(_, v []byte) error { return fmt.Errorf("left in the journal: %s", v) })
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUpgradeJournal opens a schema 4 database, whose journal holds one
// JSON entry per value, and reads its entries back beside new ones.
func TestUpgradeJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v4.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		j := tx.Bucket(schema.Journal)
		for _, rec := range []struct {
			tag  byte
			bkt  []byte
			json string
		}{
			{tagMessage, schema.Transcript, `{"at":"2026-01-02T03:04:05Z","from":"customer","body":"old one","private":false}`},
			{tagEvent, schema.Timeline, `{"at":"2026-01-02T03:04:05Z","actor":"c@x","action":"message-in"}`},
			{tagMessage, schema.Transcript, `{"at":"2026-01-02T03:04:05Z","from":"a@x","body":"old two","private":true}`},
		} {
			seq, _ := tx.Bucket(rec.bkt).NextSequence()
			n, _ := j.NextSequence()
			v := append([]byte{rec.tag}, schema.U64(7)...)
			v = append(append(v, schema.U64(seq)...), rec.json...)
			if err := j.Put(schema.U64(n), v); err != nil {
				return err
			}
		}
		return tx.Bucket(schema.Meta).Put(schema.KeySchema, schema.U64(4))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	err = s.Update(ctx, func(tx *Tx) error {
		return tx.AppendMessage(7, Message{At: at, From: "desk", Body: "new one"})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "customer:old one:false a@x:old two:true desk:new one:false"
	read := func(stage string) {
		t.Helper()
		err := s.View(func(tx *Tx) error {
			msgs, err := tx.Transcript(7)
			if err != nil {
				return err
			}
			var got []string
			for _, m := range msgs {
				if !m.At.Equal(at) {
					t.Errorf("%s: at = %v", stage, m.At)
				}
				got = append(got, fmt.Sprintf("%s:%s:%v", m.From, m.Body, m.Private))
			}
			evs, err := tx.Timeline(7)
			if err != nil {
				return err
			}
			if g := strings.Join(got, " "); g != want || len(evs) != 1 || evs[0].Action != "message-in" {
				t.Errorf("%s: transcript %q, timeline %+v", stage, g, evs)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	read("journaled")
	if err := s.Update(ctx, func(tx *Tx) error { return tx.fold() }); err != nil {
		t.Fatal(err)
	}
	read("folded")
}

// TestFoldedChunks reads and deletes entries of a conversation whose
// transcript is a single-record key from before chunks, two folds' chunks
// and the journal, in that order.
func TestFoldedChunks(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "sb.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	update := func(fn func(tx *Tx) error) {
		t.Helper()
		if err := s.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	body := 0
	write := func(n int) func(tx *Tx) error {
		return func(tx *Tx) error {
			for i := 0; i < n; i++ {
				for id := uint64(1); id <= 2; id++ {
					if err := tx.AppendMessage(id, Message{From: "customer", Body: fmt.Sprint(id, "-", body)}); err != nil {
						return err
					}
				}
				body++
			}
			return nil
		}
	}
	update(func(tx *Tx) error {
		// What an older switchboard left: one JSON record to a key.
		seq := *tx.seq(tagMessage) + 1
		*tx.seq(tagMessage) = seq
		return tx.tx.Bucket(schema.Transcript).Put(append(schema.U64(1), schema.U64(seq)...), []byte(`{"from":"customer","body":"1-old"}`))
	})
	update(write(3))
	update(func(tx *Tx) error { return tx.fold() })
	update(write(3))
	update(func(tx *Tx) error { return tx.fold() })
	update(write(2))
	bodies := func(id uint64) (string, []string) {
		t.Helper()
		var all []Message
		var seqs []string
		err := s.View(func(tx *Tx) error {
			var err error
			if all, err = tx.Transcript(id); err != nil {
				return err
			}
			tail, total, err := tx.TranscriptTail(id, 4)
			if err != nil {
				return err
			}
			if total != len(all) || len(tail) != min(4, total) || (total > 0 && tail[len(tail)-1].Body != all[total-1].Body) {
				t.Errorf("tail %v of %d, transcript %v", tail, total, all)
			}
			return eachFolded(tx.tx.Bucket(schema.Transcript), id, func(e chunkEntry) error {
				seqs = append(seqs, fmt.Sprint(e.seq))
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range all {
			got = append(got, m.Body)
		}
		return strings.Join(got, " "), seqs
	}
	got, seqs := bodies(1)
	if want := "1-old 1-0 1-1 1-2 1-3 1-4 1-5 1-6 1-7"; got != want {
		t.Fatalf("transcript = %q, want %q", got, want)
	}
	if len(seqs) != 7 {
		t.Fatalf("folded seqs = %v", seqs)
	}
	// Delete the single-record one, the first of a chunk, one in the
	// middle, and one that is not there.
	update(func(tx *Tx) error {
		for i, tc := range []struct {
			seq  string
			gone bool
		}{{seqs[0], true}, {seqs[1], true}, {seqs[5], true}, {seqs[5], false}, {"999", false}} {
			var seq uint64
			fmt.Sscan(tc.seq, &seq)
			gone, err := tx.deleteFolded(schema.Transcript, append(schema.U64(1), schema.U64(seq)...))
			if err != nil || gone != tc.gone {
				t.Errorf("delete %d (seq %s) = %v, %v", i, tc.seq, gone, err)
			}
		}
		return nil
	})
	if got, _ := bodies(1); got != "1-1 1-2 1-3 1-5 1-6 1-7" {
		t.Fatalf("after deletes: %q", got)
	}
	if got, _ := bodies(2); got != "2-0 2-1 2-2 2-3 2-4 2-5 2-6 2-7" {
		t.Fatalf("conversation 2 changed: %q", got)
	}
	// A whole conversation goes with every chunk, and counts its messages.
	update(func(tx *Tx) error {
		if err := tx.PutConversation(&Conversation{ID: 2, Status: StatusClosed, Customer: "c@x", Created: time.Unix(0, 0), Closed: time.Unix(0, 0)}); err != nil {
			return err
		}
		if err := tx.PutCustomer(&Customer{JID: "c@x", Conversations: []uint64{2}}); err != nil {
			return err
		}
		n, err := tx.DeleteConversation(2, func(*Conversation) bool { return true })
		if n != 8 {
			t.Errorf("deleted %d messages of conversation 2, want 8", n)
		}
		return err
	})
	if got, _ := bodies(2); got != "" {
		t.Fatalf("conversation 2 left %q", got)
	}
}
