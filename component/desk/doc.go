// Package desk is the actor that owns every conversation: the dialog,
// queues and offers, rooms (XEP-0045), relaying between customer and room,
// room and chat commands, ad-hoc commands (XEP-0050), recaps and the
// lifecycle (lifecycle.go) every status change goes through. All of its
// state lives on one goroutine that reads typed events (events.go) from
// one channel; each change is a step that is durable in the store before
// any of its stanzas goes to the link.
package desk
