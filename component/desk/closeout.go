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

// closeOut closes a conversation an agent had: the customer gets the
// closing message and, when configured, the rating question. Within the
// reopen window the customer may come back to the same conversation and
// room, so both stay until it ends.
func (d *Desk) closeOut(c *conv, actor, resolution string) {
	st := d.step(c)
	hold := d.cfg.Desk.ReopenWindow
	rate := d.cfg.Desk.Rating && c.rec.Agent != ""
	if rate && hold < ratingWait {
		hold = ratingWait
	}
	if c.rec.Agent != "" && hold > 0 {
		c.rec.ReopenUntil = st.now.Add(hold)
	}
	d.transition(c, st, closed, why{actor: actor, detail: resolution, tell: goodbyeText})
	if rate {
		c.rec.RatingPending = true
		st.tell(ratingQuestion)
	}
	st.commit()
}

// windowEnded lets go of a closed conversation once nobody can reopen it.
func (d *Desk) windowEnded(id uint64) {
	c := d.convs[id]
	if c == nil || c.rec.Open() || c.rec.ReopenUntil.IsZero() {
		return
	}
	if now := d.now(); now.Before(c.rec.ReopenUntil) {
		d.after(c.rec.ReopenUntil.Sub(now), timerWindow, id, "")
		return
	}
	if !d.connected {
		d.after(5*time.Second, timerWindow, id, "") // the room goes once the server is back
		return
	}
	d.letGo(c)
}

// letGo ends a closed conversation's hold: nobody can reopen or rate it
// any more, and the desk forgets it.
func (d *Desk) letGo(c *conv) {
	c.rec.ReopenUntil = time.Time{}
	c.rec.RatingPending = false
	st := d.step(c)
	st.send(d.forget(c, "conversation closed")...)
	st.commit()
}

// closedMessage handles a customer writing to a closed conversation still
// held open: digits answer a pending rating question; anything else
// within the reopen window reopens the conversation.
func (d *Desk) closedMessage(c *conv, s *wire.Stanza, l line) {
	if c.rec.RatingPending && l.url == "" && isDigits(l.body) {
		d.rate(c, l)
		return
	}
	if d.now().After(c.rec.Closed.Add(d.cfg.Desk.ReopenWindow)) {
		// Past the reopen window (held only for the rating): a new
		// conversation.
		d.letGo(c)
		d.openConversation(c.rec.Entry, s, l)
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
func (d *Desk) rate(c *conv, l line) {
	n, _ := strconv.Atoi(strings.TrimSpace(l.body))
	st := d.step(c)
	st.received(l)
	if n < 1 || n > 5 {
		st.same = true
		st.tell(ratingReask)
		st.commit()
		return
	}
	c.rec.Rating = n
	c.rec.RatingPending = false
	d.metrics.ratings.WithLabelValues(strconv.Itoa(n)).Inc()
	st.event(c.rec.Customer, "rating", strconv.Itoa(n))
	st.tell("Thank you for your rating!")
	if c.room.Joined {
		st.send(d.notice(c, fmt.Sprintf("The customer rated this conversation %d/5.", n)))
	}
	st.commit()
}

// reopen continues a closed conversation: same record and room, and the
// same agent when they can take it.
func (d *Desk) reopen(c *conv, l line) {
	prev := c.rec.Agent
	c.rec.ReopenUntil = time.Time{}
	c.rec.RatingPending = false
	c.rec.Closed = time.Time{}
	c.rec.Resolution = ""
	st := d.step(c)
	st.received(l)
	if l.url != "" {
		c.need(wire.NSOOB)
	}
	st.event(c.rec.Customer, "reopened", "")
	if c.room.Has(prev) && d.router.CanTake(prev) {
		// Still in the room and free: straight back to them.
		name := d.agentName(prev)
		d.transition(c, st, open, why{actor: "desk", action: "assigned", detail: "reopened; " + prev + " is still in the room"})
		st.tell(fmt.Sprintf("Welcome back! You are chatting with %s again.", name))
		st.send(d.notice(c, fmt.Sprintf("The customer is back: the conversation is open again, with %s.", name)))
		st.send(d.groupchat(c, quoteCustomer(l.body), l.url))
		st.commit()
		return
	}
	st.tell("Welcome back! We have reopened your conversation; an agent will be with you shortly.")
	if c.room.Joined {
		st.send(d.notice(c, "The customer is back: the conversation waits in queue "+c.route.Queue+" again."))
	}
	d.transition(c, st, queued, why{actor: "desk", action: "queued", detail: "queue " + c.route.Queue + ", reopened"})
	st.commit()
}
