package wire

import (
	"bytes"
	"io"
)

// MaxSplit is the largest top-level element the Splitter holds whole; a
// longer one, and anything it cannot follow, goes to the stream reader
// (which then gets the rest of the stream too).
const MaxSplit = 1 << 20

// Splitter sits between the connection and the XML stream reader of the
// component's session. It finds the top-level message and presence
// elements in what the server sends, by their angle brackets and quotes
// alone, and hands each, whole, to Stanza; everything else (the stream
// header, the handshake, IQs, stream errors and the stream's end) is
// read through it unchanged. Tokenizing every stanza with encoding/xml
// costs more CPU than the rest of relaying it.
//
// Stanza runs on the reading goroutine; raw is only valid during the
// call. Flush, when set, runs there too, whenever the Splitter is about to
// wait for the connection or to pass bytes to the stream reader: stanzas
// handed over between two flushes arrived together, and may be acted on
// together. The Splitter never reorders: an element passed on is read
// whole by the stream reader before the Splitter looks further.
type Splitter struct {
	r      io.Reader
	stanza func(raw []byte)
	flush  func()

	mem  []byte // buf's storage, reused
	buf  []byte // read, not yet handed out
	scan int    // buf[:scan] is whole tokens of the element at buf[0]
	deep int    // the element's depth at scan
	pass []byte // bytes for the stream reader

	inStream bool // the stream's start tag has gone by
	off      bool // stopped splitting: everything passes
}

// minRead is the least room a read into the buffer gets.
const minRead = 16 << 10

// NewSplitter reads from r and hands message and presence elements to
// stanza, calling flush (if not nil) after each run of them.
func NewSplitter(r io.Reader, stanza func(raw []byte), flush func()) *Splitter {
	mem := make([]byte, 0, 64<<10)
	if flush == nil {
		flush = func() {}
	}
	return &Splitter{r: r, stanza: stanza, flush: flush, mem: mem, buf: mem}
}

// Read gives the stream reader everything that is not split off.
func (s *Splitter) Read(p []byte) (int, error) {
	for len(s.pass) == 0 {
		if s.off {
			if len(s.buf) > 0 {
				s.pass, s.buf = s.buf, nil
				break
			}
			s.flush()
			return s.r.Read(p)
		}
		if s.split() {
			continue
		}
		s.flush()
		n, err := s.fill()
		if n == 0 && err != nil {
			if len(s.buf) > 0 {
				// A partial element at the end of the stream: let the
				// stream reader report it.
				s.off = true
				continue
			}
			return 0, err
		}
	}
	s.flush()
	n := copy(p, s.pass)
	s.pass = s.pass[n:]
	if len(s.pass) == 0 {
		s.pass = nil
	}
	return n, nil
}

// fill reads more into buf, making room first.
func (s *Splitter) fill() (int, error) {
	if cap(s.buf)-len(s.buf) < minRead {
		if len(s.buf)+minRead <= cap(s.mem) {
			n := copy(s.mem[:len(s.buf)], s.buf)
			s.buf = s.mem[:n]
		} else {
			s.mem = make([]byte, len(s.buf), 2*len(s.buf)+minRead)
			copy(s.mem, s.buf)
			s.buf = s.mem
		}
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	return n, err
}

// split consumes whole elements at the start of buf: message and presence
// go to stanza, the first other one to pass. It reports whether it made
// progress.
func (s *Splitter) split() bool {
	progress := false
	for len(s.pass) == 0 && len(s.buf) > 0 {
		n, kind := s.next()
		switch kind {
		case needMore:
			if len(s.buf) > MaxSplit {
				s.off = true
				return true
			}
			return progress
		case giveUp:
			s.off = true
			return true
		case isStanza:
			s.stanza(s.buf[:n])
		case isOther:
			// Copied: buf's storage is reused.
			s.pass = append([]byte(nil), s.buf[:n]...)
		}
		s.buf = s.buf[n:]
		s.scan, s.deep = 0, 0
		progress = true
	}
	if len(s.buf) == 0 {
		s.buf = s.mem[:0]
	}
	return progress
}

type unit int

const (
	needMore unit = iota
	giveUp
	isStanza
	isOther
)

// next measures the unit at the start of buf.
func (s *Splitter) next() (int, unit) {
	b := s.buf
	if !s.inStream {
		// The XML declaration and the stream's start tag pass as they are.
		if b[0] != '<' {
			if i := bytes.IndexByte(b, '<'); i > 0 {
				return i, isOther
			}
			return len(b), isOther
		}
		n, k := tag(b)
		switch k {
		case tagIncomplete:
			return 0, needMore
		case tagPI:
			return n, isOther
		case tagStart:
			s.inStream = true
			return n, isOther
		}
		return 0, giveUp
	}
	if b[0] != '<' {
		// Whitespace between stanzas (or text the stream reader will
		// reject) up to the next element.
		if i := bytes.IndexByte(b, '<'); i >= 0 {
			return i, isOther
		}
		return len(b), isOther
	}
	if s.scan == 0 {
		n, k := tag(b)
		switch k {
		case tagIncomplete:
			return 0, needMore
		case tagEnd:
			s.inStream = false // the stream's end
			return n, isOther
		case tagEmpty:
			return n, s.kind(b)
		case tagStart:
			s.scan, s.deep = n, 1
		default:
			return 0, giveUp
		}
	}
	for s.deep > 0 {
		rest := b[s.scan:]
		if len(rest) == 0 {
			return 0, needMore
		}
		if rest[0] != '<' {
			i := bytes.IndexByte(rest, '<')
			if i < 0 {
				s.scan = len(b)
				return 0, needMore
			}
			s.scan += i
			continue
		}
		n, k := tag(rest)
		switch k {
		case tagIncomplete:
			return 0, needMore
		case tagStart:
			s.deep++
		case tagEnd:
			s.deep--
		case tagEmpty, tagCDATA:
		default:
			return 0, giveUp
		}
		s.scan += n
	}
	return s.scan, s.kind(b)
}

// kind tells a stanza to split off from any other element.
func (s *Splitter) kind(b []byte) unit {
	if bytes.HasPrefix(b, []byte("<message")) && len(b) > 8 && isSpaceOrEnd(b[8]) ||
		bytes.HasPrefix(b, []byte("<presence")) && len(b) > 9 && isSpaceOrEnd(b[9]) {
		return isStanza
	}
	return isOther
}

func isSpaceOrEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/'
}

type tagKind int

const (
	tagIncomplete tagKind = iota
	tagStart
	tagEmpty
	tagEnd
	tagPI
	tagCDATA
	tagOther // comments, DTDs: not in XMPP
)

// tag measures the markup at b[0] == '<'.
func tag(b []byte) (int, tagKind) {
	if len(b) < 2 {
		return 0, tagIncomplete
	}
	switch b[1] {
	case '/':
		if i := bytes.IndexByte(b, '>'); i >= 0 {
			return i + 1, tagEnd
		}
		return 0, tagIncomplete
	case '?':
		if i := bytes.Index(b, []byte("?>")); i >= 0 {
			return i + 2, tagPI
		}
		return 0, tagIncomplete
	case '!':
		const cdata = "<![CDATA["
		if len(b) < len(cdata) {
			if bytes.HasPrefix([]byte(cdata), b) {
				return 0, tagIncomplete
			}
			return 0, tagOther
		}
		if !bytes.HasPrefix(b, []byte(cdata)) {
			return 0, tagOther
		}
		if i := bytes.Index(b[len(cdata):], []byte("]]>")); i >= 0 {
			return len(cdata) + i + 3, tagCDATA
		}
		return 0, tagIncomplete
	}
	// A start tag: attribute values may hold '>'.
	var quote byte
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '<':
			return 0, tagOther
		case c == '>':
			if b[i-1] == '/' {
				return i + 1, tagEmpty
			}
			return i + 1, tagStart
		}
	}
	return 0, tagIncomplete
}
