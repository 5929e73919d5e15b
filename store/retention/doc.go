// Package retention applies what the store keeps: closed conversations
// for keep_closed, and per customer only so many transcript messages. It
// reads and removes through the store's narrow API (store/remove.go).
package retention
