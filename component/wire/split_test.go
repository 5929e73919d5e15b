package wire

import (
	"bytes"
	"io"
	"testing"
)

const streamHead = `<?xml version='1.0'?><stream:stream xml:lang='en' xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' from='help.localhost' id='acf5'>`

// chunks reads b in pieces of the given sizes, in turn.
type chunks struct {
	b     []byte
	sizes []int
	i     int
	// unflushed, when set, must be false whenever the Splitter reads.
	unflushed *bool
	t         testing.TB
}

func (c *chunks) Read(p []byte) (int, error) {
	if c.unflushed != nil && *c.unflushed {
		c.t.Errorf("read from the connection with stanzas not flushed")
	}
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := 1 + c.sizes[c.i%len(c.sizes)]%len(c.b)
	c.i++
	n = copy(p, c.b[:min(n, len(c.b))])
	c.b = c.b[n:]
	return n, nil
}

// splitAll runs a Splitter over in and returns, in order, what went where:
// every piece is prefixed with "S:" (split off) or "P:" (passed). It also
// checks that stanzas are flushed before the Splitter reads or passes
// anything on.
func splitAll(t testing.TB, in []byte, sizes []int) (pieces []string, passed, stanzas []byte) {
	unflushed := false
	s := NewSplitter(&chunks{b: in, sizes: sizes, unflushed: &unflushed, t: t}, func(raw []byte) {
		pieces = append(pieces, "S:"+string(raw))
		stanzas = append(stanzas, raw...)
		unflushed = true
	}, func() { unflushed = false })
	buf := make([]byte, 4096)
	for {
		n, err := s.Read(buf)
		if unflushed {
			t.Errorf("Read returned with stanzas not flushed")
		}
		if n > 0 {
			// Passed bytes in a row are one piece: how reads cut them
			// does not matter.
			if k := len(pieces) - 1; k >= 0 && pieces[k][0] == 'P' {
				pieces[k] += string(buf[:n])
			} else {
				pieces = append(pieces, "P:"+string(buf[:n]))
			}
			passed = append(passed, buf[:n]...)
		}
		if err != nil {
			return
		}
	}
}

func TestSplitter(t *testing.T) {
	stream := streamHead + `<handshake/>` +
		`<message to='support@help.localhost' type='chat' from='c@localhost/r' id='a'><body>hi &gt; there</body></message>` +
		`<iq type='get' id='q' from='a@b/c' to='help.localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>` +
		"\n " +
		`<presence from='r@conference.localhost/n' to='help.localhost/switchboard' type='unavailable'/>` +
		`<message from='x' to='y' note='a > b'><body><![CDATA[</message>]]></body></message>` +
		`<messages-not-a-stanza/>` +
		`</stream:stream>`
	want := []string{
		"P:" + streamHead + "<handshake/>",
		"S:" + `<message to='support@help.localhost' type='chat' from='c@localhost/r' id='a'><body>hi &gt; there</body></message>`,
		"P:" + `<iq type='get' id='q' from='a@b/c' to='help.localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>` + "\n ",
		"S:" + `<presence from='r@conference.localhost/n' to='help.localhost/switchboard' type='unavailable'/>`,
		"S:" + `<message from='x' to='y' note='a > b'><body><![CDATA[</message>]]></body></message>`,
		"P:<messages-not-a-stanza/></stream:stream>",
	}
	for _, sizes := range [][]int{{1 << 20}, {0}, {2}, {6, 1, 30}, {4095, 7}} {
		got, _, _ := splitAll(t, []byte(stream), sizes)
		if len(got) != len(want) {
			t.Fatalf("sizes %v: %d pieces, want %d:\n%q", sizes, len(got), len(want), got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("sizes %v: piece %d = %q, want %q", sizes, i, got[i], want[i])
			}
		}
	}
}

// TestSplitterGivesUp: what it cannot follow goes to the stream reader
// whole, from the first byte not handed out.
func TestSplitterGivesUp(t *testing.T) {
	for _, tail := range []string{
		`<!-- comment --><message/>`,
		`<message><!DOCTYPE x></message><message/>`,
		`<message><body>` + string(bytes.Repeat([]byte("x"), MaxSplit+10)) + `</body></message>`,
		`<message><bo`,
	} {
		in := streamHead + `<presence/>` + tail
		pieces, passed, stanzas := splitAll(t, []byte(in), []int{1000})
		if string(stanzas) != `<presence/>` {
			t.Errorf("%.40q: split off %q", tail, stanzas)
		}
		if want := streamHead + tail; string(passed) != want {
			t.Errorf("%.40q: passed %d bytes, want %d (%d pieces)", tail, len(passed), len(want), len(pieces))
		}
	}
}

// FuzzSplit: whatever comes, every byte goes exactly one way, in order,
// and split-off pieces are message or presence elements.
func FuzzSplit(f *testing.F) {
	f.Add([]byte(`<message><body>a</body></message><iq/><presence type='x'/>`), []byte{3, 1})
	f.Add([]byte(`<message a='>'><b><![CDATA[x]]></b></message>`), []byte{0})
	f.Add([]byte(`<message><bo`), []byte{7})
	f.Fuzz(func(t *testing.T, tail, sizeBytes []byte) {
		sizes := []int{len(tail) + 1}
		for _, b := range sizeBytes {
			sizes = append(sizes, int(b))
		}
		in := append([]byte(streamHead), tail...)
		pieces, _, _ := splitAll(t, in, sizes)
		var all []byte
		for _, p := range pieces {
			all = append(all, p[2:]...)
			if p[0] == 'S' && !bytes.HasPrefix([]byte(p[2:]), []byte("<message")) && !bytes.HasPrefix([]byte(p[2:]), []byte("<presence")) {
				t.Fatalf("split off %q", p)
			}
		}
		if !bytes.Equal(all, in) {
			t.Fatalf("bytes lost or reordered:\n in %q\nout %q", in, all)
		}
	})
}
