package component

import (
	"time"

	"switchboard/component/wire"
)

// bucket is a token bucket of one customer's messages.
type bucket struct {
	tokens float64
	last   time.Time
	warned time.Time // when the last refusal was answered
}

// allow takes one token from the customer's bucket (rate_limit per
// minute) and one from the bucket of the customer's domain
// (domain_rate_limit per minute), so that neither one JID nor one server
// can flood the desk. It returns the limit that refused, or "", and
// whether to answer the refusal: at most once a second per bucket, so
// that a flood does not make the desk flood the server with errors.
func (d *Desk) allow(customer string) (limit string, answer bool) {
	if ok, answer := d.take(customer, d.cfg.Desk.RateLimit); !ok {
		return "jid", answer
	}
	if ok, answer := d.take("@"+wire.Domain(customer), d.cfg.Desk.DomainRateLimit); !ok {
		return "domain", answer
	}
	return "", false
}

// take takes a token from the bucket under key, refilled at perMinute per
// minute up to a burst of perMinute; 0 means no limit. A refusal is to
// be answered when none was in the last second.
func (d *Desk) take(key string, perMinute int) (ok, answer bool) {
	limit := float64(perMinute)
	if limit <= 0 {
		return true, false
	}
	now := d.now()
	b := d.limits[key]
	if b == nil {
		b = &bucket{tokens: limit, last: now}
		d.limits[key] = b
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

// idle reports whether a bucket is full again and can be forgotten.
func (b *bucket) idle(now time.Time) bool { return now.Sub(b.last) > 2*time.Minute }
