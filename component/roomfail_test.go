package component_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchboard/component/servertest"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

// A MUC service that refuses the desk's room (the operator left out the
// line that lets the component create rooms) strands nobody: the desk
// keeps trying, tells the admins which setting is missing and the
// customer that it takes longer, and routes the customer once the server
// allows it, without a restart of the desk. (Prosody reads the MUC
// component's admins when it starts: the operator's fix is a restart of
// the server.)
func TestRoomRefusedThenAllowed(t *testing.T) {
	e := newEnvServer(t, servertest.Config{NoRooms: true}, "rate_limit = 0\ndomain_rate_limit = 0\nadmins = [\"boss@localhost\"]", "30s",
		map[string]string{"alice": "billing = 7"}, "customer", "boss")
	e.startDesk()
	boss := e.login("boss", xmppclient.Options{})
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	cust := e.login("customer", xmppclient.Options{})
	billingQuestion(t, cust, "123456")
	expectChat(t, cust, entry, "number 1 in the queue")
	waitFor(t, "refusals counted", func() bool {
		return e.metric("switchboard_room_failures_total", "not-allowed")+e.metric("switchboard_room_failures_total", "forbidden") >= 2
	})
	// After the first minute the admins and the customer hear of it.
	s, err := boss.Expect(90*time.Second, "the admins' chat", func(s wire.Stanza) bool {
		return strings.Contains(s.Body, "waits for its room")
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Body, `admins = { "help.localhost" }`) || !strings.Contains(s.Body, "access_create") {
		t.Errorf("the admins' chat names no setting: %s", s.Body)
	}
	expectChat(t, cust, entry, "takes longer than usual")
	if err := e.srv.AllowRooms(true); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.srv.Restart(ctx2); err != nil {
		t.Fatal(err)
	}
	// Stock clients log in again by themselves; these do it here.
	alice = e.login("alice", xmppclient.Options{})
	if _, err := alice.Expect(90*time.Second, "the offer once the room works", isInvite); err != nil {
		t.Fatal(err)
	}
}
