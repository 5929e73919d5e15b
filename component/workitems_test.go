package component_test

import (
	"encoding/json"
	"testing"
	"time"

	"switchboard/component/api"
	"switchboard/component/servertest"
	"switchboard/component/xmppclient"
)

// conversation reads one record through the API.
func (e *env) conversation(id string) api.ConversationView {
	e.t.Helper()
	code, body := e.api("GET", "/api/v1/conversations/"+id, "t0ken", "")
	var v api.ConversationView
	if code != 200 || json.Unmarshal(body, &v) != nil {
		e.t.Fatalf("conversation %s = %d %s", id, code, body)
	}
	return v
}

// TestLeaveMessage: on a real server, a customer leaves a message while
// nobody is there and goes offline; after a restart of the desk an agent
// gets it with the message in the recap, and the answer reaches the
// customer once they are back (their server kept it).
func TestLeaveMessage(t *testing.T) {
	e := newEnvServer(t, servertest.Config{Offline: true}, "rate_limit = 0\ndomain_rate_limit = 0", "30s", map[string]string{"alice": "billing = 7"}, "customer")
	e.startDesk()
	cust := e.login("customer", xmppclient.Options{})
	say(t, cust, "hi")
	say(t, cust, "5")
	expectChat(t, cust, entry, "Please write your message")
	say(t, cust, "done")
	expectChat(t, cust, entry, "Your message is empty")
	say(t, cust, "My invoice 123456 is wrong.")
	say(t, cust, "Please call it off.")
	say(t, cust, "done")
	expectChat(t, cust, entry, "Thank you: your message is recorded.")
	cust.Close()

	e.stopDesk()
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectRoom(t, alice, room, "Please call it off.")
	post(t, alice, room, "Done: the invoice is cancelled.")
	if v := e.conversation("1"); v.Kind != "message" || v.Agent != "alice@localhost" {
		t.Fatalf("record %+v", v)
	}
	cust = e.login("customer", xmppclient.Options{})
	expectChat(t, cust, entry, "Done: the invoice is cancelled.")
}

// TestCallback: on a real server, a customer asks to be called back: a
// wrong number and a past time are asked again; the call (planned for
// now, with nobody there) survives a restart of the desk and is offered
// to the agent who comes; the room shows the number and /called records
// an attempt. (A call due later, routed when due across a restart, is
// TestDecisions' with its fake clock.)
func TestCallback(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	e.startDesk()
	cust := e.login("customer", xmppclient.Options{})
	say(t, cust, "hi")
	say(t, cust, "6")
	expectChat(t, cust, entry, "What number should we call you on?")
	say(t, cust, "call me")
	expectChat(t, cust, entry, "That does not look like a phone number")
	say(t, cust, "+49 (30) 1234-567")
	expectChat(t, cust, entry, "When should we call +49301234567?")
	past := time.Now().Add(-time.Hour)
	say(t, cust, past.Format("15:04"))
	expectChat(t, cust, entry, "has passed today")
	say(t, cust, "now")
	expectChat(t, cust, entry, "We will call you on +49301234567 as soon as an agent is free.")
	e.stopDesk()
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectRoom(t, alice, room, "Call back: +49301234567")
	post(t, alice, room, "/called no answer")
	expectRoom(t, alice, room, "Attempt 1 recorded (no answer).")
	post(t, alice, room, "/close call made")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		v := e.conversation("1")
		if v.Status == "closed" && v.Kind == "callback" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("record %+v", v)
		}
	}
}
