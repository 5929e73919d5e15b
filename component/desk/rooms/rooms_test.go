package rooms_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"switchboard/component/desk/rooms"
	"switchboard/component/wire"
)

func TestFailedBacksOffAndTellsOnce(t *testing.T) {
	var r rooms.Room
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var waits []time.Duration
	told := 0
	for range 10 {
		wait, tell := r.Failed(now, wire.StanzaError{Condition: "forbidden"})
		waits = append(waits, wait)
		if tell {
			told++
		}
		now = now.Add(wait)
	}
	if waits[0] != time.Second || waits[1] != 2*time.Second || waits[9] != time.Minute || told != 1 {
		t.Fatalf("waits %v, told %d times", waits, told)
	}
	if n, _ := r.Works(); n != 10 || r.Attempts != 0 || r.Told {
		t.Fatalf("works: %d, %+v", n, r)
	}
}

func TestLabelsAndHints(t *testing.T) {
	if rooms.Label("forbidden") != "forbidden" || rooms.Label("made-up") != "other" {
		t.Fatal("labels")
	}
	if h := rooms.Hint("forbidden", "help.x"); !strings.Contains(h, `admins = { "help.x" }`) {
		t.Fatalf("hint %q", h)
	}
	if e := rooms.AsStanzaError(wire.ErrNotConnected); e.Condition != "not-connected" {
		t.Fatalf("%+v", e)
	}
	if e := rooms.AsStanzaError(errors.New("x")); e.Condition != "undefined-condition" {
		t.Fatalf("%+v", e)
	}
}

func TestServiceNamesAndEchoes(t *testing.T) {
	s := &rooms.Service{Domain: "help.x", MUC: "conference.x", Prefix: "case-", Echo: "sb-"}
	var r rooms.Room
	if !s.Register(&r, 12, rooms.NickFor("carol@x")) || s.Register(&r, 12, "x") || r.JID != "case-12@conference.x" || r.Nick != "carol" {
		t.Fatalf("%+v", r)
	}
	a, b := s.Post(&r, "hi", ""), s.Notice(&r, "note")
	if !strings.Contains(a, `id='sb-1'`) || !strings.Contains(b, `id='sb-2'`) || !strings.Contains(b, "[desk] note") {
		t.Fatalf("%s\n%s", a, b)
	}
}
