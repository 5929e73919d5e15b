// Package customers is the desk from the customers' side: what they
// write to an entry point (a new conversation, the dialog, lines while
// they wait, a message or a call back they leave, a rating, coming back)
// and what they are told, the entry points' presence and the customers'
// subscriptions to it.
package customers

import "switchboard/component/desk/core"

// Desk handles the customers' side of the desk's state; it runs on the
// desk's actor.
type Desk struct{ *core.Desk }
