package core

import (
	"time"

	"switchboard/component/texts"
)

const (
	// ratingWait is how long a rating answer is awaited when there is no
	// reopen window to wait in.
	ratingWait = 10 * time.Minute
)

// CloseOut closes a conversation an agent had: the customer gets the
// closing message and, when configured, the rating question. Within the
// reopen window the customer may come back to the same conversation and
// room, so both stay until it ends.
func (d *Desk) CloseOut(c *Conv, actor, resolution string) {
	st := d.Step(c)
	hold := d.Cfg.Desk.ReopenWindow
	rate := d.Cfg.Desk.Rating && c.Rec.Agent != ""
	if rate && hold < ratingWait {
		hold = ratingWait
	}
	if c.Rec.Agent != "" && hold > 0 {
		c.Rec.ReopenUntil = st.Now.Add(hold)
	}
	d.Transition(c, st, Closed, Why{Actor: actor, Detail: resolution, Tell: texts.Goodbye})
	if rate {
		c.Rec.RatingPending = true
		st.Say(texts.RatingQuestion, nil)
	}
	st.Commit()
}

// WindowEnded lets go of a closed conversation once nobody can reopen it.
func (d *Desk) WindowEnded(id uint64) {
	c := d.Convs[id]
	if c == nil || c.Rec.Open() || c.Rec.ReopenUntil.IsZero() {
		return
	}
	if now := d.Now(); now.Before(c.Rec.ReopenUntil) {
		d.After(c.Rec.ReopenUntil.Sub(now), TimerWindow, id, "")
		return
	}
	if !d.Online {
		d.After(5*time.Second, TimerWindow, id, "") // the room goes once the server is back
		return
	}
	d.LetGo(c)
}

// LetGo ends a closed conversation's hold: nobody can reopen or rate it
// any more, and the desk forgets it.
func (d *Desk) LetGo(c *Conv) {
	c.Rec.ReopenUntil = time.Time{}
	c.Rec.RatingPending = false
	st := d.Step(c)
	st.Send(d.forget(c, "conversation closed")...)
	st.Commit()
}
