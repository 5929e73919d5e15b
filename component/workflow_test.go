package component_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/api"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
	"switchboard/store"
)

// TestWorkflow walks one conversation through every room command and
// reads the resulting record through the HTTP API.
func TestWorkflow(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 0", "30s", map[string]string{
		"alice": "billing = 7",
		"bob":   "sales = 7",
		"carol": "", // no skills: never offered anything, invited to consult
	}, "customer")
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	var mu sync.Mutex
	var got []string // everything the customer's session ever received
	cust := e.login("customer", xmppclient.Options{Watch: func(s wire.Stanza) {
		mu.Lock()
		got = append(got, s.Body)
		mu.Unlock()
	}})
	billingQuestion(t, cust, "123456")
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectChat(t, cust, entry, "chatting with Alice")

	cmd := func(c *xmppclient.Client, body, answer string) {
		t.Helper()
		post(t, c, room, body)
		if answer != "" {
			expectRoom(t, c, room, answer)
		}
	}
	cmd(alice, "/help", "/transfer QUEUE|JID — hand the conversation")
	cmd(alice, "/todo call the bank", "Action item #1: call the bank")
	cmd(alice, "!todo send the refund", "Action item #2: send the refund")
	cmd(alice, "/done 1", "Done: #1 call the bank")
	cmd(alice, "/done 7", "usage: /done N, with N from 1 to 2")
	cmd(alice, "/todos", "[x] #1 call the bank\n[ ] #2 send the refund")
	cmd(alice, "/tag refund", "Tagged refund.")
	cmd(alice, "/tag VIP customer", "Tagged vip-customer.")
	cmd(alice, "/status pending", "Status: pending.")
	cmd(alice, "//PRIVATE-1 the bank is slow today", "")
	cmd(alice, "We are on it.", "")
	expectChat(t, cust, entry, "We are on it.")

	// A colleague consults: the recap shows them the private notes.
	carol := e.login("carol", xmppclient.Options{})
	subscribed(t, carol)
	cmd(alice, "/invite carol@localhost", "Invited Carol.")
	if r := expectInvite(t, carol); r != room {
		t.Fatalf("carol invited to %s, want %s", r, room)
	}
	join(t, carol, room, "Carol")
	expectRoom(t, carol, room, "Alice (private): //PRIVATE-1 the bank is slow today")
	cmd(carol, "/note PRIVATE-2 refunds take 3 days", "")
	cmd(carol, "/close", "Only the assigned agent or an admin can run /close.")
	cmd(carol, "/history", "No earlier conversations with customer@localhost.")

	// Transfer to another queue: alice keeps it until bob joins.
	bob := e.login("bob", xmppclient.Options{})
	subscribed(t, bob)
	cmd(alice, "/transfer sales", "Transferring to queue sales. Alice keeps the conversation until the new agent joins.")
	if r := expectInvite(t, bob); r != room {
		t.Fatalf("bob invited to %s, want %s", r, room)
	}
	say(t, cust, "still there?")
	expectRoom(t, alice, room, "still there?")
	join(t, bob, room, "Bob")
	expectChat(t, cust, entry, "You are now chatting with Bob.")
	expectRoom(t, bob, room, "Bob took this conversation over from Alice")
	// ... and to a named agent, who is in the room already.
	cmd(bob, "/transfer alice@localhost", "Transferring to Alice.")
	expectChat(t, cust, entry, "You are now chatting with Alice.")
	cmd(alice, "Back with me.", "")
	expectChat(t, cust, entry, "Back with me.")

	cmd(alice, "/close refund sent", "")
	expectChat(t, cust, entry, "This conversation has been closed.")
	expectChat(t, cust, entry, "from 1 (poor) to 5 (excellent)")
	say(t, cust, "0")
	expectChat(t, cust, entry, "Please rate with a number from 1 (poor) to 5")
	say(t, cust, "5")
	expectChat(t, cust, entry, "Thank you for your rating!")
	expectRoom(t, alice, room, "rated this conversation 5/5")

	// The record, through the API.
	code, body := e.api("GET", "/api/v1/conversations/1", "t0ken", "")
	if code != 200 {
		t.Fatalf("GET conversation: %d %s", code, body)
	}
	var v api.ConversationView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if v.Status != store.StatusClosed || v.Agent != "alice@localhost" || v.Queue != "sales" || v.Rating == nil || *v.Rating != 5 ||
		v.Resolution != "refund sent" || v.Closed == nil || v.Answers["order"] != "123456" {
		t.Errorf("record = %s", body)
	}
	if fmt.Sprint(v.Todos) != "[{call the bank true} {send the refund false}]" || strings.Join(v.Tags, ",") != "refund,vip-customer" {
		t.Errorf("todos %v, tags %v", v.Todos, v.Tags)
	}
	var steps []string
	for _, ev := range v.Timeline {
		switch ev.Action {
		case "client", "room", "customer-online", "customer-offline":
			continue
		}
		steps = append(steps, ev.Actor+" "+ev.Action)
	}
	want := []string{
		"customer@localhost opened", "customer@localhost answered", "customer@localhost answered", "desk queued", "desk estimate", "desk offered", "alice@localhost assigned",
		"alice@localhost command",                                                                         // /help
		"alice@localhost todo", "alice@localhost todo", "alice@localhost done", "alice@localhost command", // /todos
		"alice@localhost tag", "alice@localhost tag", "alice@localhost status",
		"alice@localhost note", "alice@localhost message-out",
		"alice@localhost invite", "carol@localhost note", "carol@localhost refused-command", "carol@localhost command", // /history
		"alice@localhost transfer", "desk offered", "customer@localhost message-in", "bob@localhost assigned",
		"bob@localhost transfer", "desk offered", "alice@localhost assigned", "alice@localhost message-out",
		"alice@localhost closed", "customer@localhost rating",
	}
	if strings.Join(steps, "\n") != strings.Join(want, "\n") {
		t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(steps, "\n"), strings.Join(want, "\n"))
	}
	for i := 1; i < len(v.Timeline); i++ {
		if v.Timeline[i].At.Before(v.Timeline[i-1].At) {
			t.Errorf("timeline out of order at %d: %v", i, v.Timeline[i])
		}
	}
	for _, ev := range v.Timeline {
		switch {
		case ev.Action == "transfer" && ev.Actor == "alice@localhost" && ev.Detail != "to queue sales from billing",
			ev.Action == "assigned" && ev.Actor == "bob@localhost" && !strings.HasPrefix(ev.Detail, "transfer from alice@localhost"),
			ev.Action == "status" && ev.Detail != "open → pending",
			ev.Action == "rating" && ev.Detail != "5":
			t.Errorf("event %+v", ev)
		}
	}
	private := map[string]bool{}
	for _, m := range v.Transcript {
		if m.Private {
			private[m.From+": "+m.Body] = true
		}
	}
	if !private["alice@localhost: //PRIVATE-1 the bank is slow today"] || !private["carol@localhost: PRIVATE-2 refunds take 3 days"] || len(private) != 2 {
		t.Errorf("private notes in the transcript: %v", private)
	}
	if path := os.Getenv("SWITCHBOARD_KEEP_DB"); path != "" {
		// For a look with "switchboard conversations show".
		_, db := e.api("GET", "/api/v1/export", "t0ken", "")
		os.WriteFile(path, db, 0o600)
	}
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	for _, b := range got {
		if strings.Contains(b, "PRIVATE") || strings.Contains(b, "Action item") || strings.Contains(b, "Transferring") {
			t.Errorf("the customer received room-only text: %q", b)
		}
	}
}

// TestReopen: within the reopen window the customer lands in the same
// conversation and room with the same agent; after it, a new conversation
// that /history lists with the old one.
func TestReopen(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\nreopen_window = \"3s\"\nrating = false", "30s", map[string]string{"alice": "billing = 7"}, "customer")
	alice, cust, room := assigned(t, e)
	post(t, alice, room, "/close done")
	expectChat(t, cust, entry, "This conversation has been closed.")
	expectRoom(t, alice, room, "The customer can reopen it until")

	say(t, cust, "one more thing")
	expectChat(t, cust, entry, "Welcome back! You are chatting with Alice again.")
	expectRoom(t, alice, room, "one more thing")
	post(t, alice, room, "Sure, go ahead.")
	expectChat(t, cust, entry, "Sure, go ahead.")
	post(t, alice, room, "/close done again")
	expectChat(t, cust, entry, "This conversation has been closed.")
	if _, err := alice.Expect(5*time.Second, "room destroyed after the window", func(s wire.Stanza) bool {
		return s.XMLName.Local == "presence" && s.Type == "unavailable" && wire.Bare(s.From) == room && s.MUCUser != nil && s.MUCUser.Destroy != nil
	}); err != nil {
		t.Fatal(err)
	}
	say(t, cust, "hello again")
	expectChat(t, cust, entry, "How can we help?")
	say(t, cust, "1")
	say(t, cust, "654321")
	room2 := expectInvite(t, alice)
	if room2 == room {
		t.Fatalf("after the window, the same room %s", room)
	}
	join(t, alice, room2, "Alice")
	post(t, alice, room2, "/history")
	h := expectRoom(t, alice, room2, "Conversations of customer@localhost:")
	if !strings.Contains(h.Body, "case-1 ") || !strings.Contains(h.Body, "closed via support") || !strings.Contains(h.Body, "done again") {
		t.Errorf("history = %q", h.Body)
	}
	e.stopDesk()
	c, events, _ := e.record(1)
	var actions []string
	for _, ev := range events {
		actions = append(actions, ev.Action)
	}
	if got := strings.Join(actions, " "); !strings.Contains(got, "closed reopened assigned message-out closed") {
		t.Errorf("conversation 1 timeline: %s", got)
	}
	if c.Status != store.StatusClosed || c.Agent != "alice@localhost" || !c.ReopenUntil.IsZero() {
		t.Errorf("conversation 1 = %+v", c)
	}
}
