package component

import "time"

// bucket is a token bucket of one customer's messages.
type bucket struct {
	tokens float64
	last   time.Time
}

// allow takes one token from the customer's bucket, refilled at rate_limit
// per minute up to a burst of rate_limit.
func (d *Desk) allow(customer string) bool {
	limit := float64(d.cfg.Desk.RateLimit)
	if limit <= 0 {
		return true
	}
	now := d.now()
	b := d.limits[customer]
	if b == nil {
		b = &bucket{tokens: limit, last: now}
		d.limits[customer] = b
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
