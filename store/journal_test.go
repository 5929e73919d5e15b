package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
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
		s.View(func(tx *Tx) error { n = tx.tx.Bucket(bucketJournal).Sequence(); return nil })
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
	if err := s.Update(ctx, func(tx *Tx) error { _, err := tx.deleteConversation(1, at.Add(48*time.Hour), time.Hour); return err }); err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		return tx.journaled(tagMessage, 1, func(_, v []byte) error { return fmt.Errorf("left in the journal: %s", v) })
	})
	if err != nil {
		t.Fatal(err)
	}
}
