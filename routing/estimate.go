package routing

import (
	"math"
	"time"
)

// Wait estimates: a queueing model per queue (Erlang A). A queue is served
// by c chat slots (the routable agents qualifying for it, each with
// max_chats slots); a slot's conversation lasts an observed mean handle
// time 1/μ; a waiting customer gives up at an observed rate θ. A customer
// with k customers to wait for (their place, less the free slots) moves one
// place forward at rate cμ + jθ while j others are ahead, so their wait is
// the sum of k exponential stages:
//
//	mean W = Σ_{j=0}^{k-1} 1/(cμ + jθ)     var W = Σ_{j=0}^{k-1} 1/(cμ + jθ)²
//
// θ is the maximum-likelihood rate of exponential patience: customers who
// gave up over the time all customers who left the queue spent waiting.
// The number told is the median of the gamma distribution with that mean
// and variance (the median is what minimises the error a customer sees);
// the range is its 10th to 90th percentile. (A correction learnt from
// real waits against told ones made every simulated scenario worse, see
// cmd/sbsim; it is not applied.)

// Estimate is what a customer at some place in a queue can be told.
type Estimate struct {
	// Known is false when there is no honest number: nobody serves the
	// queue, or too few conversations have ended to know a handle time.
	Known bool
	// Wait is the number to tell; Low and High bound 80% of the outcomes.
	Wait, Low, High time.Duration
}

// Wide reports whether the range is too wide to tell one number: the
// customer is told "less than High" instead.
func (e Estimate) Wide() bool { return e.High-e.Low > e.Wait }

// EstimateSamples is how many ended conversations a queue needs before its
// estimates are told.
const EstimateSamples = 5

// handleWindow is how many recent handle times make the mean.
const handleWindow = 100

// decay weighs the abandonment observations: older ones fade, so that the
// rate follows the day (a weight of 1/200 per customer who leaves).
const decay = 0.995

// Estimator learns each queue's handle times, waits and abandonment. It is
// not safe for concurrent use: one goroutine owns it, like the Router.
type Estimator struct {
	queues map[string]*queueStats
}

type queueStats struct {
	handle    [handleWindow]float64 // seconds, a ring
	n, next   int
	sum       float64
	abandoned float64 // decayed count of customers who left the queue
	waited    float64 // decayed seconds spent waiting by all who left it
}

// NewEstimator returns an estimator that knows nothing yet.
func NewEstimator() *Estimator { return &Estimator{queues: map[string]*queueStats{}} }

func (e *Estimator) stats(queue string) *queueStats {
	q := e.queues[queue]
	if q == nil {
		q = &queueStats{}
		e.queues[queue] = q
	}
	return q
}

// Handled records how long an agent held one of the queue's conversations.
func (e *Estimator) Handled(queue string, d time.Duration) {
	q := e.stats(queue)
	s := max(d.Seconds(), 0)
	if q.n == handleWindow {
		q.sum -= q.handle[q.next]
	} else {
		q.n++
	}
	q.handle[q.next] = s
	q.sum += s
	q.next = (q.next + 1) % handleWindow
}

// Left records a customer leaving the queue after waiting d: taken by an
// agent, or given up.
func (e *Estimator) Left(queue string, d time.Duration, gaveUp bool) {
	q := e.stats(queue)
	q.abandoned *= decay
	q.waited *= decay
	if gaveUp {
		q.abandoned++
	}
	q.waited += max(d.Seconds(), 0)
}

// Handle returns the queue's mean handle time and how many samples make
// it.
func (e *Estimator) Handle(queue string) (time.Duration, int) {
	q := e.queues[queue]
	if q == nil || q.n == 0 {
		return 0, 0
	}
	return seconds(q.sum / float64(q.n)), q.n
}

// Estimate returns the wait of a customer at place pos (1 = next) in the
// queue, served by slots chat slots of which free are free now.
func (e *Estimator) Estimate(queue string, pos, slots, free int) Estimate {
	if slots <= 0 {
		return Estimate{}
	}
	k := pos - free
	if k <= 0 {
		return Estimate{Known: true} // a free slot is theirs
	}
	q := e.queues[queue]
	if q == nil || q.n < EstimateSamples || q.sum <= 0 {
		return Estimate{}
	}
	mu := float64(q.n) / q.sum
	theta := 0.0
	if q.waited > 0 {
		theta = q.abandoned / q.waited
	}
	var mean, variance float64
	for j := range k {
		rate := float64(slots)*mu + float64(j)*theta
		mean += 1 / rate
		variance += 1 / (rate * rate)
	}
	shape := mean * mean / variance
	return Estimate{
		Known: true,
		Wait:  seconds(gammaQuantile(mean, shape, 0)),
		Low:   seconds(gammaQuantile(mean, shape, -1.2816)),
		High:  seconds(gammaQuantile(mean, shape, 1.2816)),
	}
}

// gammaQuantile is the Wilson–Hilferty approximation of the quantile at z
// standard deviations of a gamma distribution with the given mean and
// shape.
func gammaQuantile(mean, shape, z float64) float64 {
	v := 1 / (9 * shape)
	x := 1 - v + z*math.Sqrt(v)
	if x <= 0 {
		return 0
	}
	return mean * x * x * x
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
