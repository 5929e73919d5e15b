package desk

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchboard/component/wire"
)

const (
	goodbyeText    = "This conversation has been closed. Thank you for contacting us! Write again any time."
	ratingQuestion = "How would you rate our help? Please reply with a number from 1 (poor) to 5 (excellent)."
	ratingReask    = "Please rate with a number from 1 (poor) to 5 (excellent)."
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
	d.Transition(c, st, Closed, Why{Actor: actor, Detail: resolution, Tell: goodbyeText})
	if rate {
		c.Rec.RatingPending = true
		st.Tell(ratingQuestion)
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

// closedMessage handles a customer writing to a closed conversation still
// held open: digits answer a pending rating question; anything else
// within the reopen window reopens the conversation.
func (d *Desk) closedMessage(c *Conv, s *wire.Stanza, l Line) {
	if c.Rec.RatingPending && l.URL == "" && isDigits(l.Body) {
		d.rate(c, l)
		return
	}
	if d.Now().After(c.Rec.Closed.Add(d.Cfg.Desk.ReopenWindow)) {
		// Past the reopen window (held only for the rating): a new
		// conversation.
		d.LetGo(c)
		d.openConversation(c.Rec.Entry, s, l)
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
func (d *Desk) rate(c *Conv, l Line) {
	n, _ := strconv.Atoi(strings.TrimSpace(l.Body))
	st := d.Step(c)
	st.Received(l)
	if n < 1 || n > 5 {
		st.Same = true
		st.Tell(ratingReask)
		st.Commit()
		return
	}
	c.Rec.Rating = n
	c.Rec.RatingPending = false
	d.Metrics.Ratings.WithLabelValues(strconv.Itoa(n)).Inc()
	st.Event(c.Rec.Customer, "rating", strconv.Itoa(n))
	st.Tell("Thank you for your rating!")
	if c.Room.Joined {
		st.Send(d.Notice(c, fmt.Sprintf("The customer rated this conversation %d/5.", n)))
	}
	st.Commit()
}

// reopen continues a closed conversation: same record and room, and the
// same agent when they can take it.
func (d *Desk) reopen(c *Conv, l Line) {
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
		d.Transition(c, st, Open, Why{Actor: "desk", Action: "assigned", Detail: "reopened; " + prev + " is still in the room"})
		st.Tell(fmt.Sprintf("Welcome back! You are chatting with %s again.", name))
		st.Send(d.Notice(c, fmt.Sprintf("The customer is back: the conversation is open again, with %s.", name)))
		st.Send(d.Groupchat(c, quoteCustomer(l.Body), l.URL))
		st.Commit()
		return
	}
	st.Tell("Welcome back! We have reopened your conversation; an agent will be with you shortly.")
	if c.Room.Joined {
		st.Send(d.Notice(c, "The customer is back: the conversation waits in queue "+c.Route.Queue+" again."))
	}
	d.Transition(c, st, Queued, Why{Actor: "desk", Action: "queued", Detail: "queue " + c.Route.Queue + ", reopened"})
	st.Commit()
}
