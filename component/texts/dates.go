package texts

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Dates, times and durations, in words of each language.
var (
	TimeOfDay   = def("dates", "time_of_day", "{hour}:{minute}")
	WhenToday   = def("dates", "when_today", "today at {time}")
	WhenTomorr  = def("dates", "when_tomorrow", "tomorrow at {time}")
	WhenWeekday = def("dates", "when_weekday", "on {weekday} at {time}")
	WhenDate    = def("dates", "when_date", "on {date} at {time}")
	WhenZone    = def("dates", "when_zone", "{when} ({zone})")
	DateDay     = def("dates", "date", "{day} {month}")
	DateTime    = def("dates", "date_time", "{weekday_short} {day} {month} {time} {zone}")
	Seconds     = defPlural("dates", "seconds", "a second", "{n} seconds")
	Minutes     = defPlural("dates", "minutes", "a minute", "{n} minutes")
	Hours       = defPlural("dates", "hours", "an hour", "{n} hours")
	months      = [12]Key{}
	weekdays    = [7]Key{}
	weekdaysAbb = [7]Key{}
)

func init() {
	for i, m := range []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"} {
		months[i] = def("dates", Key("month_"+strconv.Itoa(i+1)), m)
	}
	for i := range 7 {
		d := time.Weekday(i)
		weekdays[i] = def("dates", Key("weekday_"+strconv.Itoa(i)), d.String())
	}
	for i := range 7 {
		weekdaysAbb[i] = def("dates", Key("weekday_short_"+strconv.Itoa(i)), time.Weekday(i).String()[:3])
	}
}

// Clock is a time of day, t as it is.
func (l *Lang) Clock(t time.Time) string {
	h := t.Hour()
	h12, ampm := h%12, "am"
	if h12 == 0 {
		h12 = 12
	}
	if h >= 12 {
		ampm = "pm"
	}
	return l.Get(TimeOfDay, A{"hour": fmt.Sprintf("%02d", h), "minute": fmt.Sprintf("%02d", t.Minute()), "hour12": h12, "ampm": ampm})
}

// When renders a moment for a customer in zone, relative to now: "today
// at 17:00", "tomorrow at 09:00", "on Monday at 09:00", "on 2 Jan at
// 09:00", with the zone's name.
func (l *Lang) When(at, now time.Time, zone *time.Location) string {
	at, now = at.In(zone), now.In(zone)
	y1, m1, d1 := now.Date()
	y2, m2, d2 := at.Date()
	days := int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	a := A{"time": l.Clock(at)}
	var when string
	switch {
	case days == 0:
		when = l.Get(WhenToday, a)
	case days == 1:
		when = l.Get(WhenTomorr, a)
	case days < 7:
		a["weekday"] = l.Get(weekdays[at.Weekday()], nil)
		when = l.Get(WhenWeekday, a)
	default:
		a["date"] = l.Date(at)
		when = l.Get(WhenDate, a)
	}
	return l.Get(WhenZone, A{"when": when, "zone": ZoneName(zone, at)})
}

// Date is a day of the year, "2 Jan".
func (l *Lang) Date(t time.Time) string {
	return l.Get(DateDay, A{"day": t.Day(), "month": l.Get(months[t.Month()-1], nil)})
}

// Stamp is a moment in zone for agents, "Tue 1 Dec 09:30 UTC".
func (l *Lang) Stamp(t time.Time, zone *time.Location) string {
	t = t.In(zone)
	return l.Get(DateTime, A{"weekday_short": l.Get(weekdaysAbb[t.Weekday()], nil), "day": t.Day(), "month": l.Get(months[t.Month()-1], nil),
		"time": l.Clock(t), "zone": t.Format("MST")})
}

// Duration is how long d is in words, in minutes rounded with round (at
// least a minute), or in whole hours from two hours on: "a minute", "14
// minutes", "3 hours".
func (l *Lang) Duration(d time.Duration, round func(float64) float64) string {
	n := max(int(round(d.Minutes())), 1)
	if n >= 120 && n%60 == 0 {
		return l.Get(Hours, A{"n": n / 60})
	}
	return l.Get(Minutes, A{"n": n})
}

// Span is how long d is in words, for a configured duration: seconds
// under a minute, else as Duration rounds it.
func (l *Lang) Span(d time.Duration) string {
	if d < time.Minute {
		return l.Get(Seconds, A{"n": max(int(d.Seconds()), 1)})
	}
	return l.Duration(d, Round)
}

// Round and Ceil round a duration's minutes for Duration.
var (
	Round = math.Round
	Ceil  = math.Ceil
)

// ZoneName names a zone for a customer: its IANA name, or for the
// machine's own zone ("Local") its abbreviation at t.
func ZoneName(loc *time.Location, t time.Time) string {
	if name := loc.String(); name != "Local" {
		return name
	}
	return t.In(loc).Format("MST")
}
