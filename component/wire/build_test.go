package wire_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"switchboard/component/wire"
)

// Every builder renders well-formed XML that says what it should, with
// hostile values escaped.
func TestBuilders(t *testing.T) {
	const evil = `x'"<&>y`
	form := &wire.DataForm{Type: "form", Title: evil, Instructions: evil,
		Fields: []wire.FieldSpec{{Var: "jid", Type: "jid-single", Label: evil, Required: true, Value: evil}}}
	cases := []struct {
		name, raw string
		want      []string // substrings of the rendered XML
	}{
		{"join", wire.JoinRoom("help.localhost/sb", "case-1@muc/"+evil), []string{"<history maxstanzas='0'/>", "to='case-1@muc/x&apos;&quot;&lt;&amp;&gt;y'"}},
		{"leave", wire.LeaveRoom("a", "r@m/n"), []string{"type='unavailable'"}},
		{"affiliation", wire.SetAffiliation("a", "r@m", "1", evil, "member"), []string{"muc#admin", "affiliation='member'", "type='set'"}},
		{"invite", wire.Invite("a", "r@m", "b@c", evil), []string{"<invite to='b@c'>", "type='normal'"}},
		{"decline", wire.Decline("", "r@m", "b@c", evil), []string{"<decline to='b@c'>"}},
		{"destroy", wire.DestroyRoom("a", "r@m", "1", evil), []string{"muc#owner", "<destroy>"}},
		{"config get", wire.RoomConfigGet("a", "r@m", "1"), []string{"muc#owner", "type='get'"}},
		{"config submit", wire.RoomConfigSubmit("a", "r@m", "1", []wire.Field{{Var: "muc#roomconfig_membersonly", Value: "1"}}), []string{"type='submit'", "FORM_TYPE", "membersonly"}},
		{"disco get", wire.DiscoInfoGet("a", "b", "1"), []string{"disco#info"}},
		{"version get", wire.VersionGet("a", "b", "1"), []string{"jabber:iq:version"}},
		{"disco info", wire.DiscoInfo("a", "b", "1", evil, wire.Identity{Category: "client", Type: "bot", Name: evil}, []string{wire.NSOOB}), []string{"category='client'", "var='jabber:x:oob'", "node="}},
		{"disco items", wire.DiscoItems("a", "b", "1", wire.NSCommands, []wire.Item{{JID: "d@h", Node: "pause", Name: evil}}), []string{"node='pause'"}},
		{"version", wire.Version("a", "b", "1", "switchboard", evil), []string{"<name>switchboard</name>"}},
		{"result", wire.IQResult("a", "b", "1"), []string{"type='result'"}},
		{"iq error", wire.IQError("a", "b", "1", wire.ErrNotFound.With(evil)), []string{"<item-not-found xmlns", "type='error'"}},
		{"message error", wire.MessageError("a", "b", "1", wire.ErrPolicyWait.With(evil)), []string{"<error type='wait'>", "policy-violation"}},
		{"receipt", wire.Receipt("a", "b", evil), []string{"urn:xmpp:receipts", "<received"}},
		{"command form", wire.CommandReply{Node: "n", SessionID: evil, Status: "executing", Form: form}.Command("a", "b", "1"), []string{"<actions execute='complete'>", "<required/>", "status='executing'"}},
		{"command result", wire.CommandReply{Node: "n", SessionID: "s", Status: "completed", Form: &wire.DataForm{Type: "result", Title: "T", Text: "a\nb"}}.Command("a", "b", "1"), []string{"<value>a</value><value>b</value>"}},
		{"command note", wire.CommandReply{Node: "n", SessionID: "s", Status: "completed", Note: evil}.Command("a", "b", "1"), []string{"<note type='info'>"}},
		{"command canceled", wire.CommandReply{Node: "n", SessionID: "s", Status: "canceled"}.Command("a", "b", "1"), []string{"status='canceled'/>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := xml.NewDecoder(strings.NewReader(c.raw))
			for {
				tok, err := d.Token()
				if err != nil {
					if err.Error() != "EOF" {
						t.Fatalf("%s: %v", c.raw, err)
					}
					break
				}
				if cd, ok := tok.(xml.CharData); ok && strings.Contains(string(cd), "<") && !strings.Contains(string(cd), evil) {
					t.Fatalf("odd text %q", cd)
				}
			}
			for _, w := range c.want {
				if !strings.Contains(c.raw, w) {
					t.Errorf("%s\nlacks %q", c.raw, w)
				}
			}
			if strings.Contains(c.raw, evil) {
				t.Errorf("%s: unescaped %q", c.raw, evil)
			}
		})
	}
}

func TestRoomConfigFormHas(t *testing.T) {
	raw := `<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='form'><field var='muc#roomconfig_membersonly'/></x></query>`
	var f wire.RoomConfigForm
	if err := xml.Unmarshal([]byte(raw), &f); err != nil {
		t.Fatal(err)
	}
	if !f.Has("muc#roomconfig_membersonly") || f.Has("muc#roomconfig_historylength") {
		t.Fatalf("form = %+v", f)
	}
}
