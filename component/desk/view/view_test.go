package view_test

import (
	"strings"
	"testing"
	"time"

	"switchboard/component/desk/view"
	"switchboard/component/texts"
	"switchboard/component/wire"
	"switchboard/store"
)

var at = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

func TestSummaryAndRecap(t *testing.T) {
	c := view.Conversation{Name: "case-7", Customer: "c@x", Entry: "support@help.x", Client: store.Client{Name: "Gajim", Version: "1.9", Features: []string{wire.NSOOB}},
		Language: "de", Queue: "billing", Priority: 1, Answers: map[string]string{"order": "123456"}, Kind: store.KindCallback,
		Callback: view.CallbackLine(texts.English, &store.Callback{Phone: "+49301234567", At: at, Attempts: 1}, time.UTC), Earlier: "case-3 closed 2026-11-30", Nick: "c", PrivatePrefix: "//"}
	s := view.Summary(texts.English, c)
	for _, want := range []string{"Conversation case-7 from c@x via support@help.x", "Client: Gajim 1.9 (file links)", "Language: de", "Queue: billing, priority 1",
		"Answers: order=123456", "Call back: +49301234567, at Tue 1 Dec 09:30 UTC; 1 attempts so far", "Earlier: case-3", `appear under "c"`} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	r := view.Recap(texts.English, "for Alice", c, []view.Line{{At: at, From: "c", Body: "hello\nthere"}, {At: at, From: "Alice", Private: true, Body: "note", URL: "https://x/f"}}, 40)
	for _, want := range []string{"Recap for Alice:\n", "… 38 earlier messages", "09:30 c: hello there", "09:30 Alice (private): note https://x/f"} {
		if !strings.Contains(r, want) {
			t.Errorf("recap lacks %q:\n%s", want, r)
		}
	}
}

func TestFloor(t *testing.T) {
	f := view.Floor(texts.English, []view.Queue{{Name: "billing", Waiting: 2, Oldest: 90 * time.Second, HasOldest: true}, {Name: "sales"}},
		[]view.Agent{{Name: "Alice", State: "available", Load: 0, MaxChats: 3, Idle: time.Minute, Idling: true}, {Name: "Bob", State: "away", Load: 1, MaxChats: 2}},
		[]view.Open{{Name: "case-1", Agent: "Bob", Queue: "billing", Age: time.Hour, CustomerWaiting: 2 * time.Minute, Waiting: true}}, 9, 1, 2)
	for _, want := range []string{"billing: 2 waiting, oldest 1m30s", "sales: 0 waiting", "Alice: available, 0/3, idle 1m0s", "Bob: away, 1/2\n",
		"Open conversations: 9 (page 1 of 2)", "case-1: Bob, billing, for 1h0m0s, customer waiting 2m0s", `"floor 2" for the next page.`} {
		if !strings.Contains(f, want) {
			t.Errorf("floor lacks %q:\n%s", want, f)
		}
	}
}

func TestHistory(t *testing.T) {
	if h := view.History(texts.English, "c@x", nil); h != "No earlier conversations with c@x." {
		t.Errorf("empty history: %q", h)
	}
	h := view.History(texts.English, "c@x", []view.Earlier{{Name: "case-2", Created: at, Status: "closed", Entry: "support", Kind: store.KindMessage, Queue: "billing", Agent: "Alice", Resolution: "refunded", Tags: []string{"vip"}, Rating: 5}})
	if want := "case-2 2026-12-01 09:30 closed via support (message), queue billing, Alice: refunded [vip] rated 5/5"; !strings.Contains(h, want) {
		t.Errorf("history %q lacks %q", h, want)
	}
}
