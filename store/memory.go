package store

import bolt "go.etcd.io/bbolt"

// ReleaseMemory takes the database file's pages out of the process's
// memory: bbolt reads the file through a shared read-only map, and every
// page a transaction has touched since counts in the process's resident
// set. The pages stay in the system's page cache and come back on the next
// read that needs them. The desk calls it when it has been idle for a
// while.
func (s *Store) ReleaseMemory() error {
	return s.db.View(func(tx *bolt.Tx) error {
		// The read transaction holds the map in place (bbolt remaps only
		// with no transaction open); the file's size is within it.
		return dropPages(s.db.Info().Data, uintptr(tx.Size()))
	})
}
