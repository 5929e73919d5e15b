package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"switchboard/store/schema"
	"switchboard/store/wal"
)

// ErrClosed is returned for writes submitted after Close.
var ErrClosed = errors.New("store: closed")

// ErrNotFound is returned for a record that does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is an open database and its write-ahead log.
//
// A write is durable once the log holds it: the committer runs queued
// writes in bbolt's write transaction, appends what they changed to the
// log as one record and makes it durable with one fdatasync (while it
// syncs, the next writes queue up and share the next record). bbolt
// commits that transaction later, in the background of the same
// goroutine, every ApplyEvery or so, and the log's segments it holds are
// removed. On open, whatever the log holds that bbolt does not is
// replayed first (recover.go).
type Store struct {
	db      *bolt.DB
	logDir  string
	log     *wal.Log
	reqs    chan request
	flushes chan chan error
	done    chan struct{}
	metrics *metrics
	// maxBatch bounds how many writes share one record of the log.
	maxBatch   int
	applyEvery time.Duration
	applyBytes int
	linger     time.Duration
	readOnly   bool
	closeOnce  sync.Once
	// Replayed counts the log's records that Open found bbolt did not
	// hold and applied.
	Replayed int

	// Every write is numbered as it is submitted. submitted is the last
	// number handed out (under submitMu, so that numbers and the queue's
	// order agree), done the last one that is durable (or failed) and
	// whose callback has returned, applied the last one bbolt holds, and
	// snapshots what each bbolt transaction holds (see Tx.Done).
	submitMu  sync.Mutex
	submitted uint64
	done_     atomic.Uint64
	durable   atomic.Uint64 // the last write durable or failed, set before callbacks
	applied   atomic.Uint64
	snapshots snapshots
}

type request struct {
	seq  uint64
	fn   func(*Tx) error
	done func(error)
}

// Options configure Open.
type Options struct {
	// Registerer receives the store's metrics; nil registers none.
	Registerer prometheus.Registerer
	// LockTimeout is how long to wait for another process's lock.
	LockTimeout time.Duration
	// ReadOnly opens the file for reading only (no committer runs). It
	// fails with ErrUnapplied while the log holds writes bbolt does not.
	ReadOnly bool
	// ApplyEvery is how often what the log holds is committed to bbolt
	// (default 1s). Reads wait for it only when they must see every
	// acknowledged write (View).
	ApplyEvery time.Duration
	// SegmentSize is the size of the log's segment files (default 4 MiB).
	SegmentSize int64
	// Linger is how long, while writes come faster than they are synced
	// (the last group held busyGroup or more), the committer waits for
	// more to share the next fdatasync. Writes at a steady pace never
	// wait.
	Linger time.Duration
}

// DefaultApplyEvery is Options.ApplyEvery's default.
const DefaultApplyEvery = time.Second

// applyBytes is how much logged change makes the committer apply at once.
const applyBytes = 4 << 20

// SchemaVersion is the schema this binary writes.
var SchemaVersion = schema.Version

// LogDir is where the write-ahead log of the database at path lives.
func LogDir(path string) string { return path + ".wal" }

// Open opens or creates the database at path, replays its log and
// upgrades its schema.
func Open(path string, o Options) (*Store, error) {
	if o.LockTimeout == 0 {
		o.LockTimeout = 2 * time.Second
	}
	if o.ApplyEvery <= 0 {
		o.ApplyEvery = DefaultApplyEvery
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.LockTimeout, NoFreelistSync: true, FreelistType: bolt.FreelistMapType, ReadOnly: o.ReadOnly})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("store: open %s: locked by another process (is switchboard already running?)", path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, fmt.Errorf("store: open %s: not a usable switchboard database (%v); restore it from a backup", path, err)
	case err != nil:
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, logDir: LogDir(path), reqs: make(chan request, 1024), flushes: make(chan chan error), done: make(chan struct{}), metrics: newMetrics(o.Registerer), maxBatch: 256, applyEvery: o.ApplyEvery, applyBytes: applyBytes, linger: o.Linger}
	if o.ReadOnly {
		if err := checkLog(db, s.logDir); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		s.readOnly = true
		close(s.done)
		return s, nil
	}
	next, n, err := recoverLog(db, s.logDir)
	if err == nil {
		s.Replayed = n
		err = schema.Upgrade(db)
	}
	if err == nil {
		s.log, err = wal.Create(s.logDir, next, SchemaVersion, o.SegmentSize)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	go s.commit()
	return s, nil
}

// Close waits for submitted writes, commits everything to bbolt and
// closes the files.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		if !s.readOnly {
			close(s.reqs)
			<-s.done
		}
		err = s.db.Close()
	})
	return err
}

// Submit queues a write and returns its number (writes are numbered from
// 1 in the order they are submitted). done is called, on the committer
// goroutine and in submission order, once the write is durable (nil) or
// has failed. A write is atomic: when fn fails, nothing it wrote is kept,
// and the other writes queued with it still are. done must not block for
// long, nor read the store with View: hand work elsewhere.
func (s *Store) Submit(fn func(*Tx) error, done func(error)) (seq uint64) {
	s.submitMu.Lock()
	defer s.submitMu.Unlock()
	defer func() {
		if recover() != nil { // submitted after Close
			if done != nil {
				done(ErrClosed)
			}
		}
	}()
	s.submitted++
	seq = s.submitted
	s.reqs <- request{seq: seq, fn: fn, done: done}
	return seq
}

// Done returns the number of the last write that is durable (or failed)
// and whose callback has returned.
func (s *Store) Done() uint64 { return s.done_.Load() }

// Applied returns the number of the last write bbolt holds: what a read
// with ViewApplied sees.
func (s *Store) Applied() uint64 { return s.applied.Load() }

// Pending returns how many submitted writes are not done yet.
func (s *Store) Pending() uint64 {
	s.submitMu.Lock()
	defer s.submitMu.Unlock()
	return s.submitted - s.done_.Load()
}

// Update runs fn in a write transaction and waits until it is durable.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	ch := make(chan error, 1)
	s.Submit(fn, func(err error) { ch <- err })
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Flush commits to bbolt every write that is done, and returns once it
// has.
func (s *Store) Flush() error {
	if s.readOnly || s.applied.Load() >= s.durable.Load() {
		return nil
	}
	ch := make(chan error, 1)
	select {
	case s.flushes <- ch:
		return <-ch
	case <-s.done:
		return ErrClosed
	}
}

// View runs fn in a read transaction that sees every write done before
// the call: it waits for bbolt to hold them (Flush) when it does not yet.
func (s *Store) View(fn func(*Tx) error) error {
	if err := s.Flush(); err != nil {
		return err
	}
	return s.ViewApplied(fn)
}

// ViewApplied runs fn in a read transaction of what bbolt holds now,
// without waiting: Tx.Done says up to which write that is. A reader that
// keeps what it wrote with the numbers Submit gave adds the rest.
func (s *Store) ViewApplied(fn func(*Tx) error) error {
	return s.db.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx, s: s}) })
}

// Backup writes a consistent copy of the database, every write done
// before the call included, to path.
func (s *Store) Backup(path string) error {
	if err := s.Flush(); err != nil {
		return err
	}
	return s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(path, 0o600) })
}

// WriteTo writes a consistent copy of the database to w, every write done
// before the call included, from one read transaction, while writes go on.
func (s *Store) WriteTo(w io.Writer) (int64, error) {
	if err := s.Flush(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}
