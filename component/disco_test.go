package component_test

import (
	"strings"
	"testing"

	"switchboard/component/wire"
	"switchboard/component/xmppclient"
	"switchboard/store"
)

func TestDiscoVersionPing(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	e.startDesk()
	c := e.login("customer", xmppclient.Options{})
	tests := []struct{ name, to, payload, want string }{
		{"component info", "help.localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>", `category="component"`},
		{"entry info", entry, "<query xmlns='http://jabber.org/protocol/disco#info'/>", `type="bot"`},
		{"entry list", "help.localhost", "<query xmlns='http://jabber.org/protocol/disco#items'/>", `jid="support@help.localhost"`},
		{"unknown entry", "nobody@help.localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>", "item-not-found"},
		{"version", "help.localhost", "<query xmlns='jabber:iq:version'/>", "switchboard</name>"},
		{"ping", entry, "<ping xmlns='urn:xmpp:ping'/>", `type="result"`},
		{"unsupported", entry, "<query xmlns='jabber:iq:last'/>", "service-unavailable"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := "<iq type='get' id='q" + string(rune('a'+i)) + "' to='" + tc.to + "'>" + tc.payload + "</iq>"
			got, err := c.IQ(ctx(), raw)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tc.want) {
				t.Fatalf("answer %s lacks %s", got, tc.want)
			}
		})
	}
}

func TestEntryPresence(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	e.startDesk()
	c := e.login("customer", xmppclient.Options{})
	if err := c.Send(ctx(), "<presence to='"+entry+"' type='subscribe'/>"); err != nil {
		t.Fatal(err)
	}
	isPresence := func(show, status string) func(wire.Stanza) bool {
		return func(s wire.Stanza) bool {
			return s.XMLName.Local == "presence" && wire.Bare(s.From) == entry && s.Type == "" && s.Show == show && strings.Contains(s.Status, status)
		}
	}
	if _, err := c.Expect(wait, "away presence with the desk status", isPresence("away", "0 agents available · 0 waiting")); err != nil {
		t.Fatal(err)
	}
	// An agent comes online: the desk turns available and says so at once.
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	if _, err := c.Expect(wait, "available presence", isPresence("", "1 agent available")); err != nil {
		t.Fatal(err)
	}
	// Going down, the desk tells each subscriber (a presence without 'to'
	// would make the server end the stream first).
	e.stopDesk()
	if _, err := c.Expect(wait, "unavailable presence", func(s wire.Stanza) bool {
		return s.XMLName.Local == "presence" && wire.Bare(s.From) == entry && s.Type == "unavailable"
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.srv.Log(), "Rejecting stanza with no 'to'") {
		t.Error("the server rejected a stanza without 'to'")
	}
	st, err := store.Open(e.cfg.Store.Path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.View(func(tx *store.Tx) error {
		subs, _ := tx.Subscriptions()
		if len(subs["support"]) != 1 {
			t.Errorf("subscriptions = %v", subs)
		}
		return nil
	})
}
