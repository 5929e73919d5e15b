// Package callback reads what a customer writes when they ask to be
// called back: a phone number in international (E.164) form and a time
// ("now", "14:30", "tomorrow 10:00", with the words of the customer's
// language too). Errors say what was wrong, for the desk to tell the
// customer in their language. It is pure Go: the clock, the zone and the
// words come in as arguments.
package callback

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// ErrPhone is the answer to something that is not a phone number.
var ErrPhone = errors.New("not a phone number in international format")

// ErrTime is the answer to something that is not a time.
var ErrTime = errors.New(`not "now", a time today or "tomorrow" and a time`)

// PastError is the answer to a time today that has passed.
type PastError struct{ Hour, Minute int }

func (e *PastError) Error() string {
	return fmt.Sprintf("%02d:%02d has passed today", e.Hour, e.Minute)
}

// Words are what a customer may write for now, today, tomorrow and at
// besides the English words, lower-case.
type Words struct{ Now, Today, Tomorrow, At string }

// Phone returns s as an E.164 number ("+49301234567"): a + (or 00) and
// the country code, then 8 to 15 digits in all, a length the country's
// numbers can have; spaces, dots, dashes, slashes and brackets are
// allowed between them.
func Phone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "00"); ok {
		s = "+" + rest
	}
	rest, ok := strings.CutPrefix(s, "+")
	if !ok {
		return "", ErrPhone
	}
	var b strings.Builder
	b.WriteByte('+')
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" .-/()", r):
		default:
			return "", ErrPhone
		}
	}
	n := b.Len() - 1
	if n < 8 || n > 15 || b.String()[1] == '0' {
		return "", ErrPhone
	}
	// A number its country's plan can have, as libphonenumber knows them.
	num, err := phonenumbers.Parse(b.String(), "")
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", ErrPhone
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if len(e164) < 9 {
		return "", ErrPhone
	}
	return e164, nil
}

// Now is the zero time Time returns for "now".
var Now time.Time

// Time reads when the customer wants the call, at now in loc: "now" (or
// "asap"), "HH:MM" today, or "tomorrow HH:MM", in English or in w. A
// time that has passed is a *PastError; anything else not a time,
// ErrTime.
func Time(s string, now time.Time, loc *time.Location, w Words) (time.Time, error) {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	switch s {
	case "now", "asap", "as soon as possible", w.Now:
		if s != "" {
			return Now, nil
		}
	}
	day := 0
	if rest, ok := cutWord(s, "tomorrow", w.Tomorrow, w.At); ok {
		day, s = 1, rest
	} else if rest, ok := cutWord(s, "today", w.Today, w.At); ok {
		s = rest
	}
	h, m, ok := clock(s)
	if !ok {
		return time.Time{}, ErrTime
	}
	local := now.In(loc)
	at := time.Date(local.Year(), local.Month(), local.Day()+day, h, m, 0, 0, loc)
	if !at.After(now) {
		return time.Time{}, &PastError{Hour: h, Minute: m}
	}
	return at, nil
}

// cutWord cuts a leading word (or its other language's form) and an
// "at" (or at) after it from s.
func cutWord(s, english, other, at string) (string, bool) {
	for _, w := range []string{english, other} {
		if w == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(s, w); ok && (rest == "" || rest[0] == ' ') {
			rest = strings.TrimSpace(rest)
			for _, a := range []string{"at", at} {
				if r, ok := strings.CutPrefix(rest, a+" "); ok && a != "" {
					rest = r
				}
			}
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// clock reads "14:30", "14.30", "9:05" or "14".
func clock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	if !found {
		ms = "00"
	}
	if len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || hs[0] == '+' || hs[0] == '-' || ms[0] == '+' || ms[0] == '-' {
		return 0, 0, false
	}
	return h, m, true
}
