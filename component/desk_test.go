package component_test

import (
	"strings"
	"testing"
	"time"

	"switchboard/component/wire"
	"switchboard/component/xmppclient"
	"switchboard/store"
)

func TestHappyPath(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{Features: []string{wire.NSOOB}})
	subscribed(t, alice)
	cust := e.login("customer", xmppclient.Options{Name: "TestClient", Version: "9.9"})

	say(t, cust, "hello")
	expectChat(t, cust, entry, "Hello! How can we help?\n1) Billing question\n2) Sales")
	say(t, cust, "banana")
	expectChat(t, cust, entry, "number from 1 to 6")
	say(t, cust, "my invoice is wrong")
	expectChat(t, cust, entry, "order number")
	say(t, cust, "12")
	expectChat(t, cust, entry, "6 digits")
	say(t, cust, "123456")
	expectChat(t, cust, entry, "Thanks, looking for someone in billing.")
	expectChat(t, cust, entry, "number 1 in the queue")

	room, summary := expectOffer(t, alice)
	if !strings.HasPrefix(room, "case-") || !strings.Contains(summary, "order: 123456") {
		t.Fatalf("room = %q, summary %q", room, summary)
	}
	join(t, alice, room, "Alice")
	expectChat(t, cust, entry, "You are now chatting with Alice.")

	say(t, cust, "anyone there? <&>")
	msg := expectRoom(t, alice, room, "anyone there? <&>")
	if wire.Resource(msg.From) != "customer" {
		t.Fatalf("customer's message appears as %q", msg.From)
	}

	post(t, alice, room, "//secret: customer looks upset")
	post(t, alice, room, "/note also a secret note")
	if err := alice.Send(ctx(), wire.Message{To: room, Type: "groupchat", Body: "Here is the invoice", URL: "https://files.example/inv.pdf"}.String()); err != nil {
		t.Fatal(err)
	}
	got := expectChat(t, cust, entry, "Here is the invoice")
	if got.OOB == nil || got.OOB.URL != "https://files.example/inv.pdf" {
		t.Fatalf("attachment not relayed: %+v", got)
	}
	post(t, alice, room, "/status")
	expectRoom(t, alice, room, "is open, queue billing, handled by Alice")
	post(t, alice, room, "/close refund issued")
	expectChat(t, cust, entry, "This conversation has been closed.")
	expectChat(t, cust, entry, "from 1 (poor) to 5 (excellent)")
	say(t, cust, "9")
	expectChat(t, cust, entry, "Please rate with a number from 1 (poor) to 5")
	say(t, cust, "4")
	expectChat(t, cust, entry, "Thank you for your rating!")
	expectRoom(t, alice, room, "rated this conversation 4/5")
	// The room's copies of what the desk posted are dropped on arrival,
	// by the desk's id prefix.
	if n := e.metric("switchboard_room_echoes_total", ""); n == 0 {
		t.Errorf("no room echo was dropped on arrival")
	}
	// Quiet for a few seconds, the desk gives its free memory back.
	releases := e.metric("switchboard_memory_releases_total", "")
	waitFor(t, "a memory release", func() bool {
		return e.metric("switchboard_memory_releases_total", "") > releases
	})
	e.stopDesk()

	c, events, msgs := e.record(1)
	if c.Status != store.StatusClosed || c.Agent != "alice@localhost" || c.Answers["order"] != "123456" || c.Resolution != "refund issued" || c.Queue != "billing" || c.Rating != 4 {
		t.Fatalf("record = %+v", c)
	}
	if c.Client.Name != "TestClient" || c.Client.Version != "9.9" {
		t.Errorf("client not discovered: %+v", c.Client)
	}
	var actions []string
	for _, ev := range events {
		actions = append(actions, ev.Action)
	}
	want := []string{"opened", "answered", "answered", "queued", "estimate", "room", "offered", "assigned", "message-in", "note", "note", "message-out", "command", "closed", "rating"}
	if got := strings.Join(filter(actions, "client"), " "); got != strings.Join(want, " ") {
		t.Errorf("timeline = %s\nwant      %s", got, strings.Join(want, " "))
	}
	for _, ev := range events {
		if ev.Action == "assigned" && !strings.Contains(ev.Detail, "alice@localhost chosen") {
			t.Errorf("assignment reason = %q", ev.Detail)
		}
	}
	private := 0
	for _, m := range msgs {
		if m.Private {
			private++
			if !strings.Contains(m.Body, "secret") || m.From != "alice@localhost" {
				t.Errorf("private message = %+v", m)
			}
		}
	}
	if private != 2 {
		t.Errorf("private notes in transcript = %d, want 2", private)
	}
	// Nothing private ever reached the customer.
	for {
		select {
		case s := <-cust.In():
			if strings.Contains(s.Body, "secret") {
				t.Fatalf("private note reached the customer: %+v", s)
			}
			continue
		default:
		}
		break
	}
}

func filter(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

func TestBadInput(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer", "stranger")
	e.startDesk()
	cust := e.login("customer", xmppclient.Options{})

	// An OMEMO message gets a clear answer and is not taken as an answer.
	omemo := `<message to='` + entry + `' type='chat'><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='1'/><payload>AAAA</payload></encrypted><body>I sent you an OMEMO encrypted message.</body></message>`
	if err := cust.Send(ctx(), omemo); err != nil {
		t.Fatal(err)
	}
	expectChat(t, cust, entry, "can't read OMEMO-encrypted messages")

	// An oversized body is refused with a stanza error.
	if err := cust.Message(ctx(), entry, strings.Repeat("x", 1001)); err != nil {
		t.Fatal(err)
	}
	s, err := cust.Expect(wait, "error", func(s wire.Stanza) bool { return s.Type == "error" })
	if err != nil {
		t.Fatal(err)
	}
	if s.Error == nil || s.Error.Condition() != "policy-violation" || !strings.Contains(s.Error.Text, "too long") {
		t.Fatalf("oversized got %+v", s.Error)
	}

	// A stranger writing agent commands to the desk is told where to go.
	stranger := e.login("stranger", xmppclient.Options{})
	if err := stranger.Message(ctx(), "desk@help.localhost", "pause"); err != nil {
		t.Fatal(err)
	}
	expectChat(t, stranger, "desk@help.localhost", "for the desk's agents")

	// Unknown answers re-ask; the conversation goes on.
	say(t, cust, "hi")
	expectChat(t, cust, entry, "How can we help?")
	say(t, cust, "qwerty")
	expectChat(t, cust, entry, "Sorry, I didn't catch that")
	say(t, cust, "3")
	expectChat(t, cust, entry, "0 agents available · 0 waiting")

	// A room command from someone who is not an agent is refused.
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	say(t, cust, "1")
	say(t, cust, "654321")
	room := expectInvite(t, alice)
	auditor := e.login("auditor", xmppclient.Options{})
	join(t, auditor, room, "Auditor")
	post(t, auditor, room, "/close")
	expectRoom(t, auditor, room, "Only agents can run commands here.")
	post(t, auditor, room, "not an agent talking")
	join(t, alice, room, "Alice")
	expectChat(t, cust, entry, "You are now chatting with Alice.")
	post(t, alice, room, "visible")
	got := expectChat(t, cust, entry, "visible")
	_ = got
	e.stopDesk()
	c, events, _ := e.record(1)
	if c.Status != store.StatusOpen {
		t.Fatalf("status = %s", c.Status)
	}
	refused := false
	for _, ev := range events {
		if ev.Action == "refused-command" && ev.Actor == "auditor@localhost" {
			refused = true
		}
	}
	if !refused {
		t.Errorf("refused command not in timeline: %+v", events)
	}
}

func TestNotOffered(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{
		"alice": "billing = 7",    // will be dnd
		"carol": "billing = 7",    // will pause
		"dave":  "billing = 7; 1", // takes one and is full
		"erin":  "sales = 7",      // lacks the skill
		"frank": "billing = 5",    // comes online last
	}, "c1", "c2")
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{Presence: "<show>dnd</show>"})
	carol := e.login("carol", xmppclient.Options{})
	erin := e.login("erin", xmppclient.Options{})
	for _, a := range []*xmppclient.Client{alice, carol, erin} {
		subscribed(t, a)
	}
	if err := carol.Message(ctx(), "desk@help.localhost", "pause lunch"); err != nil {
		t.Fatal(err)
	}
	expectChat(t, carol, "desk@help.localhost", "Paused.")
	dave := e.login("dave", xmppclient.Options{})
	subscribed(t, dave)

	c1 := e.login("c1", xmppclient.Options{})
	billingQuestion(t, c1, "111111")
	room1 := expectInvite(t, dave)
	join(t, dave, room1, "Dave")
	expectChat(t, c1, entry, "chatting with Dave")

	c2 := e.login("c2", xmppclient.Options{})
	billingQuestion(t, c2, "222222")
	expectChat(t, c2, entry, "number 1 in the queue")
	isInvite := func(s wire.Stanza) bool { return s.MUCUser != nil && s.MUCUser.Invite != nil }
	for _, a := range []*xmppclient.Client{alice, carol, erin, dave} {
		noMessage(t, a, 1500*time.Millisecond, "invitation", isInvite)
	}
	frank := e.login("frank", xmppclient.Options{})
	room2 := expectInvite(t, frank)
	if room2 == room1 {
		t.Fatal("frank invited into dave's room")
	}
}

func TestDeclineAndTimeout(t *testing.T) {
	e := newEnv(t, "2s", map[string]string{"alice": "billing = 7", "bob": "billing = 6"}, "customer")
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	bob := e.login("bob", xmppclient.Options{})
	subscribed(t, alice)
	subscribed(t, bob)
	cust := e.login("customer", xmppclient.Options{})
	billingQuestion(t, cust, "123456")

	// Whoever gets it first declines; the other lets it time out.
	var first, second *xmppclient.Client
	var room string
	select {
	case <-time.After(wait):
		t.Fatal("no invitation")
	default:
	}
	s, err := waitEither(alice, bob)
	if err != nil {
		t.Fatal(err)
	}
	room = wire.Bare(s.From)
	if s.To == "" || strings.HasPrefix(s.To, "alice") {
		first, second = alice, bob
	} else {
		first, second = bob, alice
	}
	if err := first.Decline(ctx(), room, "help.localhost/switchboard", "busy"); err != nil {
		t.Fatal(err)
	}
	if got := expectInvite(t, second); got != room {
		t.Fatalf("second invitation for %s, want %s", got, room)
	}
	// second ignores it; after the timeout it is told, and as nobody else
	// qualifies the offer comes round again.
	expectChat(t, second, "desk@help.localhost", "timed out")
	expectInvite(t, first)
	e.stopDesk()
	_, events, _ := e.record(1)
	var seq []string
	for _, ev := range events {
		switch ev.Action {
		case "offered", "declined", "offer-timeout":
			seq = append(seq, ev.Action)
		}
	}
	if got := strings.Join(seq[:min(len(seq), 5)], " "); got != "offered declined offered offer-timeout offered" {
		t.Fatalf("offers = %s", got)
	}
}

// waitEither returns the first invitation either client gets.
func waitEither(a, b *xmppclient.Client) (wire.Stanza, error) {
	deadline := time.After(wait)
	for {
		select {
		case s := <-a.In():
			if s.MUCUser != nil && s.MUCUser.Invite != nil {
				return s, nil
			}
		case s := <-b.In():
			if s.MUCUser != nil && s.MUCUser.Invite != nil {
				return s, nil
			}
		case <-deadline:
			return wire.Stanza{}, errTimeout
		}
	}
}

type timeoutError struct{}

func (timeoutError) Error() string { return "no invitation in time" }

var errTimeout = timeoutError{}

func TestReceiptAfterStore(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	e.startDesk()
	cust := e.login("customer", xmppclient.Options{})
	if err := cust.Send(ctx(), `<message to='`+entry+`' type='chat' id='m1'><body>hi</body><request xmlns='urn:xmpp:receipts'/></message>`); err != nil {
		t.Fatal(err)
	}
	if _, err := cust.Expect(wait, "receipt for m1", func(s wire.Stanza) bool { return s.Received() == "m1" }); err != nil {
		t.Fatal(err)
	}
}
