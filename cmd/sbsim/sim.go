package main

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"switchboard/routing"
)

// The methods sbsim compares, in the order it prints them.
const (
	ours = iota
	fastpath
	rocket
	// floor is the best any method could do in a one-slot desk: the
	// median of the real wait's distribution, knowing the true handle
	// time distribution and how long the conversation being handled has
	// run. It is only computed there.
	floor
	methods
)

var methodNames = [methods]string{"switchboard", "Fastpath", "Rocket.Chat", "best possible"}

// score sums one method's errors over the customers who were told.
type score struct {
	n       int
	absErr  float64 // seconds
	tooLess int
}

func (s *score) add(told, real float64) {
	s.n++
	s.absErr += math.Abs(told - real)
	if real > told+max(60, 0.2*told) {
		s.tooLess++
	}
}

func (s score) mae() float64 { return s.absErr / max(float64(s.n), 1) }
func (s score) lessShare() float64 {
	return float64(s.tooLess) / max(float64(s.n), 1)
}

// result is one scenario's outcome.
type result struct {
	scores    [methods]score
	customers int // arrived
	queued    int // had to wait and were told
	gaveUp    int
	unknown   int // switchboard had no number to tell
}

type customer struct {
	arrive float64
	told   [methods]float64 // the point estimate each method gave
	floor  bool             // told[floor] was computed
	shown  float64          // what switchboard's customer read ("less than" shows High)
	queued bool
	known  bool
	gone   bool // gave up or taken
}

type agent struct {
	chats, busy int
}

type evKind int

const (
	evArrival evKind = iota
	evDone
	evGiveUp
	evShift
)

type simEvent struct {
	at     float64
	kind   evKind
	agent  int
	cust   *customer
	handle float64
}

type events []simEvent

func (e events) Len() int           { return len(e) }
func (e events) Less(i, j int) bool { return e[i].at < e[j].at }
func (e events) Swap(i, j int)      { e[i], e[j] = e[j], e[i] }
func (e *events) Push(x any)        { *e = append(*e, x.(simEvent)) }
func (e *events) Pop() any {
	old := *e
	x := old[len(old)-1]
	*e = old[:len(old)-1]
	return x
}

// warmup is how long the desk runs before customers are scored: every
// method needs some served customers to say anything.
const warmup = 2 * 3600.0

// simulate runs scenario s for the given simulated time.
func simulate(s scenario, span time.Duration, seed uint64) result {
	rng := rand.New(rand.NewPCG(seed, 0x5b5b))
	est := routing.NewEstimator()
	const queue = "q"
	var (
		res      result
		ev       events
		line     []*customer // waiting, in order; taken or gone ones are skipped
		waiting  int
		agents   = make([]agent, s.agents)
		online   = s.online(0)
		fastAvg  float64
		rocketW  []float64 // last 100 handle times
		rocketSu float64
		started  = make([]float64, s.agents) // when each agent's last conversation began
		oracle   = rand.New(rand.NewPCG(seed, 0x0ac1e))
		oneSlot  = s.slots(s.agents) == 1 && s.patience == 0 && !s.shifts
	)
	for i := range agents {
		agents[i].chats = s.chats[i%len(s.chats)]
	}
	end := span.Seconds()
	maxRate := s.load * float64(s.slots(s.agents)) / s.meanHandle() * max(s.burst, 1)
	nextArrival := func(t float64) {
		// Thinning: candidates at the highest rate, kept at rate(t)/max.
		for t < end {
			t += rng.ExpFloat64() / maxRate
			if rng.Float64()*maxRate < s.rate(t) {
				heap.Push(&ev, simEvent{at: t, kind: evArrival})
				return
			}
		}
	}
	slots := func() (total, free int) {
		for i := range online {
			total += agents[i].chats
			free += max(agents[i].chats-agents[i].busy, 0)
		}
		return total, free
	}
	mu := math.Log(s.handle.Seconds())
	take := func(now float64, c *customer, a int) {
		c.gone = true
		wait := now - c.arrive
		est.Left(queue, seconds(wait), false)
		fastAvg = (fastAvg + wait) / 2
		if c.queued && c.known && c.arrive >= warmup {
			for m := range floor {
				res.scores[m].add(c.told[m], wait)
			}
			if c.floor {
				res.scores[floor].add(c.told[floor], wait)
			}
			// The share told too little counts what the customer read.
			res.scores[ours].tooLess += tooLess(c.shown, wait) - tooLess(c.told[ours], wait)
		}
		agents[a].busy++
		started[a] = now
		h := math.Exp(mu + s.sigma*rng.NormFloat64())
		heap.Push(&ev, simEvent{at: now + h, kind: evDone, agent: a, handle: h})
	}
	freeAgent := func() int {
		for i := range online {
			if agents[i].busy < agents[i].chats {
				return i
			}
		}
		return -1
	}
	dispatch := func(now float64) {
		for waiting > 0 {
			a := freeAgent()
			if a < 0 {
				return
			}
			for line[0].gone {
				line = line[1:]
			}
			c := line[0]
			line = line[1:]
			waiting--
			take(now, c, a)
		}
	}
	nextArrival(0)
	heap.Push(&ev, simEvent{at: 300, kind: evShift})
	for ev.Len() > 0 {
		e := heap.Pop(&ev).(simEvent)
		now := e.at
		if now > end && e.kind != evDone {
			continue
		}
		switch e.kind {
		case evArrival:
			res.customers++
			c := &customer{arrive: now}
			nextArrival(now)
			if a := freeAgent(); a >= 0 && waiting == 0 {
				take(now, c, a)
				continue
			}
			line = append(line, c)
			waiting++
			pos := waiting
			total, free := slots()
			c.queued = true
			e := est.Estimate(queue, pos, total, free)
			c.known = e.Known
			c.told[ours] = e.Wait.Seconds()
			c.shown = c.told[ours]
			if e.Wide() {
				c.shown = e.High.Seconds()
			}
			c.told[fastpath] = fastAvg * float64(pos) // pos−1 ahead, told avg·(ahead+1)
			if oneSlot {
				c.told[floor], c.floor = floorWait(oracle, mu, s.sigma, now-started[0], pos), true
			}
			if len(rocketW) > 0 && total > 0 {
				c.told[rocket] = (float64(pos-1)/float64(total) + 1) * rocketSu / float64(len(rocketW))
			}
			if now >= warmup {
				res.queued++
				if !e.Known {
					res.unknown++
				}
			}
			if s.patience > 0 {
				heap.Push(&ev, simEvent{at: now + rng.ExpFloat64()*s.patience.Seconds(), kind: evGiveUp, cust: c})
			}
		case evDone:
			agents[e.agent].busy--
			est.Handled(queue, seconds(e.handle))
			rocketW = append(rocketW, e.handle)
			rocketSu += e.handle
			if len(rocketW) > 100 {
				rocketSu -= rocketW[0]
				rocketW = rocketW[1:]
			}
			dispatch(now)
		case evGiveUp:
			if e.cust.gone {
				continue
			}
			e.cust.gone = true
			waiting--
			est.Left(queue, seconds(now-e.cust.arrive), true)
			if e.cust.arrive >= warmup {
				res.gaveUp++
			}
		case evShift:
			online = s.online(now)
			dispatch(now)
			heap.Push(&ev, simEvent{at: now + 300, kind: evShift})
		}
	}
	return res
}

func tooLess(told, real float64) int {
	if real > told+max(60, 0.2*told) {
		return 1
	}
	return 0
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// floorWait is the median of a one-slot desk's wait for the customer at
// pos: what is left of the conversation being handled (lognormal, known
// to have run for age already) and pos−1 whole ones, by Monte Carlo.
func floorWait(rng *rand.Rand, mu, sigma, age float64, pos int) float64 {
	const draws = 301
	var w [draws]float64
	// The handle time's distribution function at age, for drawing the
	// rest of the current conversation by inverting it.
	fa := 0.0
	if age > 0 {
		fa = 0.5 * math.Erfc(-(math.Log(age)-mu)/(sigma*math.Sqrt2))
	}
	for i := range w {
		u := fa + rng.Float64()*(1-fa)
		u = min(max(u, 1e-12), 1-1e-12)
		rest := math.Exp(mu+sigma*math.Sqrt2*math.Erfinv(2*u-1)) - age
		for range pos - 1 {
			rest += math.Exp(mu + sigma*rng.NormFloat64())
		}
		w[i] = max(rest, 0)
	}
	slices.Sort(w[:])
	return w[draws/2]
}
