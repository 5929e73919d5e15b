package backup_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"switchboard/store"
	"switchboard/store/backup"
)

func TestVerifyRestore(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	s, err := store.Open(live, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutConversation(&store.Conversation{ID: 1, Status: store.StatusOpen})
	}); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(dir, "backup.db")
	if err := s.Backup(bak); err != nil {
		t.Fatal(err)
	}
	sum, err := backup.Verify(bak)
	if err != nil || sum.Conversations != 1 || sum.Active != 1 || sum.Schema != store.SchemaVersion {
		t.Fatalf("verify = %+v, %v", sum, err)
	}
	if _, _, err := backup.Restore(bak, live); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("restore over a store in use: %v", err)
	}
	s.Close()
	_, aside, err := backup.Restore(bak, live)
	if err != nil || aside == "" {
		t.Fatalf("restore = %q, %v", aside, err)
	}
	if _, err := os.Stat(aside); err != nil {
		t.Fatalf("the old database was not kept: %v", err)
	}
	// Not a database: refused, nothing touched. (A database damaged in
	// its pages is the CLI's test: bbolt may panic on it.)
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, []byte("not a database at all"), 0o600)
	if _, _, err := backup.Restore(bad, live); err == nil {
		t.Fatal("restored a file that is no database")
	}
	if _, err := backup.Verify(live); err != nil {
		t.Fatalf("the live store after a refused restore: %v", err)
	}
	if _, _, err := backup.Restore(filepath.Join(dir, "none.db"), live); err == nil {
		t.Fatal("restored a missing file")
	}
}

// A write is readable with View as soon as it is acknowledged; ViewApplied
// reads what bbolt holds, and Tx.Done says which writes that is.
