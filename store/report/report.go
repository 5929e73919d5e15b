package report

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"switchboard/store"
)

// By is what a report groups by.
type By string

const (
	ByQueue By = "queue"
	ByAgent By = "agent"
	ByDay   By = "day"
)

// MaxSpan bounds a report's span.
const MaxSpan = 366 * 24 * time.Hour

// Row is one group of a report.
type Row struct {
	Key string `json:"key"`
	// Ended counts the conversations that ended; Offered those that
	// reached a queue; Answered those an agent took.
	Ended    int `json:"ended"`
	Offered  int `json:"offered"`
	Answered int `json:"answered"`
	// AbandonedDialog and AbandonedQueue count customers who left in the
	// dialog, and while waiting for an agent.
	AbandonedDialog int `json:"abandoned_dialog"`
	AbandonedQueue  int `json:"abandoned_queue"`
	Callbacks       int `json:"callbacks"`
	Messages        int `json:"messages"`
	Transfers       int `json:"transfers"`
	// Wait is from queued to an agent taking it; FirstReply from queued
	// to the first answer; Handle from taken to ended. Seconds.
	Wait       Quantiles `json:"wait_seconds"`
	FirstReply Quantiles `json:"first_reply_seconds"`
	Handle     Quantiles `json:"handle_seconds"`
	Rated      int       `json:"rated"`
	// RatingAverage is over the rated ones; Ratings counts 1 to 5.
	RatingAverage float64 `json:"rating_average"`
	Ratings       [5]int  `json:"ratings"`
}

// Quantiles are the median and 90th percentile of a duration, in
// seconds, over N samples (0 when there are none).
type Quantiles struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
}

// Report is a report's rows, and their total.
type Report struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	By    By        `json:"by"`
	Rows  []Row     `json:"rows"`
	Total Row       `json:"total"`
}

// Check says what is wrong with a report's span and grouping.
func Check(from, to time.Time, by By) error {
	switch {
	case by != ByQueue && by != ByAgent && by != ByDay:
		return fmt.Errorf("by: want queue, agent or day, got %q", by)
	case !from.Before(to):
		return errors.New("from must be before to")
	case to.Sub(from) > MaxSpan:
		return fmt.Errorf("a report spans at most 366 days; this one spans %d", int(to.Sub(from).Hours()/24))
	}
	return nil
}

type samples struct{ wait, first, handle []float64 }

// Of sums up the conversations that ended in [from, to), grouped by by;
// days are in loc.
func Of(tx *store.Tx, from, to time.Time, by By, loc *time.Location) (*Report, error) {
	if err := Check(from, to, by); err != nil {
		return nil, err
	}
	rows := map[string]*Row{}
	smp := map[string]*samples{}
	total, tsmp := &Row{Key: "total"}, &samples{}
	err := tx.EachEnded(from, to, func(c *store.Ended) error {
		var key string
		switch by {
		case ByQueue:
			key = c.Queue
		case ByAgent:
			key = c.Agent
		case ByDay:
			key = c.Closed.In(loc).Format("2006-01-02")
		}
		if key == "" {
			key = "(none)"
		}
		r := rows[key]
		if r == nil {
			r = &Row{Key: key}
			rows[key], smp[key] = r, &samples{}
		}
		r.add(c, smp[key])
		total.add(c, tsmp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &Report{From: from, To: to, By: by, Total: *total}
	out.Total.finish(tsmp)
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r := rows[k]
		r.finish(smp[k])
		out.Rows = append(out.Rows, *r)
	}
	if out.Rows == nil {
		out.Rows = []Row{}
	}
	return out, nil
}

func (r *Row) add(c *store.Ended, s *samples) {
	r.Ended++
	queued := !c.Queued.IsZero()
	if queued {
		r.Offered++
	}
	if c.Agent != "" {
		r.Answered++
	}
	if c.Status == store.StatusAbandoned {
		if !queued {
			r.AbandonedDialog++
		} else if c.Agent == "" {
			r.AbandonedQueue++
		}
	}
	switch c.Kind {
	case store.KindCallback:
		r.Callbacks++
	case store.KindMessage:
		r.Messages++
	}
	r.Transfers += c.Transfers
	if queued && !c.Assigned.IsZero() {
		s.wait = append(s.wait, c.Assigned.Sub(c.Queued).Seconds())
	}
	if queued && !c.FirstReply.IsZero() {
		s.first = append(s.first, c.FirstReply.Sub(c.Queued).Seconds())
	}
	if !c.Assigned.IsZero() {
		s.handle = append(s.handle, c.Closed.Sub(c.Assigned).Seconds())
	}
	if c.Rating >= 1 && c.Rating <= 5 {
		r.Rated++
		r.Ratings[c.Rating-1]++
		r.RatingAverage += float64(c.Rating)
	}
}

func (r *Row) finish(s *samples) {
	if r.Rated > 0 {
		r.RatingAverage = float64(int(r.RatingAverage/float64(r.Rated)*100+0.5)) / 100
	}
	r.Wait, r.FirstReply, r.Handle = quantiles(s.wait), quantiles(s.first), quantiles(s.handle)
}

func quantiles(v []float64) Quantiles {
	if len(v) == 0 {
		return Quantiles{}
	}
	slices.Sort(v)
	at := func(p float64) float64 { return v[int(p*float64(len(v)-1)+0.5)] }
	return Quantiles{N: len(v), P50: at(0.5), P90: at(0.9)}
}
