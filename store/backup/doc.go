// Package backup checks a copy of the store's database and puts one in
// place: switchboard restore and verify-store. (The consistent copy
// itself is store.Store.Backup, made while the desk runs.)
package backup
