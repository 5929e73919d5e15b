package component

import (
	"time"

	"switchboard/component/wire"
)

// bucket is a token bucket of one customer's messages.
type bucket struct {
	tokens float64
	last   time.Time
}

// allow takes one token from the customer's bucket (rate_limit per
// minute) and one from the bucket of the customer's domain
// (domain_rate_limit per minute), so that neither one JID nor one server
// can flood the desk. It returns the limit that refused, or "".
func (d *Desk) allow(customer string) string {
	if !d.take(customer, d.cfg.Desk.RateLimit) {
		return "jid"
	}
	if !d.take("@"+wire.Domain(customer), d.cfg.Desk.DomainRateLimit) {
		return "domain"
	}
	return ""
}

// take takes a token from the bucket under key, refilled at perMinute per
// minute up to a burst of perMinute; 0 means no limit.
func (d *Desk) take(key string, perMinute int) bool {
	limit := float64(perMinute)
	if limit <= 0 {
		return true
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
		return false
	}
	b.tokens--
	return true
}

// idle reports whether a bucket is full again and can be forgotten.
func (b *bucket) idle(now time.Time) bool { return now.Sub(b.last) > 2*time.Minute }
