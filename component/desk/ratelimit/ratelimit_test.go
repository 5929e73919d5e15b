package ratelimit_test

import (
	"testing"
	"time"

	"switchboard/component/desk/ratelimit"
)

func TestAllow(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	type msg struct {
		from  string
		after time.Duration // since t0
		limit string        // "", "jid" or "domain"
		tell  bool          // the refusal is answered
	}
	tests := []struct {
		name              string
		perJID, perDomain int
		msgs              []msg
	}{
		{"off", 0, 0, []msg{{"a@x", 0, "", false}, {"a@x", 0, "", false}}},
		{"burst then refused, answered once a second", 2, 0, []msg{
			{"a@x", 0, "", false}, {"a@x", 0, "", false},
			{"a@x", 0, "jid", true}, {"a@x", 500 * time.Millisecond, "jid", false},
			{"a@x", 1100 * time.Millisecond, "jid", true},
		}},
		{"refills at the rate", 60, 0, []msg{{"a@x", 0, "", false}}},
		{"one domain for many JIDs", 0, 2, []msg{
			{"a@x", 0, "", false}, {"b@x", 0, "", false}, {"c@x", 0, "domain", true}, {"d@y", 0, "", false},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := ratelimit.New()
			for i, m := range tc.msgs {
				limit, tell := l.Allow(m.from, tc.perJID, tc.perDomain, t0.Add(m.after))
				if limit != m.limit || tell != m.tell {
					t.Fatalf("message %d from %s: %q, %v; want %q, %v", i, m.from, limit, tell, m.limit, m.tell)
				}
			}
		})
	}
	// A bucket refills: 2 a minute gives a token back after 30s.
	l := ratelimit.New()
	l.Allow("a@x", 2, 0, t0)
	l.Allow("a@x", 2, 0, t0)
	if limit, _ := l.Allow("a@x", 2, 0, t0.Add(31*time.Second)); limit != "" {
		t.Fatalf("not refilled: %q", limit)
	}
	l.Forget(t0.Add(time.Hour))
	if len(l) != 0 {
		t.Fatalf("full buckets kept: %d", len(l))
	}
}
