package main

import (
	"math"
	"time"
)

// scenario is one desk to simulate.
type scenario struct {
	name string
	// agents and their chat slots; chats[i%len(chats)] is agent i's.
	agents int
	chats  []int
	// load is the offered load: arrivals × mean handle time / slots of
	// the agents online (above 1 the queue only grows until customers
	// give up).
	load float64
	// burst: the arrival rate alternates between burst× for on and a
	// rate that keeps the mean for off.
	burst   float64
	on, off time.Duration
	// shifts: the agents online follow a day's curve between min and
	// all, arrivals following them.
	shifts bool
	minOn  int
	// handle times are lognormal with this median and sigma.
	handle time.Duration
	sigma  float64
	// patience: customers give up after an exponential time with this
	// mean (0: they wait as long as it takes).
	patience time.Duration
}

// scenarios are the desks sbsim measures.
var scenarios = []scenario{
	{name: "1 agent × 1 chat, Poisson", agents: 1, chats: []int{1}, load: 0.85, handle: 4 * time.Minute, sigma: 0.8},
	{name: "5 agents × 2 chats, Poisson", agents: 5, chats: []int{2}, load: 0.95, handle: 6 * time.Minute, sigma: 0.8},
	{name: "20 agents × 3 chats, bursts", agents: 20, chats: []int{3}, load: 0.9, burst: 1.6, on: 20 * time.Minute, off: 40 * time.Minute, handle: 8 * time.Minute, sigma: 0.9, patience: 30 * time.Minute},
	{name: "4-16 agents × 2 chats, shifts", agents: 16, chats: []int{2}, shifts: true, minOn: 4, load: 0.95, handle: 5 * time.Minute, sigma: 0.8, patience: 20 * time.Minute},
	{name: "8 agents × 2 chats, overloaded", agents: 8, chats: []int{2}, load: 1.3, handle: 5 * time.Minute, sigma: 0.7, patience: 10 * time.Minute},
	{name: "10 agents × 1-3 chats, impatient", agents: 10, chats: []int{1, 2, 3}, load: 1.0, handle: 6 * time.Minute, sigma: 1.0, patience: 8 * time.Minute},
	{name: "50 agents × 3 chats, Poisson", agents: 50, chats: []int{3}, load: 0.97, handle: 7 * time.Minute, sigma: 0.8, patience: 45 * time.Minute},
}

// slots returns the chat slots of the first n agents.
func (s scenario) slots(n int) int {
	total := 0
	for i := range n {
		total += s.chats[i%len(s.chats)]
	}
	return total
}

// meanHandle is the lognormal's mean.
func (s scenario) meanHandle() float64 {
	return s.handle.Seconds() * math.Exp(s.sigma*s.sigma/2)
}

// online is how many agents are logged in at t: all of them, or a day's
// curve for shifts (few at night, all at midday).
func (s scenario) online(t float64) int {
	if !s.shifts {
		return s.agents
	}
	day := math.Mod(t, 86400) / 86400
	f := (1 - math.Cos(2*math.Pi*day)) / 2
	return s.minOn + int(math.Round(f*float64(s.agents-s.minOn)))
}

// rate is the arrival rate per second at t.
func (s scenario) rate(t float64) float64 {
	r := s.load * float64(s.slots(s.online(t))) / s.meanHandle()
	if s.burst > 0 {
		period := (s.on + s.off).Seconds()
		onShare := s.on.Seconds() / period
		if math.Mod(t, period) < s.on.Seconds() {
			return r * s.burst
		}
		return r * (1 - s.burst*onShare) / (1 - onShare)
	}
	return r
}
