package store

import (
	"fmt"
	"os"
	"time"

	"switchboard/store/schema"

	bolt "go.etcd.io/bbolt"
)

// busyGroup is the size of a group of writes that says writes come
// faster than they are synced: then the next group lingers
// (Options.Linger). At a steady few hundred writes a second groups hold
// one or two.
const busyGroup = 8

// committer is the state of the goroutine that runs writes: bbolt's write
// transaction, kept open across many groups of writes, and what the log
// holds that bbolt has not committed yet.
type committer struct {
	s   *Store
	btx *bolt.Tx
	// tail holds the logged runs of operations bbolt has not committed, to
	// make the transaction again when it had to be rolled back; bbolt
	// keeps pointers into them until it commits.
	tail      [][]byte
	tailBytes int
	since     time.Time // when the first of tail was logged
	last      uint64    // the last write run: btx holds its changes, if any
	index     uint64    // the log index of the last record
	// broken is set when the log could not be made durable, or the
	// transaction could not be made again: nothing more is written.
	broken error
	// free holds tail buffers bbolt no longer points into.
	free [][]byte
}

// buffer returns an empty buffer for a run of operations.
func (c *committer) buffer() []byte {
	if n := len(c.free); n > 0 {
		b := c.free[n-1]
		c.free = c.free[:n-1]
		return b[:0]
	}
	return make([]byte, 0, 4<<10)
}

// commit is the committer goroutine. It takes every write queued, runs
// them, logs them with one fdatasync and calls back; meanwhile the next
// writes queue up. bbolt commits every applyEvery, when the tail is
// large, when a reader asks (Flush) and at Close.
func (s *Store) commit() {
	defer close(s.done)
	c := &committer{s: s, index: s.log.Next() - 1}
	batch := make([]request, 0, s.maxBatch)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	armed := false
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	busy := false
	for {
		var due <-chan time.Time
		if len(c.tail) > 0 {
			if !armed {
				timer.Reset(time.Until(c.since.Add(s.applyEvery)))
				armed = true
			}
			due = timer.C
		}
		select {
		case r, ok := <-s.reqs:
			if !ok {
				c.close()
				return
			}
			batch = append(batch[:0], r)
			if busy && s.linger > 0 && len(s.reqs) < s.maxBatch-1 {
				// Writes come faster than they are synced: let more
				// join this group.
				linger.Reset(s.linger)
				<-linger.C
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
			busy = len(batch) >= busyGroup
			c.run(batch)
			if c.tailBytes >= s.applyBytes {
				c.apply()
			}
		case ch := <-s.flushes:
			ch <- c.apply()
		case <-due:
			armed = false
			c.apply()
		}
		if armed && len(c.tail) == 0 {
			timer.Stop()
			armed = false
		}
	}
}

// run makes a group of writes durable. A write that fails is taken out
// and the group run again without it: the transaction is rolled back and
// made again from the tail first.
func (c *committer) run(batch []request) {
	start := time.Now()
	errs := make([]error, len(batch))
	err := c.broken
	for err == nil {
		if err = c.begin(); err != nil {
			break
		}
		ops := c.buffer()
		tx := &Tx{tx: c.btx, ops: &ops}
		failed := -1
		for i, r := range batch {
			if errs[i] != nil {
				continue
			}
			if errs[i] = r.fn(tx); errs[i] != nil {
				failed = i
				break
			}
		}
		if failed < 0 {
			err = tx.flush()
			if err == nil && len(ops) > 0 {
				err = c.logRun(ops)
			}
			if err == nil {
				break
			}
		}
		// The transaction holds changes that must not stay.
		c.remake()
		if failed < 0 || !anyLeft(errs) {
			break
		}
	}
	c.s.metrics.observe(len(batch), time.Since(start), err)
	c.last = batch[len(batch)-1].seq
	c.s.durable.Store(c.last)
	for i, r := range batch {
		e := errs[i]
		if err != nil && e == nil {
			e = fmt.Errorf("store: write: %w", err)
		} else if e != nil && err == nil {
			e = fmt.Errorf("store: write %d: %w", r.seq, e)
		}
		if r.done != nil {
			r.done(e)
		}
		// Counted done after its callback: a writer that sees nothing
		// pending knows every callback has run.
		c.s.done_.Store(r.seq)
	}
}

// logRun appends one run of operations to the log and makes it durable.
func (c *committer) logRun(ops []byte) error {
	index, err := c.s.log.Append(ops)
	if err != nil {
		return fmt.Errorf("log: %w", err)
	}
	if err := c.s.log.Sync(); err != nil {
		// Whether the record is on disk is unknown: write nothing more
		// (a restart replays what the log holds).
		c.broken = fmt.Errorf("log: %w (restart switchboard)", err)
		return c.broken
	}
	if len(c.tail) == 0 {
		c.since = time.Now()
	}
	c.tail = append(c.tail, ops)
	c.tailBytes += len(ops)
	c.index = index
	return nil
}

func (c *committer) begin() error {
	if c.btx != nil {
		return nil
	}
	btx, err := c.s.db.Begin(true)
	if err != nil {
		return err
	}
	c.btx = btx
	return nil
}

// remake rolls the transaction back and makes it again from the tail.
func (c *committer) remake() {
	if c.btx != nil {
		c.btx.Rollback()
		c.btx = nil
	}
	if len(c.tail) == 0 {
		return
	}
	err := c.begin()
	for i := 0; err == nil && i < len(c.tail); i++ {
		err = replay(c.btx, c.tail[i])
	}
	if err != nil && c.broken == nil {
		c.broken = fmt.Errorf("replaying the log's tail: %w (restart switchboard)", err)
	}
}

// apply commits the transaction: bbolt then holds everything logged, and
// the log's filled segments go.
func (c *committer) apply() error {
	if c.btx == nil {
		if len(c.tail) == 0 && c.broken == nil {
			c.s.applied.Store(c.last)
		}
		return c.broken
	}
	if len(c.tail) == 0 {
		// Nothing changed since the last commit.
		c.btx.Rollback()
		c.btx = nil
		if c.broken == nil {
			c.s.applied.Store(c.last)
		}
		return c.broken
	}
	start := time.Now()
	// A full journal is folded here, in the commit, rather than logged:
	// folding moves entries without changing what they say, and every
	// record logged after this commit is made against the folded state.
	var err error
	if tx := (&Tx{tx: c.btx}); tx.journalFull() {
		err = tx.fold()
	}
	if err == nil {
		err = c.btx.Bucket(schema.Meta).Put(keyLog, schema.U64(c.index))
	}
	if err == nil {
		// Readers of this transaction's snapshot see every write up to
		// the last. One that fails leaves its id to the next, which
		// overwrites this.
		c.s.snapshots.set(uint64(c.btx.ID()), c.last)
		err = c.btx.Commit()
	} else {
		c.btx.Rollback()
	}
	c.btx = nil
	c.s.metrics.applied(len(c.tail), time.Since(start), err)
	if err != nil {
		c.remake() // the log holds it: try again next time
		return fmt.Errorf("store: apply: %w", err)
	}
	c.s.applied.Store(c.last)
	for _, b := range c.tail {
		if len(c.free) < 16 && cap(b) <= 64<<10 {
			c.free = append(c.free, b)
		}
	}
	c.tail, c.tailBytes = c.tail[:0], 0
	// Segments left behind are removed next time.
	_ = c.s.log.Release()
	return c.broken
}

// close applies everything at Close: the log is then empty.
func (c *committer) close() {
	if c.apply() == nil && c.broken == nil {
		c.s.log.Close()
		if removeLog(c.s.logDir) == nil {
			os.Remove(c.s.logDir) // when empty: a stopped desk leaves one file
		}
		return
	}
	c.s.log.Close()
}

// anyLeft reports whether a batch still has writes that have not failed.
func anyLeft(errs []error) bool {
	for _, e := range errs {
		if e == nil {
			return true
		}
	}
	return false
}
