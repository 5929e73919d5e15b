package store

import (
	"strings"
	"testing"
	"time"
)

func TestRecordRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 23, 22, 30, 1, 123456789, time.UTC)
	for _, e := range []Event{
		{},
		{At: at, Actor: "c@x", Action: "message-in"},
		{At: at, Actor: "desk", Action: "note", Detail: strings.Repeat("é", 300)},
	} {
		got, err := decodeEvent(appendEvent(nil, e))
		if err != nil || !got.At.Equal(e.At) || got.Actor != e.Actor || got.Action != e.Action || got.Detail != e.Detail {
			t.Errorf("event %+v came back %+v, %v", e, got, err)
		}
	}
	for _, m := range []Message{
		{},
		{At: at, From: "customer", Body: "hello"},
		{At: at, From: "a@x", Body: strings.Repeat("x", 70000), URL: "https://example.com/f", Private: true},
	} {
		got, err := decodeMessage(appendMessage(nil, m))
		if err != nil || !got.At.Equal(m.At) || got.From != m.From || got.Body != m.Body || got.URL != m.URL || got.Private != m.Private {
			t.Errorf("message %.40v came back %.40v, %v", m, got, err)
		}
	}
	if _, err := decodeMessage(appendEvent(nil, Event{At: at, Actor: "a", Action: "b"})); err == nil {
		t.Error("an event read as a message")
	}
	for _, bad := range []string{"", "\x02", "\x01", "\x01\x00\xff\xff\xff\xff\xff", "\x01\x00\x00\x00\x05ab"} {
		if _, err := decodeMessage([]byte(bad)); err == nil {
			t.Errorf("decodeMessage(%q) = nil error", bad)
		}
		if _, err := decodeEvent([]byte(bad)); err == nil {
			t.Errorf("decodeEvent(%q) = nil error", bad)
		}
	}
}

// TestJournalEntryLengths writes records whose lengths need one, two and
// three bytes in front of them and reads them back from the journal.
func TestJournalEntryLengths(t *testing.T) {
	tx := &Tx{}
	tx.p.seqSet = [2]bool{true, true}
	sizes := []int{0, 100, 127, 128, 300, 20000}
	for i, n := range sizes {
		tx.journal(tagMessage, uint64(i), func(b []byte) []byte { return appendMessage(b, Message{Body: strings.Repeat("b", n)}) })
	}
	rest := tx.p.entries
	for i, n := range sizes {
		e, r, ok := nextEntry(rest)
		if !ok || e.id != uint64(i) {
			t.Fatalf("entry %d: %v %+v", i, ok, e.id)
		}
		m, err := decodeMessage(e.record)
		if err != nil || len(m.Body) != n {
			t.Fatalf("entry %d: body of %d, %v", i, len(m.Body), err)
		}
		rest = r
	}
	if len(rest) != 0 {
		t.Fatalf("%d bytes left", len(rest))
	}
}

// FuzzRecord feeds arbitrary bytes to the record, journal and chunk
// readers: a damaged database file gets an error, never a panic.
func FuzzRecord(f *testing.F) {
	f.Add(appendMessage(nil, Message{From: "customer", Body: "hi"}))
	f.Add(appendEvent(nil, Event{Actor: "a", Action: "b", Detail: "c"}))
	f.Add([]byte(`{"from":"customer"}`))
	f.Add(appendChunkEntry([]byte{chunkV1}, 7, appendMessage(nil, Message{Body: "hi"})))
	f.Fuzz(func(t *testing.T, b []byte) {
		if m, err := decodeMessage(b); err == nil && b[0] == recordV1 {
			if again, err := decodeMessage(appendMessage(nil, m)); err != nil || again != m {
				t.Fatalf("%+v does not round-trip: %+v %v", m, again, err)
			}
		}
		decodeEvent(b)
		eachInValue(make([]byte, 16), b, func(chunkEntry) error { return nil })
		for rest := b; len(rest) > 0; {
			_, r, ok := nextEntry(rest)
			if !ok {
				break
			}
			rest = r
		}
	})
}
