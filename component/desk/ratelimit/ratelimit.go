package ratelimit

import (
	"time"

	"strings"
)

// Limits are token buckets of customers' messages, per bare JID and per
// domain ("@domain"). The zero value is not usable: make one with New.
// It is not safe for concurrent use.
type Limits map[string]*bucket

// New returns empty limits.
func New() Limits { return Limits{} }

// bucket is a token bucket.
type bucket struct {
	tokens float64
	last   time.Time
	warned time.Time // when the last refusal was answered
}

// Allow takes one token from the customer's bucket (perJID per minute)
// and one from the bucket of the customer's domain (perDomain per
// minute), so that neither one JID nor one server can flood the desk. It
// returns the limit that refused ("jid", "domain") or "", and whether to
// answer the refusal: at most once a second per bucket, so that a flood
// does not make the desk flood the server with errors.
func (l Limits) Allow(customer string, perJID, perDomain int, now time.Time) (limit string, answer bool) {
	if ok, answer := l.take(customer, perJID, now); !ok {
		return "jid", answer
	}
	if ok, answer := l.take("@"+domain(customer), perDomain, now); !ok {
		return "domain", answer
	}
	return "", false
}

// take takes a token from the bucket under key, refilled at perMinute per
// minute up to a burst of perMinute; 0 means no limit.
func (l Limits) take(key string, perMinute int, now time.Time) (ok, answer bool) {
	limit := float64(perMinute)
	if limit <= 0 {
		return true, false
	}
	b := l[key]
	if b == nil {
		b = &bucket{tokens: limit, last: now}
		l[key] = b
	}
	b.tokens = min(limit, b.tokens+now.Sub(b.last).Minutes()*limit)
	b.last = now
	if b.tokens < 1 {
		if now.Sub(b.warned) < time.Second {
			return false, false
		}
		b.warned = now
		return false, true
	}
	b.tokens--
	return true, false
}

// Forget drops the buckets that are full again.
func (l Limits) Forget(now time.Time) {
	for k, b := range l {
		if now.Sub(b.last) > 2*time.Minute {
			delete(l, k)
		}
	}
}

// domain returns the domain of a bare JID.
func domain(bare string) string {
	if i := strings.IndexByte(bare, '@'); i >= 0 {
		return bare[i+1:]
	}
	return bare
}
