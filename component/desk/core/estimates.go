package core

import (
	"fmt"
	"math"
	"slices"
	"time"

	"switchboard/component/texts"
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
func waitText(l *texts.Lang, e routing.Estimate) string {
	switch {
	case !e.Known:
		return l.Get(texts.WaitUnknown, nil)
	case e.Wait < 30*time.Second && e.High < time.Minute:
		return l.Get(texts.WaitMoment, nil)
	case e.Wide():
		return l.Get(texts.WaitLess, texts.A{"duration": l.Duration(e.High, texts.Ceil)})
	}
	return l.Get(texts.WaitAbout, texts.A{"duration": l.Duration(e.Wait, texts.Round)})
}

// ShortWait is the wait for the entry point's presence: "~3 min", "<10
// min", or "" when unknown.
func ShortWait(l *texts.Lang, e routing.Estimate) string {
	switch {
	case !e.Known:
		return ""
	case e.Wide():
		return l.Get(texts.ShortWaitLess, texts.A{"n": int(math.Ceil(e.High.Minutes()))})
	}
	return l.Get(texts.ShortWaitAbout, texts.A{"n": max(int(math.Round(e.Wait.Minutes())), 1)})
}

// WaitLine is the sentence that tells c's customer their place and wait
// ("You are number 2 in the queue; the wait is about 3 minutes.", "You
// are now …" for an update, or when a closed queue opens), written on
// the timeline as part of st.
func (d *Desk) WaitLine(c *Conv, st *Step, pos int, e routing.Estimate, update bool) string {
	l := d.Lang(c)
	if when := d.QueueClosed(c.Route.Queue, st.Now, l); when != "" {
		c.Told = ToldWait{At: st.Now, Pos: pos}
		return l.Get(texts.QueuePlaceClosed, texts.A{"place": pos, "opens": when})
	}
	detail := fmt.Sprintf("position %d, unknown", pos)
	if e.Known {
		detail = fmt.Sprintf("position %d, %d s (%d–%d s)", pos, int(e.Wait.Seconds()), int(e.Low.Seconds()), int(e.High.Seconds()))
	}
	st.Event("desk", "estimate", detail)
	c.Told = ToldWait{At: st.Now, Pos: pos, Known: e.Known, Wait: e.Wait}
	key := texts.QueuePlace
	if update {
		key = texts.QueuePlaceUpdate
	}
	return l.Get(key, texts.A{"place": pos, "wait": waitText(l, e)})
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
