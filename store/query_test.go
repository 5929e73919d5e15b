package store_test

import (
	"context"
	"slices"
	"testing"

	"switchboard/store"
)

// TestListPaging pages through conversations while new ones are added:
// no page repeats or skips one.
func TestListPaging(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	add := func(from, to uint64) {
		t.Helper()
		err := s.Update(ctx, func(tx *store.Tx) error {
			for id := from; id <= to; id++ {
				st := store.StatusClosed
				if id%2 == 0 {
					st = store.StatusOpen
				}
				if err := tx.PutConversation(&store.Conversation{ID: id, Status: st, Queue: "q", Customer: "c@x"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add(1, 25)
	var got []uint64
	var before uint64
	for page := 0; page < 10; page++ {
		var list []*store.Conversation
		var next uint64
		if err := s.View(func(tx *store.Tx) (err error) {
			list, next, err = tx.List(store.Filter{}, before, 10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			got = append(got, c.ID)
		}
		if page == 0 {
			add(26, 30)
		}
		if next == 0 {
			break
		}
		before = next
	}
	want := []uint64{}
	for id := uint64(25); id >= 1; id-- {
		want = append(want, id)
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages = %v\nwant    %v", got, want)
	}
	var open []*store.Conversation
	s.View(func(tx *store.Tx) (err error) {
		open, _, err = tx.List(store.Filter{Status: store.StatusOpen}, 0, 100)
		return err
	})
	if len(open) != 15 {
		t.Errorf("status filter: %d open, want 15", len(open))
	}
}
