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
)

// ErrClosed is returned for writes submitted after Close.
var ErrClosed = errors.New("store: closed")

// ErrNotFound is returned for a record that does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is an open database.
type Store struct {
	db      *bolt.DB
	reqs    chan request
	done    chan struct{}
	metrics *metrics
	// maxBatch bounds how many writes share one transaction.
	maxBatch  int
	delay     time.Duration
	readOnly  bool
	closeOnce sync.Once
	// entries is the committer's buffer for journal entries, reused from
	// one transaction to the next.
	entries []byte

	// Every write is numbered as it is submitted. submitted is the last
	// number handed out (under submitMu, so that numbers and the queue's
	// order agree), done the last one whose commit is over, and snapshots
	// what each bbolt transaction made durable (see Tx.Done).
	submitMu  sync.Mutex
	submitted uint64
	done_     atomic.Uint64
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
	// ReadOnly opens the file for reading only (no committer runs).
	ReadOnly bool
	// CommitDelay is how long the committer, while writes keep coming,
	// waits for more to share a transaction. Each commit costs two
	// fdatasyncs (hundreds of µs of CPU on a virtual disk) whatever it
	// holds; an idle store commits a lone write at once.
	CommitDelay time.Duration
}

// Open opens or creates the database at path and upgrades its schema.
func Open(path string, o Options) (*Store, error) {
	if o.LockTimeout == 0 {
		o.LockTimeout = 2 * time.Second
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
	s := &Store{db: db, reqs: make(chan request, 1024), done: make(chan struct{}), metrics: newMetrics(o.Registerer), maxBatch: 256, delay: o.CommitDelay}
	if o.ReadOnly {
		s.readOnly = true
		close(s.done)
		return s, nil
	}
	if err := upgrade(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	go s.commit()
	return s, nil
}

// Close waits for submitted writes to commit and closes the file.
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
// goroutine and in submission order, once the transaction holding it has
// committed (nil) or failed. A write is atomic: when fn fails, nothing it
// wrote is committed, and the other writes of its transaction still are.
// done must not block for long: hand work elsewhere.
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

// Done returns the number of the last write whose commit is over
// (committed or failed) and whose callback has returned.
func (s *Store) Done() uint64 { return s.done_.Load() }

// Pending returns how many submitted writes are not done yet.
func (s *Store) Pending() uint64 {
	s.submitMu.Lock()
	defer s.submitMu.Unlock()
	return s.submitted - s.done_.Load()
}

// Update runs fn in a write transaction and waits for its commit.
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

// commit is the committer goroutine: it groups queued writes into one
// transaction each time around. After a commit that held more than one
// write (writes are coming in faster than they commit) it sleeps for the
// commit delay, unless a full batch is queued already, and then takes
// what has come: one wake-up per commit rather than one per write.
func (s *Store) commit() {
	defer close(s.done)
	batch := make([]request, 0, s.maxBatch)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	busy := false
	for r := range s.reqs {
		batch = append(batch[:0], r)
		if busy && s.delay > 0 && len(s.reqs) < s.maxBatch-1 {
			timer.Reset(s.delay)
			<-timer.C
		}
	fill:
		for len(batch) < s.maxBatch {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		busy = len(batch) > 1
		s.run(batch)
	}
}

// run commits a batch in one transaction. A write that fails is taken
// out and the transaction is run again without it, so that a failed
// write leaves nothing behind while the others still commit.
func (s *Store) run(batch []request) {
	start := time.Now()
	errs := make([]error, len(batch))
	var err error
	for {
		failed := -1
		err = s.db.Update(func(btx *bolt.Tx) (err error) {
			tx := &Tx{tx: btx}
			tx.p.entries = s.entries[:0]
			for i, r := range batch {
				if errs[i] != nil {
					continue
				}
				if errs[i] = r.fn(tx); errs[i] != nil {
					failed = i
					return errs[i]
				}
			}
			if tx.journalFull() {
				err = tx.fold()
			} else {
				err = tx.flush()
			}
			// bbolt holds on to what was put until the commit: the buffer is
			// only reused once the transaction is over.
			if c := cap(tx.p.used); c > cap(s.entries) && c <= maxEntriesBuffer {
				s.entries = tx.p.used[:0]
			}
			if err == nil {
				// Readers of this transaction's snapshot see every write up
				// to the batch's last. A transaction that rolls back leaves
				// its id to the next, which overwrites this.
				s.snapshots.set(uint64(btx.ID()), batch[len(batch)-1].seq)
			}
			return err
		})
		if failed < 0 || !s.anyLeft(errs) {
			break
		}
	}
	s.metrics.observe(len(batch), time.Since(start), err)
	for i, r := range batch {
		e := errs[i]
		if err != nil && e == nil {
			e = fmt.Errorf("store: commit: %w", err)
		} else if e != nil && err == nil {
			e = fmt.Errorf("store: write %d: %w", r.seq, e)
		}
		if r.done != nil {
			r.done(e)
		}
		// Counted done after its callback: a writer that sees nothing
		// pending knows every callback has run.
		s.done_.Store(r.seq)
	}
}

// anyLeft reports whether a batch still has writes that have not failed.
func (s *Store) anyLeft(errs []error) bool {
	for _, e := range errs {
		if e == nil {
			return true
		}
	}
	return false
}

// View runs fn in a read transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx, s: s}) })
}

// Backup writes a consistent copy of the database to path.
func (s *Store) Backup(path string) error {
	return s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(path, 0o600) })
}

// WriteTo writes a consistent copy of the database to w, from one read
// transaction, while writes go on.
func (s *Store) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}
