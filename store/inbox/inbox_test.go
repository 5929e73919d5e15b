package inbox_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"switchboard/store"
	"switchboard/store/inbox"
)

func TestInbox(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	err = s.Update(context.Background(), func(tx *store.Tx) error {
		if err := inbox.Mark(tx, "sms", "SM1", inbox.Seen{Conversation: 7, At: at}); err != nil {
			return err
		}
		return inbox.PutFile(tx, &inbox.File{ID: "abc", Name: "photo.jpg", Type: "image/jpeg", Size: 3, SHA256: "abcdef", Created: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *store.Tx) error {
		if seen, ok, err := inbox.Lookup(tx, "sms", "SM1"); !ok || err != nil || seen.Conversation != 7 {
			t.Errorf("SM1: %+v %v %v", seen, ok, err)
		}
		if _, ok, err := inbox.Lookup(tx, "sms", "SM2"); ok || err != nil {
			t.Errorf("SM2: %v %v", ok, err)
		}
		if _, ok, _ := inbox.Lookup(tx, "voice", "SM1"); ok {
			t.Error("another channel's id")
		}
		if f, err := inbox.GetFile(tx, "abc"); err != nil || f.Name != "photo.jpg" {
			t.Errorf("file: %+v %v", f, err)
		}
		return nil
	})
}
