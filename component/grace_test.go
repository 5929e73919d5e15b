package component_test

import (
	"strings"
	"testing"
	"time"

	"switchboard/component/xmppclient"
	"switchboard/routing"
)

// TestAgentDrops: on a real server, an agent whose client goes offline
// (which takes them out of the room) and is not back within agent_grace
// loses the conversation to the next agent, who gets the recap; the
// customer is told they keep their place. The grace runs on across a
// restart of the desk.
func TestAgentDrops(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 0\nagent_grace = \"3s\"", "30s",
		map[string]string{"alice": "billing = 7", "bob": "billing = 5"}, "customer")
	alice, cust, room := assigned(t, e)
	// Back within the grace: nothing changes.
	if err := alice.Send(ctx(), "<presence to='"+room+"/Alice' type='unavailable'/>"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	join(t, alice, room, "Alice")
	post(t, alice, room, "Sorry, I am back.")
	expectChat(t, cust, entry, "Sorry, I am back.")

	// Gone: alice's client goes offline; the desk restarts meanwhile.
	alice.Close()
	time.Sleep(500 * time.Millisecond)
	e.stopDesk()
	e.startDesk()
	say(t, cust, "hello?")
	bob := e.login("bob", xmppclient.Options{})
	subscribed(t, bob)
	expectChat(t, cust, entry, "Alice had to leave; you keep your place")
	if r := expectInvite(t, bob); r != room {
		t.Fatalf("bob invited to %s, want %s", r, room)
	}
	join(t, bob, room, "Bob")
	expectRoom(t, bob, room, "hello?")
	expectChat(t, cust, entry, "You are now chatting with Bob.")
	post(t, bob, room, "Bob here.")
	expectChat(t, cust, entry, "Bob here.")
	if n := e.metric("switchboard_agent_dropped_total", ""); n != 1 {
		t.Fatalf("switchboard_agent_dropped_total = %v", n)
	}
}

// TestRingAll: on a real server, a ring-all queue invites every free
// candidate at once; the first to join takes the conversation and the
// others are told who took it, their invitation withdrawn.
func TestRingAll(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7", "bob": "billing = 5"}, "customer")
	for i := range e.cfg.Queues {
		if e.cfg.Queues[i].Name == "billing" {
			e.cfg.Queues[i].Strategy = routing.RingAll
		}
	}
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	bob := e.login("bob", xmppclient.Options{})
	subscribed(t, bob)
	cust := e.login("customer", xmppclient.Options{})
	billingQuestion(t, cust, "123456")
	room := expectInvite(t, alice)
	if r := expectInvite(t, bob); r != room {
		t.Fatalf("bob invited to %s, alice to %s", r, room)
	}
	join(t, bob, room, "Bob")
	expectChat(t, cust, entry, "You are now chatting with Bob.")
	expectChat(t, alice, "desk@help.localhost", "Bob took "+strings.TrimSuffix(room, "@conference.localhost")+"; its invitation is withdrawn.")
	post(t, bob, room, "Bob here.")
	expectChat(t, cust, entry, "Bob here.")
}
