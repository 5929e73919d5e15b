package component_test

import (
	"strings"
	"testing"

	"switchboard/component/xmppclient"
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
