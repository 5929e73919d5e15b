package store

import "sync"

// snapshots remembers, for the latest bbolt transactions, the number of the
// last write each one committed, so that a reader knows which writes its
// snapshot holds.
type snapshots struct {
	mu   sync.Mutex
	ring [256]struct{ txid, seq uint64 }
}

func (s *snapshots) set(txid, seq uint64) {
	s.mu.Lock()
	s.ring[txid%uint64(len(s.ring))] = struct{ txid, seq uint64 }{txid, seq}
	s.mu.Unlock()
}

// get returns the last write in transaction txid's snapshot; ok is false
// for a snapshot from before this store's first commit (it holds none of
// its writes) or too old to be remembered.
func (s *snapshots) get(txid uint64) (seq uint64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.ring[txid%uint64(len(s.ring))]
	if e.txid == txid {
		return e.seq, true
	}
	return 0, false
}
