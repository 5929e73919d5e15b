// Package desk is the actor that owns every conversation: it reads typed
// events (the link's stanzas, IQs, timers, the API's requests) from one
// channel and hands each to the part that handles it — the customers'
// side (component/desk/customers), the rooms' (component/desk/workroom),
// and, here, the agents' chats and ad-hoc commands (XEP-0050), the
// supervisors' floor, reloads and the API's requests. All state is
// component/desk/core's, changed on this one goroutine; each change is a
// step that is durable in the store before any of its stanzas goes to the
// link.
package desk
