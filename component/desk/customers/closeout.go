package customers

import (
	"strconv"
	"strings"
	"time"

	"switchboard/component/desk/core"
	"switchboard/component/texts"
	"switchboard/component/wire"
)

// closedMessage handles a customer writing to a closed conversation still
// held open: digits answer a pending rating question; anything else
// within the reopen window reopens the conversation.
func (d *Desk) closedMessage(c *core.Conv, a arrival, l core.Line) {
	if c.Rec.RatingPending && l.URL == "" && isDigits(l.Body) {
		d.rate(c, l)
		return
	}
	if d.Now().After(c.Rec.Closed.Add(d.Cfg.Desk.ReopenWindow)) {
		// Past the reopen window (held only for the rating): a new
		// conversation.
		d.LetGo(c)
		d.open(a, l)
		return
	}
	d.reopen(c, l)
}

func isDigits(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 9 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// rate records the customer's answer to the rating question.
func (d *Desk) rate(c *core.Conv, l core.Line) {
	n, _ := strconv.Atoi(strings.TrimSpace(l.Body))
	st := d.Step(c)
	st.Received(l)
	if n < 1 || n > 5 {
		st.Same = true
		st.Say(texts.RatingReask, nil)
		st.Commit()
		return
	}
	c.Rec.Rating = n
	c.Rec.RatingPending = false
	d.Metrics.Ratings.WithLabelValues(strconv.Itoa(n)).Inc()
	st.Event(c.Rec.Customer, "rating", strconv.Itoa(n))
	st.Say(texts.RatingThanks, nil)
	if c.Room.Joined {
		st.Send(d.Note(c, texts.Rated, texts.A{"n": n}))
	}
	st.Commit()
}

// reopen continues a closed conversation: same record and room, and the
// same agent when they can take it.
func (d *Desk) reopen(c *core.Conv, l core.Line) {
	prev := c.Rec.Agent
	c.Rec.ReopenUntil = time.Time{}
	c.Rec.RatingPending = false
	c.Rec.Closed = time.Time{}
	c.Rec.Resolution = ""
	st := d.Step(c)
	st.Received(l)
	if l.URL != "" {
		c.Need(wire.NSOOB)
	}
	st.Event(c.Rec.Customer, "reopened", "")
	if c.Room.Has(prev) && d.Router.CanTake(prev) {
		// Still in the room and free: straight back to them.
		name := d.AgentName(prev)
		d.Transition(c, st, core.Open, core.Why{Actor: "desk", Action: "assigned", Detail: "reopened; " + prev + " is still in the room"})
		st.Say(texts.WelcomeBack, texts.A{"agent": name})
		st.Send(d.Note(c, texts.BackOpen, texts.A{"agent": name}))
		st.Send(d.Groupchat(c, quoteCustomer(l.Body), l.URL))
		st.Commit()
		return
	}
	st.Say(texts.WelcomeBackWait, nil)
	if c.Room.Joined {
		st.Send(d.Note(c, texts.BackQueued, texts.A{"queue": c.Route.Queue}))
	}
	d.Transition(c, st, core.Queued, core.Why{Actor: "desk", Action: "queued", Detail: "queue " + c.Route.Queue + ", reopened"})
	st.Commit()
}
