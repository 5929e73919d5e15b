package main

import "switchboard/store"

// subscribe records ann's subscription to the entry point (schema 2 and
// later; remove this file's body before schema 2).
func subscribe(tx *store.Tx, on bool) error {
	if !on {
		return nil
	}
	return tx.PutSubscription("support", "ann@example.com", true)
}
