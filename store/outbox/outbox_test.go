package outbox_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"switchboard/store"
	"switchboard/store/outbox"
)

func TestOutbox(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()
	err = s.Update(ctx, func(tx *store.Tx) error {
		for i := range 3 {
			if err := outbox.Add(tx, &outbox.Entry{Kind: outbox.Reply, Conversation: uint64(i + 1), Channel: "sms", To: "+49301234567", Body: "hi"}, now); err != nil {
				return err
			}
		}
		e, err := outbox.Get(tx, 2)
		if err != nil {
			return err
		}
		e.State, e.Error = outbox.Dead, "400: bad number"
		return outbox.Put(tx, e)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *store.Tx) error {
		pending, err := outbox.PendingEntries(tx)
		if err != nil || len(pending) != 2 || pending[0].ID != 1 || pending[1].ID != 3 {
			t.Fatalf("pending %v %v", pending, err)
		}
		var ids []uint64
		outbox.Each(tx, "", 0, func(e *outbox.Entry) bool { ids = append(ids, e.ID); return true })
		if len(ids) != 3 || ids[0] != 3 {
			t.Fatalf("newest first: %v", ids)
		}
		ids = nil
		outbox.Each(tx, outbox.Dead, 0, func(e *outbox.Entry) bool { ids = append(ids, e.ID); return true })
		if len(ids) != 1 || ids[0] != 2 {
			t.Fatalf("dead: %v", ids)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		if _, err := outbox.Retry(tx, 1, now); !errors.Is(err, outbox.ErrNotDead) {
			t.Errorf("retry of a pending entry: %v", err)
		}
		e, err := outbox.Retry(tx, 2, now.Add(time.Hour))
		if err != nil || e.State != outbox.Pending || e.Error != "" || !e.Next.Equal(now.Add(time.Hour)) {
			t.Errorf("retry: %+v %v", e, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
