package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"
)

// Timeline events and transcript messages are stored in a compact binary
// form: they are written once per relayed message, and encoding them as
// JSON cost more than the rest of their write. Records written before
// schema 5 are JSON and stay readable: JSON starts with '{', the binary
// form with its version byte.
//
//	event:   0x01 | varint seconds | uvarint nanoseconds | actor | action | detail
//	message: 0x01 | varint seconds | uvarint nanoseconds | flags | from | body | url
//
// where each string is a uvarint length and its bytes, and flags bit 0
// marks a private message. Times are read back in UTC.
const recordV1 = 0x01

const flagPrivate = 1

var errRecord = errors.New("store: malformed record")

func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendEvent(b []byte, e Event) []byte {
	b = append(b, recordV1)
	b = appendTime(b, e.At)
	b = appendString(b, e.Actor)
	b = appendString(b, e.Action)
	return appendString(b, e.Detail)
}

func appendMessage(b []byte, m Message) []byte {
	b = append(b, recordV1)
	b = appendTime(b, m.At)
	var flags byte
	if m.Private {
		flags |= flagPrivate
	}
	b = append(b, flags)
	b = appendString(b, m.From)
	b = appendString(b, m.Body)
	return appendString(b, m.URL)
}

// recordReader takes a binary record apart; the first error sticks.
type recordReader struct {
	b   []byte
	err error
}

func (r *recordReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errRecord
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recordReader) time() time.Time {
	if r.err != nil {
		return time.Time{}
	}
	sec, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errRecord
		return time.Time{}
	}
	r.b = r.b[n:]
	nsec := r.uvarint()
	if nsec >= 1e9 {
		r.err = errRecord
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (r *recordReader) string() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = errRecord
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *recordReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errRecord
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// done reports the first error, or an error when bytes are left over.
func (r *recordReader) done() error {
	if r.err == nil && len(r.b) != 0 {
		return errRecord
	}
	return r.err
}

func decodeEvent(b []byte) (Event, error) {
	var e Event
	if len(b) > 0 && b[0] == '{' {
		return e, json.Unmarshal(b, &e)
	}
	if len(b) == 0 || b[0] != recordV1 {
		return e, errRecord
	}
	r := recordReader{b: b[1:]}
	e.At = r.time()
	e.Actor = r.string()
	e.Action = r.string()
	e.Detail = r.string()
	return e, r.done()
}

func decodeMessage(b []byte) (Message, error) {
	var m Message
	if len(b) > 0 && b[0] == '{' {
		return m, json.Unmarshal(b, &m)
	}
	if len(b) == 0 || b[0] != recordV1 {
		return m, errRecord
	}
	r := recordReader{b: b[1:]}
	m.At = r.time()
	m.Private = r.byte()&flagPrivate != 0
	m.From = r.string()
	m.Body = r.string()
	m.URL = r.string()
	return m, r.done()
}
