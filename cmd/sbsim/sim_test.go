package main

import (
	"io"
	"testing"
	"time"
)

// TestEstimatesBeatPeers is the short version of go run ./cmd/sbsim: a
// simulated day of every scenario. switchboard's mean absolute error is
// at most half the better peer's, except in the one-slot queue, where
// even the best possible estimate (knowing the true distributions) is
// not half of the better peer's: there switchboard must be within a
// tenth of that floor.
func TestEstimatesBeatPeers(t *testing.T) {
	results := report(io.Discard, scenarios, 24*time.Hour, 1)
	for i, r := range results {
		s := scenarios[i]
		limit := 0.5
		if s.slots(s.agents) == 1 {
			best := r.scores[floor].mae()
			if peer := min(r.scores[fastpath].mae(), r.scores[rocket].mae()); best <= 0.5*peer {
				t.Errorf("%s: the best possible MAE %.0f s is within half the better peer's %.0f s: the target is reachable here", s.name, best, peer)
			}
			limit = 1.1 * best / min(r.scores[fastpath].mae(), r.scores[rocket].mae())
		}
		if r.queued < 100 {
			t.Errorf("%s: only %d customers waited", s.name, r.queued)
		}
		if got := r.ratio(); got > limit {
			t.Errorf("%s: MAE %.0f s is %.2f of the better peer's (Fastpath %.0f s, Rocket.Chat %.0f s); want ≤ %.2f",
				s.name, r.scores[ours].mae(), got, r.scores[fastpath].mae(), r.scores[rocket].mae(), limit)
		}
		if r.unknown > r.queued/100 {
			t.Errorf("%s: no number for %d of %d after the warm-up", s.name, r.unknown, r.queued)
		}
	}
}
