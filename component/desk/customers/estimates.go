package customers

import (
	"cmp"
	"slices"
	"time"

	"switchboard/component/desk/core"
	"switchboard/store"
)

// UpdateWaits tells each queued customer who was last told at least
// update_every ago their new place and wait, when it changed enough.
func (d *Desk) UpdateWaits(now time.Time) {
	if !d.Online {
		return
	}
	var due []*core.Conv
	for _, c := range d.Convs {
		if c.Rec.Status == core.Queued && c.Rec.Offered == "" && now.Sub(c.Told.At) >= d.Cfg.Desk.UpdateEvery && !d.Router.Closed(c.Route.Queue) && c.Rec.Kind == store.KindChat && c.Rec.Leaving == nil {
			due = append(due, c)
		}
	}
	if len(due) == 0 {
		return
	}
	slices.SortFunc(due, func(a, b *core.Conv) int { return cmp.Compare(a.Rec.ID, b.Rec.ID) })
	places := d.Places(now)
	for _, c := range due {
		pos := places[c.Rec.ID]
		e := d.EstimateAt(c.Route.Queue, pos)
		if !c.Told.WorthTelling(pos, e) {
			continue
		}
		st := d.Step(c)
		st.Same = true
		st.Tell(d.WaitLine(c, st, pos, e, true))
		st.Commit()
	}
}
