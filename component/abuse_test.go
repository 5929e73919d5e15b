package component_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

// countErrors drains c for d and counts policy-violation errors whose text
// contains part.
func countErrors(c *xmppclient.Client, d time.Duration, part string) int {
	n := 0
	deadline := time.After(d)
	for {
		select {
		case s := <-c.In():
			if s.Type == "error" && s.Error != nil && s.Error.Condition() == "policy-violation" && strings.Contains(s.Error.Text, part) {
				n++
			}
		case <-deadline:
			return n
		}
	}
}

func TestFloodFromOneJID(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 10\ndomain_rate_limit = 0", "30s", map[string]string{"alice": "billing = 7"}, "flooder", "calm")
	e.startDesk()
	flooder := e.login("flooder", xmppclient.Options{})
	calm := e.login("calm", xmppclient.Options{})
	for i := 0; i < 40; i++ {
		if err := flooder.Message(ctx(), entry, fmt.Sprintf("spam %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	// Someone else is served as usual meanwhile.
	say(t, calm, "hello")
	expectChat(t, calm, entry, "How can we help?")
	say(t, calm, "1")
	expectChat(t, calm, entry, "order number")
	// Every refusal is counted; one a second is answered, so that the
	// desk does not flood the server back.
	if n := countErrors(flooder, time.Second, "too fast"); n < 1 || n > 2 {
		t.Fatalf("flooder got %d rate-limit errors for 40 messages in a burst, want 1 (one a second)", n)
	}
	if v := e.metric("switchboard_bad_input_total", "rate_limited_jid"); v < 25 {
		t.Fatalf("rate_limited_jid = %v", v)
	}
	time.Sleep(time.Second)
	for i := 0; i < 3; i++ {
		if err := flooder.Message(ctx(), entry, "more spam"); err != nil {
			t.Fatal(err)
		}
	}
	if n := countErrors(flooder, time.Second, "too fast"); n != 1 {
		t.Fatalf("flooder got %d errors for a burst a second later, want 1", n)
	}
}

func TestFloodFromOneDomain(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 15", "30s", map[string]string{"alice": "billing = 7"}, "d1", "d2")
	e.startDesk()
	d1 := e.login("d1", xmppclient.Options{})
	d2 := e.login("d2", xmppclient.Options{})
	for i := 0; i < 10; i++ {
		if err := d1.Message(ctx(), entry, "x"); err != nil {
			t.Fatal(err)
		}
		if err := d2.Message(ctx(), entry, "y"); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var n1, n2 int
	wg.Add(2)
	go func() { defer wg.Done(); n1 = countErrors(d1, time.Second, "from your server") }()
	go func() { defer wg.Done(); n2 = countErrors(d2, time.Second, "from your server") }()
	wg.Wait()
	if n1+n2 != 1 {
		t.Fatalf("domain limit answered %d+%d of its refusals in one burst, want 1", n1, n2)
	}
	if v := e.metric("switchboard_bad_input_total", "rate_limited_domain"); v != 5 {
		t.Fatalf("rate_limited_domain = %v", v)
	}
}

func TestManyCustomersAndOddStanzas(t *testing.T) {
	const n = 60
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"})
	var users []string
	for i := 0; i < n; i++ {
		users = append(users, fmt.Sprintf("many%03d", i))
	}
	if err := e.srv.RegisterMany(users, password); err != nil {
		t.Fatal(err)
	}
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)

	// Stanzas that are well-formed but odd: none may stop the desk.
	odd := []string{
		`<presence to='desk@help.localhost'><priority>not a number</priority><show>sideways</show></presence>`,
		`<message to='` + entry + `' type='chat'><body>` + strings.Repeat("<x/>", 0) + `</body></message>`,
		`<message to='` + entry + `' type='chat'><x xmlns='jabber:x:oob'/><x xmlns='jabber:x:oob'><url></url></x></message>`,
		`<message to='case-999@conference.localhost' type='groupchat'><body>/close</body></message>`,
		`<message to='nobody@help.localhost' type='chat'><body>hi</body></message>`,
		`<message to='help.localhost' type='chat'><body>hi</body></message>`,
		`<iq to='help.localhost' type='set' id='odd1'><query xmlns='urn:example:nothing'/></iq>`,
		`<presence to='support@help.localhost' type='subscribe'/>`,
		`<message to='` + entry + `' type='chat'><x xmlns='http://jabber.org/protocol/muc#user'><decline from='x'/><status code='abc'/></x><body>ok?</body></message>`,
	}
	clients := make([]*xmppclient.Client, n)
	for i, u := range users {
		clients[i] = e.login(u, xmppclient.Options{})
		if i < len(odd) {
			if err := clients[i].Send(ctx(), odd[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range clients {
		say(t, c, "hello")
	}
	for _, c := range clients {
		expectChat(t, c, entry, "How can we help?")
	}
	if !e.desk.Ready() {
		t.Fatal("desk not ready after the odd stanzas")
	}
	if v := e.metric("switchboard_conversations_opened_total", ""); v != n {
		t.Fatalf("conversations opened = %v, want %d", v, n)
	}
	if v := e.metric("switchboard_panics_total", ""); v != 0 {
		t.Fatalf("panics = %v", v)
	}
	_ = wire.Bare
}
