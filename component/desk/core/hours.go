package core

import (
	"time"

	"switchboard/component/texts"
	"switchboard/routing/hours"
)

// CheckHours follows the queues' business hours; it runs on start, on
// reload and every tick.
func (d *Desk) CheckHours(now time.Time) {
	for _, q := range d.Cfg.Queues {
		closed := !d.Cfg.QueueHours(q.Name).Open(now)
		if closed == d.Router.Closed(q.Name) {
			continue
		}
		d.Router.SetClosed(q.Name, closed, now)
		if closed {
			d.Log.Info("queue closed: out of its business hours", "queue", q.Name, "hours", q.Hours)
			continue
		}
		d.Log.Info("queue opened", "queue", q.Name, "hours", q.Hours)
		d.RouteSoon = true
	}
}

// Opens says in l when s opens next: "tomorrow at 09:00
// (Europe/Berlin)"; "later" when it does not within a year.
func Opens(s *hours.Schedule, now time.Time, l *texts.Lang) string {
	if at, ok := s.Next(now); ok {
		return l.When(at, now, s.Zone)
	}
	return l.Get(texts.OpensLater, nil)
}

// QueueClosed returns, for a queue out of its business hours, when it
// opens, in l; "" while it is open.
func (d *Desk) QueueClosed(queue string, now time.Time, l *texts.Lang) string {
	s := d.Cfg.QueueHours(queue)
	if s.Open(now) {
		return ""
	}
	return Opens(s, now, l)
}

// EntryClosed returns, for an entry point out of its business hours, when
// it opens, in l; "" while it is open.
func (d *Desk) EntryClosed(entry string, now time.Time, l *texts.Lang) string {
	s := d.Cfg.EntryHours(entry)
	if s.Open(now) {
		return ""
	}
	return Opens(s, now, l)
}
