// Package callback reads what a customer writes when they ask to be
// called back: a phone number in international (E.164) form and a time
// ("now", "14:30", "tomorrow 10:00"). Errors are sentences for the
// customer. It is pure Go: the clock and the zone come in as arguments.
package callback

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Refusal is why an answer was not taken, in a sentence for the customer.
type Refusal string

func (r Refusal) Error() string { return string(r) }

// ErrPhone is the answer to something that is not a phone number.
var ErrPhone error = Refusal(`That does not look like a phone number in international format: start with + and your country code, like +49 30 1234567 (or write "cancel").`)

// Phone returns s as an E.164 number ("+49301234567"): a + (or 00) and
// the country code, then 8 to 15 digits in all; spaces, dots, dashes,
// slashes and brackets are allowed between them.
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
	return b.String(), nil
}

// Now is the zero time Time returns for "now".
var Now time.Time

// Time reads when the customer wants the call, at now in loc: "now" (or
// "asap"), "HH:MM" today, or "tomorrow HH:MM". A time that has passed
// gets an answer saying so.
func Time(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	switch s {
	case "now", "asap", "as soon as possible":
		return Now, nil
	}
	day := 0
	if rest, ok := strings.CutPrefix(s, "tomorrow"); ok {
		day, s = 1, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "at"))
	} else if rest, ok := strings.CutPrefix(s, "today"); ok {
		s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "at"))
	}
	h, m, ok := clock(s)
	if !ok {
		return time.Time{}, Refusal(`Please write "now", a time today like "14:30", or "tomorrow 10:00".`)
	}
	local := now.In(loc)
	at := time.Date(local.Year(), local.Month(), local.Day()+day, h, m, 0, 0, loc)
	if !at.After(now) {
		return time.Time{}, Refusal(fmt.Sprintf(`%02d:%02d has passed today; write a later time, or "tomorrow %02d:%02d".`, h, m, h, m))
	}
	return at, nil
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
