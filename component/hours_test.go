package component_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/wire"
	"switchboard/component/xmppclient"
	"switchboard/routing/hours"
)

// weekHours returns a schedule with the same range on every day, in UTC.
func weekHours(t *testing.T, day string) *hours.Schedule {
	t.Helper()
	days := map[string]string{}
	for _, d := range hours.Days {
		days[d] = day
	}
	s, err := hours.Parse("office", "UTC", days, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBusinessHours: on a real server, out of hours the entry point's
// presence says when it opens, the customer is told so and queued all the
// same, and nobody is offered the conversation; after a restart in hours
// it is routed.
func TestBusinessHours(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	opening := time.Now().UTC().Add(12 * time.Hour)
	e.cfg.Hours = map[string]*hours.Schedule{"office": weekHours(t, opening.Format("15:04")+"-"+opening.Add(time.Hour).Format("15:04"))}
	e.cfg.Entries[0].Hours = "office"
	for i := range e.cfg.Queues {
		e.cfg.Queues[i].Hours = "office"
	}
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	var mu sync.Mutex
	var status string
	cust := e.login("customer", xmppclient.Options{Watch: func(s wire.Stanza) {
		if s.XMLName.Local == "presence" && wire.Bare(s.From) == entry {
			mu.Lock()
			status = s.Show + " " + s.Status
			mu.Unlock()
		}
	}})
	say(t, cust, "hi")
	expectChat(t, cust, entry, "We are closed now; we open again")
	say(t, cust, "1")
	say(t, cust, "123456")
	expectChat(t, cust, entry, "You are number 1 in the queue. We are closed now and open again")
	mu.Lock()
	got := status
	mu.Unlock()
	if !strings.HasPrefix(got, "xa Closed · we open again") || !strings.Contains(got, opening.Format("15:04")+" (UTC)") {
		t.Fatalf("entry presence %q", got)
	}
	noMessage(t, alice, 3*time.Second, "an offer out of hours", func(s wire.Stanza) bool { return s.MUCUser != nil && s.MUCUser.Invite != nil })

	e.stopDesk()
	e.cfg.Hours["office"] = weekHours(t, "00:00-24:00")
	e.startDesk()
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectChat(t, cust, entry, "chatting with Alice")
}
