// Package texts is the catalog of every sentence the desk writes to
// people: what customers read, the notices in conversation rooms and the
// desk's chats with agents. Each text has a key, an English default with
// named {placeholders}, and plural forms where it counts something;
// operators override any of them per language ([texts.LANG] in the
// config). A conversation's language picks the closest catalog (de-AT
// reads de), falling back to the entry point's language, then English.
package texts
