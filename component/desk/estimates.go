package desk

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"switchboard/routing"
	"switchboard/store"
)

// Wait estimates: what a queued customer is told of their place and wait,
// on queuing, on "status" and as updates while they wait (at most one per
// desk.update_every, and only when the place moved or the wait changed by
// more than a minute or a fifth). The numbers come from routing.Estimator,
// which learns each queue's handle times and abandonment from what the
// desk sees (learn*) and, after a restart, from the conversations that
// ended last.

// toldWait is what a customer was last told.
type toldWait struct {
	at    time.Time
	pos   int
	known bool
	wait  time.Duration
}

// estimateFor returns c's place in its queue and the wait there.
func (d *Desk) estimateFor(c *conv) (int, routing.Estimate) {
	pos := d.position(c)
	return pos, d.estimateAt(c.route.Queue, pos)
}

// estimateAt is the wait at place pos of queue.
func (d *Desk) estimateAt(queue string, pos int) routing.Estimate {
	slots, free := d.router.Slots(queue)
	return d.estimator.Estimate(queue, pos, slots, free)
}

// places returns the place of every conversation waiting in a queue, as
// position gives each one: one sort per queue, where a position for each
// would scan every conversation once per conversation.
func (d *Desk) places(now time.Time) map[uint64]int {
	byQueue := map[string][]*conv{}
	for _, c := range d.convs {
		if d.router.Waiting(c.rec.ID) || c.rec.Status == queued && !c.scheduled(now) {
			byQueue[c.route.Queue] = append(byQueue[c.route.Queue], c)
		}
	}
	out := make(map[uint64]int, len(d.convs))
	for _, list := range byQueue {
		slices.SortFunc(list, func(a, b *conv) int { return d.router.Compare(&a.route, &b.route) })
		for i, c := range list {
			out[c.rec.ID] = i + 1
		}
	}
	return out
}

// queueEstimate is the wait of a customer who would queue now.
func (d *Desk) queueEstimate(queue string) routing.Estimate {
	slots, free := d.router.Slots(queue)
	return d.estimator.Estimate(queue, d.inQueue(queue)+1, slots, free)
}

// inQueue counts the conversations waiting in queue, rooms not ready yet
// included.
func (d *Desk) inQueue(queue string) int {
	n := 0
	for _, c := range d.convs {
		if c.rec.Status == queued && c.route.Queue == queue && !c.scheduled(d.now()) {
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

// shortWait is the wait for the entry point's presence: "~3 min", "<10
// min", or "" when unknown.
func shortWait(e routing.Estimate) string {
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

// waitLine is the place and wait to tell the customer ("number 2 in the
// queue; the wait is about 3 minutes.", or when a closed queue opens),
// written on the timeline as part of st.
func (d *Desk) waitLine(c *conv, st *step, pos int, e routing.Estimate) string {
	if when := d.queueClosed(c.route.Queue, st.now); when != "" {
		c.told = toldWait{at: st.now, pos: pos}
		return fmt.Sprintf("number %d in the queue. We are closed now and open again %s: you keep your place, and an agent will answer you here then.", pos, when)
	}
	detail := fmt.Sprintf("position %d, unknown", pos)
	if e.Known {
		detail = fmt.Sprintf("position %d, %d s (%d–%d s)", pos, int(e.Wait.Seconds()), int(e.Low.Seconds()), int(e.High.Seconds()))
	}
	st.event("desk", "estimate", detail)
	c.told = toldWait{at: st.now, pos: pos, known: e.Known, wait: e.Wait}
	return fmt.Sprintf("number %d in the queue; %s.", pos, waitText(e))
}

// worthTelling reports whether a new place and wait differ enough from
// what the customer was told to be worth an update.
func (t toldWait) worthTelling(pos int, e routing.Estimate) bool {
	if pos != t.pos || e.Known != t.known {
		return true
	}
	diff := e.Wait - t.wait
	if diff < 0 {
		diff = -diff
	}
	return e.Known && diff > max(time.Minute, t.wait/5)
}

// updatesEvery is how often the desk looks for queued customers due an
// update.
const updatesEvery = 5 * time.Second

// updateWaits tells each queued customer who was last told at least
// update_every ago their new place and wait, when it changed enough.
func (d *Desk) updateWaits(now time.Time) {
	if !d.connected {
		return
	}
	var due []*conv
	for _, c := range d.convs {
		if c.rec.Status == queued && c.rec.Offered == "" && now.Sub(c.told.at) >= d.cfg.Desk.UpdateEvery && !d.router.Closed(c.route.Queue) && c.rec.Kind == store.KindChat && c.rec.Leaving == nil {
			due = append(due, c)
		}
	}
	if len(due) == 0 {
		return
	}
	slices.SortFunc(due, func(a, b *conv) int { return cmp.Compare(a.rec.ID, b.rec.ID) })
	places := d.places(now)
	for _, c := range due {
		pos := places[c.rec.ID]
		e := d.estimateAt(c.route.Queue, pos)
		if !c.told.worthTelling(pos, e) {
			continue
		}
		st := d.step(c)
		st.same = true
		st.tell("You are now " + d.waitLine(c, st, pos, e))
		st.commit()
	}
}

// learnWaited: a customer left the queue after waiting since, taken by an
// agent or giving up.
func (d *Desk) learnWaited(c *conv, now time.Time, gaveUp bool) {
	if c.route.Queue != "" && !c.route.Since.IsZero() {
		d.estimator.Left(c.route.Queue, now.Sub(c.route.Since), gaveUp)
	}
}

// learnHandled: an agent's conversation ended (the slot it held is free).
func (d *Desk) learnHandled(c *conv, now time.Time) {
	if c.route.Queue != "" && !c.heldSince.IsZero() {
		d.estimator.Handled(c.route.Queue, now.Sub(c.heldSince))
	}
	c.heldSince = time.Time{}
}

// estimateHistory is how many ended conversations the estimates start
// from after a restart.
const estimateHistory = 1000

// learnHistory feeds the estimator the conversations that ended last.
func (d *Desk) learnHistory(ended []store.Ended) {
	for _, e := range ended {
		if e.Queue == "" || e.Queued.IsZero() {
			continue
		}
		if !e.Assigned.IsZero() {
			d.estimator.Left(e.Queue, e.Assigned.Sub(e.Queued), false)
			d.estimator.Handled(e.Queue, e.Closed.Sub(e.Assigned))
		} else {
			d.estimator.Left(e.Queue, e.Closed.Sub(e.Queued), true)
		}
	}
}
