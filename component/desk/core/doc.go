// Package core is the desk's state and the one lifecycle every change of
// a conversation goes through (lifecycle.go): every conversation with its
// record, route and room, the agents' roster, the timers, the offers
// routing makes, and the step that makes each change durable in the
// store before any of its stanzas is sent. The desk's actor
// (component/desk) owns it; its handlers (customers, workroom) change it
// on that one goroutine.
package core
