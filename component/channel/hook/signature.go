package hook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks (standardwebhooks.com): the signed content is
// "ID.TIMESTAMP.BODY", the signature "v1," and the base64 of its
// HMAC-SHA256 under the secret ("whsec_" and base64 of the key); a
// webhook-signature header may carry several, space-separated, so that a
// secret can be rotated.

// Tolerance is how far a request's webhook-timestamp may be from now.
const Tolerance = 5 * time.Minute

// The errors of checking a request's signature headers.
var (
	ErrNoSignature = errors.New("webhook-id, webhook-timestamp and webhook-signature are needed")
	ErrStale       = errors.New("the webhook-timestamp is not within 5 minutes of now")
	ErrSignature   = errors.New("no webhook-signature matches")
)

// Key is the HMAC key of a secret: the base64 after "whsec_" (a secret
// without the prefix is taken as base64 too, as the libraries do).
func Key(secret string) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
}

// Sign is the webhook-signature of body sent as id at ts under secret.
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	key, err := Key(secret)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	writeHead(m, id, strconv.FormatInt(ts.Unix(), 10))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

func writeHead(h hash.Hash, id, ts string) {
	h.Write([]byte(id + "." + ts + "."))
}

// Verifier checks a body as it is read (Write), against the secrets of a
// channel: Valid says whether the request's signature header names it.
type Verifier struct {
	macs []hash.Hash
}

// NewVerifier starts checking a request with headers id and timestamp at
// now: ErrNoSignature without them, ErrStale when the timestamp is
// outside the tolerance.
func NewVerifier(secrets []string, id, timestamp string, now time.Time) (*Verifier, error) {
	if id == "" || timestamp == "" {
		return nil, ErrNoSignature
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return nil, ErrStale
	}
	if d := now.Sub(time.Unix(ts, 0)); d > Tolerance || d < -Tolerance {
		return nil, ErrStale
	}
	v := &Verifier{}
	for _, s := range secrets {
		key, err := Key(s)
		if err != nil {
			continue // refused by the configuration already
		}
		m := hmac.New(sha256.New, key)
		writeHead(m, id, timestamp) // as sent
		v.macs = append(v.macs, m)
	}
	return v, nil
}

// Write takes the next bytes of the body.
func (v *Verifier) Write(p []byte) (int, error) {
	for _, m := range v.macs {
		m.Write(p)
	}
	return len(p), nil
}

// Valid reports whether one of header's v1 signatures is the body's
// under one of the secrets (compared in constant time).
func (v *Verifier) Valid(header string) bool {
	var sums [][]byte
	for _, m := range v.macs {
		sums = append(sums, m.Sum(nil))
	}
	ok := false
	for _, sig := range strings.Fields(header) {
		version, b64, found := strings.Cut(sig, ",")
		if !found || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			continue
		}
		for _, sum := range sums {
			if hmac.Equal(got, sum) {
				ok = true
			}
		}
	}
	return ok
}
