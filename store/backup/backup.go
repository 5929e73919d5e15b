package backup

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"switchboard/store"
)

// Verify checks a database file without changing it: it opens as bbolt,
// every page is consistent (bbolt's check), it is a switchboard database
// of a schema this binary can read, and its records decode. A file whose
// pages are damaged can make bbolt panic on a goroutine of its own, which
// no caller can recover: check a file from outside in a process of its
// own first (switchboard restore does).
func Verify(path string) (store.Summary, error) {
	var sum store.Summary
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if err != nil {
		return sum, fmt.Errorf("%s does not open as a database: %w", path, err)
	}
	defer db.Close()
	err = db.View(func(btx *bolt.Tx) error {
		var damage error
		for err := range btx.Check() { // read to the end: the check runs on
			if damage == nil { // its own goroutine inside this transaction
				damage = err
			}
		}
		if damage != nil {
			return fmt.Errorf("%s is damaged: %w", path, damage)
		}
		var err error
		if sum, err = store.Inspect(btx); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return nil
	})
	return sum, err
}

// Restore puts the backup at path, after Verify accepted it (see Verify
// on damaged files). A database already at path is kept beside it (its
// name and the time of the restore), with what its write-ahead log held
// applied, and the log removed; one that a running desk holds is not
// touched (store.ErrInUse). The copy is written next to path, synced and
// renamed into place.
func Restore(backup, path string) (store.Summary, string, error) {
	sum, err := Verify(backup)
	if err != nil {
		return sum, "", err
	}
	var aside string
	if _, err := os.Stat(path); err == nil {
		// Holding the lock while the file is replaced keeps a desk from
		// opening it meanwhile. What the old database's log holds goes
		// into it before it is kept: the log does not belong to the
		// restored one.
		release, err := store.Hold(path)
		if errors.Is(err, store.ErrInUse) {
			return sum, "", err
		}
		if err != nil {
			return sum, "", fmt.Errorf("the old database: %w", err)
		}
		defer release()
		aside = fmt.Sprintf("%s.before-restore-%s", path, time.Now().Format("20060102-150405"))
		if err := copyFile(path, aside); err != nil {
			return sum, "", fmt.Errorf("keeping the old database: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return sum, "", err
	}
	if err := copyFile(backup, path); err != nil {
		return sum, aside, err
	}
	return sum, aside, nil
}

// copyFile copies src to dst through a synced temporary file beside dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".switchboard-restore-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(dst))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
