package channel

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"time"
)

// Links signs links to stored files, so that agents' clients can fetch
// them without the API's token: /files/ID/NAME?exp=UNIX&sig=HMAC, valid
// until exp.
type Links struct {
	Key  []byte        // the HMAC-SHA256 key
	Base string        // the public URL of the HTTP listener, no trailing slash
	TTL  time.Duration // how long a link works
}

// Path is the unsigned reference to a file the desk keeps in a
// transcript: "/files/ID/NAME".
func Path(id, name string) string { return "/files/" + id + "/" + url.PathEscape(name) }

// URL is a link to file id named name, signed at now.
func (l *Links) URL(id, name string, now time.Time) string {
	exp := now.Add(l.TTL).Unix()
	return l.Base + Path(id, name) + "?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + l.sign(id, name, exp)
}

// Sign turns a transcript's file reference (Path) into a signed link at
// now; anything else stays as it is.
func (l *Links) Sign(ref string, now time.Time) string {
	id, name, ok := ParsePath(ref)
	if !ok || l == nil {
		return ref
	}
	return l.URL(id, name, now)
}

// ParsePath takes a file reference apart.
func ParsePath(ref string) (id, name string, ok bool) {
	rest, ok := cutPrefix(ref, "/files/")
	if !ok || len(rest) < 34 || rest[32] != '/' {
		return "", "", false
	}
	name, err := url.PathUnescape(rest[33:])
	if err != nil || name == "" {
		return "", "", false
	}
	return rest[:32], name, true
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return s, false
}

// Verify reports whether a link's exp and sig are right for file id
// named name at now.
func (l *Links) Verify(id, name, exp, sig string, now time.Time) bool {
	e, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || now.Unix() > e {
		return false
	}
	want := l.sign(id, name, e)
	return hmac.Equal([]byte(want), []byte(sig))
}

func (l *Links) sign(id, name string, exp int64) string {
	m := hmac.New(sha256.New, l.Key)
	m.Write([]byte(id + "\x00" + name + "\x00" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
