// Package hours is business hours: a week of opening ranges in a time
// zone, with closed days. It answers whether a moment is within them and
// when they next open or close. It is pure Go: time comes in through
// arguments.
package hours

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Days are the weekday keys of a schedule, Monday first, as the config
// writes them.
var Days = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Range is one opening range of a day, in minutes from midnight. An End
// at or before Start runs past midnight into the next day.
type Range struct{ Start, End int }

// Schedule is a week of opening hours in a zone.
type Schedule struct {
	Name   string
	Zone   *time.Location
	week   [7][]Range // by time.Weekday: Sunday = 0
	closed map[string]bool
}

// Parse builds a schedule from the config's strings: zone an IANA name,
// days keyed by Days ("09:00-17:00", several ranges with commas, "" or
// "closed" for none), closed the days ("2026-12-25") it is shut all day.
// Each error names the key it is about.
func Parse(name, zone string, days map[string]string, closed []string) (*Schedule, error) {
	if zone == "" {
		return nil, fmt.Errorf("zone: missing (an IANA zone such as \"Europe/Berlin\")")
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("zone: unknown time zone %q", zone)
	}
	s := &Schedule{Name: name, Zone: loc, closed: map[string]bool{}}
	for i, key := range Days {
		text, ok := days[key]
		if !ok {
			continue
		}
		rs, err := ParseDay(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", key, err)
		}
		s.week[(i+1)%7] = rs
	}
	for _, d := range closed {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return nil, fmt.Errorf("closed: %q is not a day (YYYY-MM-DD)", d)
		}
		s.closed[d] = true
	}
	return s, nil
}

// ParseDay reads one day's ranges: "09:00-17:00" or
// "08:00-12:00,13:00-17:00"; "" or "closed" is none.
func ParseDay(text string) ([]Range, error) {
	text = strings.TrimSpace(text)
	if text == "" || text == "closed" {
		return nil, nil
	}
	var out []Range
	for _, part := range strings.Split(text, ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(part), "-")
		if !ok {
			return nil, fmt.Errorf("%q: want ranges like \"09:00-17:00\"", part)
		}
		a, err := clock(from, false)
		if err != nil {
			return nil, err
		}
		b, err := clock(to, true)
		if err != nil {
			return nil, err
		}
		if a == b {
			return nil, fmt.Errorf("%q is empty", part)
		}
		out = append(out, Range{a, b})
	}
	slices.SortFunc(out, func(x, y Range) int { return x.Start - y.Start })
	for i := 1; i < len(out); i++ {
		if out[i].Start < out[i-1].End || out[i-1].End < out[i-1].Start {
			return nil, fmt.Errorf("%q: ranges overlap (only the day's last may run past midnight)", text)
		}
	}
	return out, nil
}

// clock reads "HH:MM" as minutes; "24:00" only as an end.
func clock(s string, end bool) (int, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && (mm != 0 || !end)) {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	return hh*60 + mm, nil
}

// Open reports whether t is within the schedule. A nil schedule is always
// open.
func (s *Schedule) Open(t time.Time) bool {
	if s == nil {
		return true
	}
	t = t.In(s.Zone)
	mins := t.Hour()*60 + t.Minute()
	if !s.closedOn(t) {
		for _, r := range s.week[t.Weekday()] {
			if r.End > r.Start && mins >= r.Start && mins < r.End || r.End <= r.Start && mins >= r.Start {
				return true
			}
		}
	}
	// The day before's last range may run past midnight.
	y := t.AddDate(0, 0, -1)
	if s.closedOn(y) {
		return false
	}
	if rs := s.week[y.Weekday()]; len(rs) > 0 {
		if r := rs[len(rs)-1]; r.End <= r.Start && mins < r.End {
			return true
		}
	}
	return false
}

func (s *Schedule) closedOn(t time.Time) bool { return s.closed[t.Format(time.DateOnly)] }

// horizon bounds the search for the next change: a schedule open on no
// day of the coming year never opens.
const horizon = 367 * 24 * time.Hour

// Next returns when the schedule next changes from what it is at t (opens
// when closed, closes when open), to the minute, and false when it does
// not within a year.
func (s *Schedule) Next(t time.Time) (time.Time, bool) {
	if s == nil {
		return time.Time{}, false
	}
	open := s.Open(t)
	// Every change falls on a range's edge: walk the edges of each day
	// from the day before t (a range past midnight) onwards, in the zone.
	local := t.In(s.Zone)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, s.Zone).AddDate(0, 0, -1)
	for ; day.Sub(t) < horizon; day = day.AddDate(0, 0, 1) {
		var edges []int
		for _, r := range s.week[day.Weekday()] {
			end := r.End
			if end <= r.Start {
				end += 24 * 60
			}
			edges = append(edges, r.Start, end)
		}
		edges = append(edges, 0, 24*60) // closed days begin and end at midnight
		slices.Sort(edges)
		for _, m := range edges {
			at := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, s.Zone)
			if m >= 24*60 {
				at = time.Date(day.Year(), day.Month(), day.Day()+1, (m-24*60)/60, m%60, 0, 0, s.Zone)
			}
			if at.After(t) && s.Open(at) != open {
				return at, true
			}
		}
	}
	return time.Time{}, false
}
