package routing

import (
	"testing"
	"time"
)

func learnt(handle time.Duration, n int) *Estimator {
	e := NewEstimator()
	for range n {
		e.Handled("q", handle)
	}
	return e
}

func TestEstimate(t *testing.T) {
	for _, tc := range []struct {
		name             string
		e                *Estimator
		pos, slots, free int
		known            bool
		wait, within     time.Duration
	}{
		{name: "nothing learnt", e: NewEstimator(), pos: 1, slots: 3},
		{name: "too few handle times", e: learnt(time.Minute, EstimateSamples-1), pos: 1, slots: 3},
		{name: "nobody serves the queue", e: learnt(time.Minute, 10), pos: 1, slots: 0},
		{name: "a free slot, nothing learnt", e: NewEstimator(), pos: 1, slots: 1, free: 1, known: true},
		{name: "a free slot", e: learnt(time.Minute, 10), pos: 2, slots: 3, free: 2, known: true},
		// One stage at rate 3/(6 min): mean 2 min, an exponential's median
		// is ln 2 of its mean (Wilson–Hilferty says 0.70).
		{name: "next of three slots", e: learnt(6*time.Minute, 10), pos: 1, slots: 3, known: true, wait: 84 * time.Second, within: 3 * time.Second},
		// Thirty stages: nearly normal, median ~ mean = 30·2 min.
		{name: "thirtieth", e: learnt(6*time.Minute, 10), pos: 30, slots: 3, known: true, wait: 59*time.Minute + 20*time.Second, within: 10 * time.Second},
		{name: "free slots count", e: learnt(6*time.Minute, 10), pos: 31, slots: 3, free: 1, known: true, wait: 59*time.Minute + 20*time.Second, within: 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.e.Estimate("q", tc.pos, tc.slots, tc.free)
			if got.Known != tc.known {
				t.Fatalf("Known = %v, want %v (%+v)", got.Known, tc.known, got)
			}
			if d := got.Wait - tc.wait; d > tc.within || -d > tc.within {
				t.Errorf("Wait = %v, want %v ± %v", got.Wait, tc.wait, tc.within)
			}
			if got.Known && (got.Low > got.Wait || got.High < got.Wait) {
				t.Errorf("range %v…%v does not hold %v", got.Low, got.High, got.Wait)
			}
		})
	}
}

// Customers who give up ahead of you shorten your wait.
func TestEstimateAbandonment(t *testing.T) {
	patient, impatient := learnt(6*time.Minute, 10), learnt(6*time.Minute, 10)
	for i := range 100 {
		patient.Left("q", 5*time.Minute, false)
		impatient.Left("q", 5*time.Minute, i%2 == 0)
	}
	p, i := patient.Estimate("q", 20, 3, 0), impatient.Estimate("q", 20, 3, 0)
	if !(i.Wait < p.Wait*3/4) {
		t.Errorf("with half giving up after 5 min the 20th waits %v, without %v", i.Wait, p.Wait)
	}
}

func TestEstimateWide(t *testing.T) {
	e := learnt(6*time.Minute, 10)
	if first := e.Estimate("q", 1, 1, 0); !first.Wide() {
		t.Errorf("one exponential stage %v…%v around %v is not wide", first.Low, first.High, first.Wait)
	}
	if far := e.Estimate("q", 40, 1, 0); far.Wide() {
		t.Errorf("forty stages %v…%v around %v are wide", far.Low, far.High, far.Wait)
	}
}

// The handle time is the mean of the last 100.
func TestEstimatorHandleWindow(t *testing.T) {
	e := learnt(time.Hour, 100)
	for range 100 {
		e.Handled("q", time.Minute)
	}
	if h, n := e.Handle("q"); h != time.Minute || n != 100 {
		t.Errorf("Handle = %v over %d, want 1m0s over 100", h, n)
	}
}
