package component_test

import (
	"fmt"
	"strings"
	"testing"

	"switchboard/component/xmppclient"
)

// TestAdhocCommands runs the XEP-0050 commands of the desk's JID as an
// agent, a desk admin and a stranger would.
func TestAdhocCommands(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\nadmins = [\"boss@localhost\"]", "30s", map[string]string{"alice": "billing = 7"}, "boss", "customer")
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	boss := e.login("boss", xmppclient.Options{})
	stranger := e.login("customer", xmppclient.Options{})
	n := 0
	iq := func(c *xmppclient.Client, typ, payload string) string {
		t.Helper()
		n++
		got, err := c.IQ(ctx(), fmt.Sprintf("<iq type='%s' id='ah%d' to='desk@help.localhost'>%s</iq>", typ, n, payload))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	items := "<query xmlns='http://jabber.org/protocol/disco#items' node='http://jabber.org/protocol/commands'/>"
	exec := func(node string) string {
		return "<command xmlns='http://jabber.org/protocol/commands' node='" + node + "' action='execute'/>"
	}
	submit := func(node string, fields map[string]string) string {
		var b strings.Builder
		for k, v := range fields {
			b.WriteString("<field var='" + k + "'><value>" + v + "</value></field>")
		}
		return "<command xmlns='http://jabber.org/protocol/commands' node='" + node + "' sessionid='s1' action='complete'><x xmlns='jabber:x:data' type='submit'>" + b.String() + "</x></command>"
	}
	checks := []struct {
		name    string
		c       *xmppclient.Client
		typ     string
		payload string
		want    []string
		not     []string
	}{
		{"info lists commands", alice, "get", "<query xmlns='http://jabber.org/protocol/disco#info'/>", []string{`var="http://jabber.org/protocol/commands"`}, nil},
		{"agent's commands", alice, "get", items, []string{`node="status"`, `node="conversations"`, `node="pause"`, `node="ready"`}, []string{"add-agent"}},
		{"admin's commands", boss, "get", items, []string{`node="status"`, `node="add-agent"`, `node="remove-agent"`}, []string{`node="pause"`}},
		{"stranger's commands", stranger, "get", items, nil, []string{"node=\"status\""}},
		{"status", alice, "set", exec("status"), []string{`status="completed"`, "billing: 0 waiting", "1 agent available"}, nil},
		{"pause asks for a reason", alice, "set", exec("pause"), []string{`status="executing"`, `var="reason"`, "<complete "}, nil},
		{"pause", alice, "set", submit("pause", map[string]string{"reason": "lunch"}), []string{`status="completed"`, "Paused."}, nil},
		{"my conversations", alice, "set", exec("conversations"), []string{"You are paused (lunch), 0 of 3 conversations."}, nil},
		{"ready", alice, "set", exec("ready"), []string{"You are ready: available."}, nil},
		{"agent cannot add agents", alice, "set", exec("add-agent"), []string{"forbidden"}, nil},
		{"stranger cannot pause", stranger, "set", exec("pause"), []string{"forbidden"}, nil},
		{"unknown node", alice, "set", exec("frobnicate"), []string{"item-not-found"}, nil},
		{"add-agent form", boss, "set", exec("add-agent"), []string{`var="jid"`, `var="skills"`}, nil},
		{"add-agent bad skill", boss, "set", submit("add-agent", map[string]string{"jid": "dave@localhost", "skills": "cooking=3"}), []string{"bad-request", `unknown skill &#34;cooking&#34;`}, nil},
		{"add-agent", boss, "set", submit("add-agent", map[string]string{"jid": "dave@localhost", "name": "Dave", "skills": "billing=4", "max_chats": "2"}), []string{"Added agent Dave (dave@localhost): billing=4, up to 2 conversations."}, nil},
		{"cancel", boss, "set", "<command xmlns='http://jabber.org/protocol/commands' node='remove-agent' sessionid='s2' action='cancel'/>", []string{`status="canceled"`}, nil},
		{"remove busy or unknown", boss, "set", submit("remove-agent", map[string]string{"jid": "nobody@localhost"}), []string{"no such agent"}, nil},
		{"remove-agent", boss, "set", submit("remove-agent", map[string]string{"jid": "dave@localhost"}), []string{"Removed agent dave@localhost."}, nil},
	}
	for _, tc := range checks {
		got := iq(tc.c, tc.typ, tc.payload)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: answer lacks %s:\n%s", tc.name, w, got)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: answer has %s:\n%s", tc.name, w, got)
			}
		}
		if tc.name == "add-agent" {
			if code, body := e.api("GET", "/api/v1/agents/dave@localhost", "t0ken", ""); code != 200 || !strings.Contains(string(body), `"source": "runtime"`) {
				t.Errorf("dave after add-agent: %d %s", code, body)
			}
		}
	}
}
