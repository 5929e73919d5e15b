// Package dialog is switchboard's IVR-style bot: a set of named nodes (menus,
// questions and messages) that a customer walks through by answering with a
// number, an option key or free text, until the dialog hands the conversation
// to a queue or ends in an action. It is pure Go and holds no state of its own:
// the caller keeps a State per conversation.
package dialog
