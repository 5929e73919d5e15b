package core

import (
	"fmt"
	"math"
	"slices"
	"time"

	"switchboard/routing"
	"switchboard/store"
)

// ToldWait is what a customer was last told.
type ToldWait struct {
	At    time.Time
	Pos   int
	Known bool
	Wait  time.Duration
}

// EstimateFor returns c's place in its queue and the wait there.
func (d *Desk) EstimateFor(c *Conv) (int, routing.Estimate) {
	pos := d.Position(c)
	return pos, d.EstimateAt(c.Route.Queue, pos)
}

// EstimateAt is the wait at place pos of queue.
func (d *Desk) EstimateAt(queue string, pos int) routing.Estimate {
	slots, free := d.Router.Slots(queue)
	return d.Estimator.Estimate(queue, pos, slots, free)
}

// Places returns the place of every conversation waiting in a queue, as
// position gives each one: one sort per queue, where a position for each
// would scan every conversation once per conversation.
func (d *Desk) Places(now time.Time) map[uint64]int {
	byQueue := map[string][]*Conv{}
	for _, c := range d.Convs {
		if d.Router.Waiting(c.Rec.ID) || c.Rec.Status == Queued && !c.Scheduled(now) {
			byQueue[c.Route.Queue] = append(byQueue[c.Route.Queue], c)
		}
	}
	out := make(map[uint64]int, len(d.Convs))
	for _, list := range byQueue {
		slices.SortFunc(list, func(a, b *Conv) int { return d.Router.Compare(&a.Route, &b.Route) })
		for i, c := range list {
			out[c.Rec.ID] = i + 1
		}
	}
	return out
}

// QueueEstimate is the wait of a customer who would queue now.
func (d *Desk) QueueEstimate(queue string) routing.Estimate {
	slots, free := d.Router.Slots(queue)
	return d.Estimator.Estimate(queue, d.InQueue(queue)+1, slots, free)
}

// InQueue counts the conversations waiting in queue, rooms not ready yet
// included.
func (d *Desk) InQueue(queue string) int {
	n := 0
	for _, c := range d.Convs {
		if c.Rec.Status == Queued && c.Route.Queue == queue && !c.Scheduled(d.Now()) {
			n++
		}
	}
	return n
}

// waitText is the wait in words, to follow "You are number N in the
// queue; ".
func waitText(e routing.Estimate) string {
	switch {
	case !e.Known:
		return "we will tell you how long it may take as soon as we know"
	case e.Wait < 30*time.Second && e.High < time.Minute:
		return "an agent will be with you in a moment"
	case e.Wide():
		return "the wait is less than " + minutesText(e.High, math.Ceil)
	case e.Wait < time.Minute:
		return "the wait is about a minute"
	}
	return "the wait is about " + minutesText(e.Wait, math.Round)
}

// ShortWait is the wait for the entry point's presence: "~3 min", "<10
// min", or "" when unknown.
func ShortWait(e routing.Estimate) string {
	switch {
	case !e.Known:
		return ""
	case e.Wide():
		return fmt.Sprintf("<%d min", int(math.Ceil(e.High.Minutes())))
	}
	return fmt.Sprintf("~%d min", max(int(math.Round(e.Wait.Minutes())), 1))
}

func minutesText(d time.Duration, round func(float64) float64) string {
	n := max(int(round(d.Minutes())), 1)
	if n == 1 {
		return "a minute"
	}
	if n >= 120 && n%60 == 0 {
		return fmt.Sprintf("%d hours", n/60)
	}
	return fmt.Sprintf("%d minutes", n)
}

// WaitLine is the place and wait to tell the customer ("number 2 in the
// queue; the wait is about 3 minutes.", or when a closed queue opens),
// written on the timeline as part of st.
func (d *Desk) WaitLine(c *Conv, st *Step, pos int, e routing.Estimate) string {
	if when := d.QueueClosed(c.Route.Queue, st.Now); when != "" {
		c.Told = ToldWait{At: st.Now, Pos: pos}
		return fmt.Sprintf("number %d in the queue. We are closed now and open again %s: you keep your place, and an agent will answer you here then.", pos, when)
	}
	detail := fmt.Sprintf("position %d, unknown", pos)
	if e.Known {
		detail = fmt.Sprintf("position %d, %d s (%d–%d s)", pos, int(e.Wait.Seconds()), int(e.Low.Seconds()), int(e.High.Seconds()))
	}
	st.Event("desk", "estimate", detail)
	c.Told = ToldWait{At: st.Now, Pos: pos, Known: e.Known, Wait: e.Wait}
	return fmt.Sprintf("number %d in the queue; %s.", pos, waitText(e))
}

// WorthTelling reports whether a new place and wait differ enough from
// what the customer was told to be worth an update.
func (t ToldWait) WorthTelling(pos int, e routing.Estimate) bool {
	if pos != t.Pos || e.Known != t.Known {
		return true
	}
	diff := e.Wait - t.Wait
	if diff < 0 {
		diff = -diff
	}
	return e.Known && diff > max(time.Minute, t.Wait/5)
}

// UpdatesEvery is how often the desk looks for queued customers due an
// update.
const UpdatesEvery = 5 * time.Second

// LearnWaited: a customer left the queue after waiting since, taken by an
// agent or giving up.
func (d *Desk) LearnWaited(c *Conv, now time.Time, gaveUp bool) {
	if c.Route.Queue != "" && !c.Route.Since.IsZero() {
		d.Estimator.Left(c.Route.Queue, now.Sub(c.Route.Since), gaveUp)
	}
}

// learnHandled: an agent's conversation ended (the slot it held is free).
func (d *Desk) learnHandled(c *Conv, now time.Time) {
	if c.Route.Queue != "" && !c.HeldSince.IsZero() {
		d.Estimator.Handled(c.Route.Queue, now.Sub(c.HeldSince))
	}
	c.HeldSince = time.Time{}
}

// EstimateHistory is how many ended conversations the estimates start
// from after a restart.
const EstimateHistory = 1000

// LearnHistory feeds the estimator the conversations that ended last.
func (d *Desk) LearnHistory(ended []store.Ended) {
	for _, e := range ended {
		if e.Queue == "" || e.Queued.IsZero() {
			continue
		}
		if !e.Assigned.IsZero() {
			d.Estimator.Left(e.Queue, e.Assigned.Sub(e.Queued), false)
			d.Estimator.Handled(e.Queue, e.Closed.Sub(e.Assigned))
		} else {
			d.Estimator.Left(e.Queue, e.Closed.Sub(e.Queued), true)
		}
	}
}
