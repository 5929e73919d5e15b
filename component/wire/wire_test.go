package wire_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"switchboard/component/wire"
)

func TestDecodeMessage(t *testing.T) {
	raw := `<message xmlns='jabber:client' from='room@muc/Alice' to='help.localhost' type='groupchat' id='1'>
<body>hi &amp; bye</body><x xmlns='jabber:x:oob'><url>https://x/a.png</url></x>
<delay xmlns='urn:xmpp:delay' stamp='2026-01-01T00:00:00Z'/>
<encrypted xmlns='eu.siacs.conversations.axolotl'/><active xmlns='http://jabber.org/protocol/chatstates'/></message>`
	var s wire.Stanza
	if err := xml.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	if s.Body != "hi & bye" || s.OOB == nil || s.OOB.URL != "https://x/a.png" || s.Delay == nil || s.Encryption() != "OMEMO" {
		t.Fatalf("decoded %+v", s)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	bodies := []string{"plain", "<b>&'\"</b>", "line\r\nbreak", "ctrl\x01\x02char", "émoji 🎉"}
	for _, body := range bodies {
		m := wire.Message{From: "a@b", To: "c@d/e'f", Type: "chat", Body: body, URL: "https://x/?a=1&b=2"}
		var s wire.Stanza
		if err := xml.Unmarshal([]byte(m.String()), &s); err != nil {
			t.Fatalf("%q: %v in %s", body, err, m)
		}
		want := strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
				return -1
			}
			return r
		}, body)
		if s.Body != want || s.To != "c@d/e'f" || s.OOB.URL != "https://x/?a=1&b=2" {
			t.Fatalf("round trip of %q gave %+v", body, s)
		}
	}
}

func FuzzStanza(f *testing.F) {
	f.Add(`<message from='a@b/c' type='chat'><body>x</body></message>`)
	f.Add(`<presence from='r@m/n'><x xmlns='http://jabber.org/protocol/muc#user'><item jid='a@b/c' affiliation='member' role='participant'/><status code='110'/></x></presence>`)
	f.Add(`<message><x xmlns='http://jabber.org/protocol/muc#user'><decline from='a@b'><reason>busy</reason></decline></x></message>`)
	f.Fuzz(func(t *testing.T, raw string) {
		var s wire.Stanza
		if err := xml.Unmarshal([]byte(raw), &s); err != nil {
			return
		}
		_ = s.Encryption()
		_ = s.MUCUser.HasStatus("110")
		if s.Error != nil {
			_ = s.Error.Condition()
		}
		// Whatever was decoded can be written back as well-formed XML.
		out := wire.Message{From: s.From, To: s.To, Type: s.Type, Body: s.Body}.String()
		var back wire.Stanza
		if err := xml.Unmarshal([]byte(out), &back); err != nil {
			t.Fatalf("re-encoding %q: %v", out, err)
		}
	})
}

func BenchmarkMessageString(b *testing.B) {
	m := wire.Message{From: "support@help.localhost", To: "customer@localhost/res", Type: "chat", Body: strings.Repeat("hello there ", 10)}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.String()
	}
}

func FuzzCommand(f *testing.F) {
	f.Add(`<command xmlns='http://jabber.org/protocol/commands' node='pause' action='complete'><x xmlns='jabber:x:data' type='submit'><field var='reason'><value>lunch</value></field></x></command>`)
	f.Add(`<command xmlns='http://jabber.org/protocol/commands' node='status'/>`)
	f.Fuzz(func(t *testing.T, raw string) {
		var c wire.Command
		if err := xml.Unmarshal([]byte(raw), &c); err != nil {
			return
		}
		_ = c.Form.Value("reason")
	})
}
