package wire

import (
	"reflect"
	"testing"
)

// decodeCases are the shapes the server sends, and some it may.
var decodeCases = []string{
	`<message xml:lang='en' to='support@help.localhost' type='chat' from='customer@localhost/YTo' id='a7'><body>hi</body></message>`,
	`<message type='groupchat' from='case-1@conference.localhost/alice' to='help.localhost/switchboard' id='x'><body>We&apos;re &lt;on&gt; it &amp; &quot;more&quot; 🎉</body><occupant-id xmlns='urn:xmpp:occupant-id:0' id='cKn//MV='/></message>`,
	`<presence xml:lang='en' from='case-1@conference.localhost/customer' to='help.localhost/switchboard'><occupant-id xmlns='urn:xmpp:occupant-id:0' id='c'/><x xmlns='http://jabber.org/protocol/muc#user'><status code='201'/><item affiliation='owner' role='moderator' jid='help.localhost/switchboard'/><status code='110'/></x></presence>`,
	`<presence to='desk@help.localhost' from='alice@localhost/G' id='c0'><delay stamp='2026-11-23T21:41:18Z' xmlns='urn:xmpp:delay' from='localhost'/><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v='/><show>away</show><status>lunch</status><priority>5</priority></presence>`,
	`<message from='a@b' to='c@d' type='error' id='1'><error type='cancel' by='x'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>gone</text></error></message>`,
	`<message from='r@conference.x' to='desk@h'><x xmlns='http://jabber.org/protocol/muc#user'><invite from='a@b/c'><reason>join us</reason></invite></x><x xmlns='jabber:x:conference' jid='r@conference.x' reason='r'/></message>`,
	`<message from='a@b' to='c@d'><body>see</body><x xmlns='jabber:x:oob'><url>https://x/y?a=1&amp;b=2</url><desc>file</desc></x><request xmlns='urn:xmpp:receipts'/><encrypted xmlns='eu.siacs.conversations.axolotl'/></message>`,
	`<presence from='r@c/n' to='h/s' type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user"><destroy jid='x'><reason>bye</reason></destroy></x></presence>`,
	"<message from='a' to='b'>\n  <body>two\nlines</body>\n  <subject>s</subject>\n</message>",
	`<message from='a' to='b'><body>a<b>inner</b>c</body></message>`,
	`<message xmlns='jabber:component:accept' from='a' to='b'><body xmlns='jabber:client'>x</body></message>`,
	`<message from='a' to='b'><received xmlns='urn:xmpp:receipts' id='m1'/></message>`,
	`<message from='a' to='b'/>`,
	// For encoding/xml: numeric references, CDATA, prefixes, repeats.
	`<message from='a' to='b'><body>&#65;&#x42;</body></message>`,
	`<message from='a' to='b'><body><![CDATA[<raw>]]></body></message>`,
	`<message from='a' to='b' xmlns:p='urn:p'><p:thing/></message>`,
	`<message from='a' to='b'><body>1</body><body>2</body></message>`,
	`<message from='a' to='b'><x xmlns='jabber:x:oob'><url>1</url></x><x xmlns='jabber:x:oob'><desc>2</desc></x></message>`,
}

func TestDecodeMatchesEncodingXML(t *testing.T) {
	for _, c := range decodeCases {
		want, err := decodeXML([]byte(c))
		if err != nil {
			t.Fatalf("encoding/xml: %v\n%s", err, c)
		}
		got, err := Decode([]byte(c))
		if err != nil {
			t.Fatalf("Decode: %v\n%s", err, c)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s\n got %+v\nwant %+v", c, got, want)
		}
	}
	// The shapes the server sends take the small parser.
	for _, c := range decodeCases[:13] {
		if _, ok := decodeFast([]byte(c)); !ok {
			t.Errorf("not read by the small parser: %s", c)
		}
	}
}

// TestDecodeKeepsNothingShared decodes every case, then all of them again
// while holding on to the first results: the parser's buffers are reused,
// so nothing a Stanza holds may point into them.
func TestDecodeKeepsNothingShared(t *testing.T) {
	var first []*Stanza
	for _, c := range decodeCases[:13] {
		s, err := Decode([]byte(c))
		if err != nil {
			t.Fatal(err)
		}
		first = append(first, s)
	}
	for range 3 {
		for _, c := range decodeCases {
			Decode([]byte(c))
		}
	}
	for i, c := range decodeCases[:13] {
		want, _ := decodeXML([]byte(c))
		if !reflect.DeepEqual(first[i], want) {
			t.Errorf("%s\nchanged to %+v", c, first[i])
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, c := range []string{
		`<message from='a'><body>x</bod></message>`,
		`<message from='a'><body>x &nbsp; y</body></message>`,
		"<message from='a'><body>\x01</body></message>",
		`<message from='a'`,
		`<message from='a'><body>x</body>`,
		"<message from='\xff'/>",
	} {
		if s, err := Decode([]byte(c)); err == nil {
			t.Errorf("Decode(%q) = %+v, want an error", c, s)
		}
	}
}

// FuzzDecode checks that whatever the small parser reads, encoding/xml
// reads the same way.
func FuzzDecode(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast, ok := decodeFast(raw)
		if !ok {
			return
		}
		slow, err := decodeXML(raw)
		if err != nil {
			t.Fatalf("small parser read what encoding/xml rejects (%v): %q", err, raw)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q\nsmall parser %+v\nencoding/xml %+v", raw, fast, slow)
		}
	})
}

// BenchmarkDecode reads a room message as the desk receives it, with the
// small parser and with encoding/xml.
func BenchmarkDecode(b *testing.B) {
	raw := []byte(decodeCases[1])
	b.Run("small-parser", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := decodeFast(raw); !ok {
				b.Fatal("not read")
			}
		}
	})
	b.Run("encoding-xml", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeXML(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestReadHead(t *testing.T) {
	for _, c := range decodeCases {
		h, ok := ReadHead([]byte(c))
		s, err := decodeXML([]byte(c))
		if err != nil {
			t.Fatal(err)
		}
		if ok && (h.Name != s.XMLName.Local || h.From != s.From || h.Type != s.Type) {
			t.Errorf("ReadHead(%s) = %+v", c, h)
		}
		if !ok && len(c) > 0 && c[1] != 'm' && c[1] != 'p' {
			t.Errorf("ReadHead(%s) not read", c)
		}
	}
	for _, c := range []string{``, `x`, `<`, `<message from='a`, `<message from='a'`, `<message from=a>`, `<message from='a'type='b'>`} {
		if h, ok := ReadHead([]byte(c)); ok {
			t.Errorf("ReadHead(%q) = %+v, want not read", c, h)
		}
	}
}

// FuzzReadHead checks that a start tag ReadHead reads says what Decode
// reads in the whole stanza.
func FuzzReadHead(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		h, ok := ReadHead(raw)
		if !ok {
			return
		}
		s, err := Decode(raw)
		if err != nil {
			return // the rest of the stanza is broken
		}
		if h.Name != s.XMLName.Local || h.From != s.From || h.Type != s.Type {
			t.Fatalf("%q: head %+v, stanza %q %q %q", raw, h, s.XMLName.Local, s.From, s.Type)
		}
	})
}
