package component

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchboard/component/wire"
	"switchboard/store"
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
	d.end(c, st, store.StatusClosed, actor, resolution, goodbyeText)
	if rate {
		c.rec.RatingPending = true
		st.tell(ratingQuestion)
	}
	st.commit()
}

// holdUntil ends a closed conversation's reopen window at until.
func (d *Desk) holdUntil(id uint64, until time.Time) {
	time.AfterFunc(max(until.Sub(d.now()), 0), func() { d.post(func() { d.windowEnded(id) }) })
}

// windowEnded lets go of a closed conversation once nobody can reopen it.
func (d *Desk) windowEnded(id uint64) {
	c := d.convs[id]
	if c == nil || c.rec.Open() || c.rec.ReopenUntil.IsZero() {
		return
	}
	if now := d.now(); now.Before(c.rec.ReopenUntil) {
		d.holdUntil(id, c.rec.ReopenUntil)
		return
	}
	if !d.connected {
		d.holdUntil(id, d.now().Add(5*time.Second)) // the room goes once the server is back
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
func (d *Desk) closedMessage(c *conv, s *wire.Stanza, body, url string) {
	if c.rec.RatingPending && url == "" && isDigits(body) {
		d.rate(c, body)
		return
	}
	if d.now().After(c.rec.Closed.Add(d.cfg.Desk.ReopenWindow)) {
		// Past the reopen window (held only for the rating): a new
		// conversation.
		d.letGo(c)
		d.openConversation(c.rec.Entry, s, body, url)
		return
	}
	d.reopen(c, body, url)
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
func (d *Desk) rate(c *conv, body string) {
	n, _ := strconv.Atoi(strings.TrimSpace(body))
	st := d.step(c)
	st.message("customer", body, "", false)
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
	if c.room.joined {
		st.send(d.notice(c, fmt.Sprintf("The customer rated this conversation %d/5.", n)))
	}
	st.commit()
}

// reopen continues a closed conversation: same record and room, and the
// same agent when they can take it.
func (d *Desk) reopen(c *conv, body, url string) {
	now := d.now()
	prev := c.rec.Agent
	d.metrics.reopened.Inc()
	c.rec.ReopenUntil = time.Time{}
	c.rec.RatingPending = false
	c.rec.Closed = time.Time{}
	c.rec.Resolution = ""
	st := d.step(c)
	st.message("customer", body, url, false)
	if url != "" {
		c.need(wire.NSOOB)
	}
	st.event(c.rec.Customer, "reopened", "")
	a, known := d.agents[prev]
	if c.inRoom(prev) && known && d.presence.Routable(prev) && d.router.Load(prev) < a.MaxChats {
		// Still in the room and free: straight back to them.
		c.rec.Status = store.StatusOpen
		d.router.Assigned(prev)
		name := d.agentName(prev)
		st.event("desk", "assigned", "reopened; "+prev+" is still in the room")
		st.tell(fmt.Sprintf("Welcome back! You are chatting with %s again.", name))
		st.send(d.notice(c, fmt.Sprintf("The customer is back: the conversation is open again, with %s.", name)))
		st.send(d.groupchat(c, quoteCustomer(body), url))
		st.commit()
		return
	}
	c.rec.Status = store.StatusQueued
	c.rec.Queued = now
	c.rec.Agent = ""
	c.prefer = prev
	st.event("desk", "queued", "queue "+c.rec.Queue+", reopened")
	st.tell("Welcome back! We have reopened your conversation; an agent will be with you shortly.")
	if c.room.joined {
		st.send(d.notice(c, "The customer is back: the conversation waits in queue "+c.rec.Queue+" again."))
	} else if d.connected {
		st.send(d.joinRoom(c))
	}
	st.commit()
	if c.room.ready {
		d.router.Enqueue(d.routingConv(c))
		d.routeSoon = true
	}
}
