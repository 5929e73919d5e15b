package core

import (
	"strings"

	"switchboard/component/texts"
	"switchboard/presence"
)

// Lang is the catalog c's customer reads (component/texts): their
// language's, else their entry point's, else English.
func (d *Desk) Lang(c *Conv) *texts.Lang { return d.EntryLang(c.Rec.Entry, c.Rec.Language) }

// EntryLang is the catalog of a customer of entry point entry whose
// language is tag (an xml:lang, or "").
func (d *Desk) EntryLang(entry, tag string) *texts.Lang {
	e, _ := d.Cfg.Entry(entry)
	return d.Cfg.Texts.For(tag, e.Language)
}

// Staff is the catalog agents read: room notices, offers, answers to
// commands (desk.language).
func (d *Desk) Staff() *texts.Lang { return d.Cfg.Texts.For(d.Cfg.Desk.Language, "") }

// Say tells the customer text key in their language, and records it.
// The customer's words (status, cancel, done, now, tomorrow) fill the
// placeholders of those names.
func (st *Step) Say(key texts.Key, args texts.A) {
	l := st.d.Lang(st.c)
	a := Words(l)
	for k, v := range args {
		a[k] = v
	}
	st.Tell(l.Get(key, a))
}

// Note posts text key in c's room as a desk notice, in the agents'
// language.
func (d *Desk) Note(c *Conv, key texts.Key, args texts.A) string {
	return d.Notice(c, d.Staff().Get(key, args))
}

// Is reports whether a customer's line is the word key: in English, or
// in their language.
func (d *Desk) Is(c *Conv, line string, key texts.Key) bool {
	line = strings.ToLower(strings.TrimSpace(line))
	if info, ok := texts.Lookup(key); ok && line == info.English.Other {
		return true
	}
	return line == strings.ToLower(d.Lang(c).Get(key, nil))
}

// Words are the customer's words for a text that names them: status,
// cancel, done, now, tomorrow.
func Words(l *texts.Lang) texts.A {
	return texts.A{"status": l.Get(texts.WordStatus, nil), "cancel": l.Get(texts.WordCancel, nil), "done": l.Get(texts.WordDone, nil),
		"now": l.Get(texts.WordNow, nil), "tomorrow": l.Get(texts.WordTomorrow, nil)}
}

// State is agent jid's state in the agents' language: available, away,
// paused, offline.
func (d *Desk) State(jid string) string {
	key := texts.StateOffline
	switch d.Presence.State(jid) {
	case presence.StateAvailable:
		key = texts.StateAvailable
	case presence.StateAway:
		key = texts.StateAway
	case presence.StatePaused:
		key = texts.StatePaused
	}
	return d.Staff().Get(key, nil)
}
