package callback

import (
	"strings"
	"testing"
	"time"
)

func TestPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+49 30 1234567":           "+49301234567",
		"0049 (30) 123-45-67":      "+49301234567",
		"+1 415.555.2671":          "+14155552671",
		"+44 20/7946 0958":         "+442079460958",
		"030 1234567":              "",
		"+0 30 1234567":            "",
		"+49 30":                   "",
		"+49 30 1234 5678 9012 34": "",
		"+49 30 12a4567":           "",
		"":                         "",
		"call me":                  "",
	} {
		got, err := Phone(in)
		if want == "" {
			if err != ErrPhone {
				t.Errorf("Phone(%q) = %q, %v; want refused", in, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("Phone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestTime(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 12, 1, 13, 0, 0, 0, loc)
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: "now", want: ""},
		{in: " ASAP ", want: ""},
		{in: "14:30", want: "2026-12-01 14:30"},
		{in: "14.30", want: "2026-12-01 14:30"},
		{in: "9:05", err: "09:05 has passed today"},
		{in: "morgen um 10:00", want: "2026-12-02 10:00"},
		{in: "jetzt", want: ""},
		{in: "heute 18:00", want: "2026-12-01 18:00"},
		{in: "tomorrowland", err: `not "now"`},
		{in: "today at 18", want: "2026-12-01 18:00"},
		{in: "tomorrow 10:00", want: "2026-12-02 10:00"},
		{in: "Tomorrow at 9:15", want: "2026-12-02 09:15"},
		{in: "25:00", err: `not "now"`},
		{in: "later", err: `not "now"`},
		{in: "tomorrow", err: `not "now"`},
		{in: "1:+5", err: `not "now"`},
	} {
		got, err := Time(tc.in, now, loc, Words{Now: "jetzt", Today: "heute", Tomorrow: "morgen", At: "um"})
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Time(%q) = %v, %v; want %q", tc.in, got, err, tc.err)
			}
		case err != nil:
			t.Errorf("Time(%q): %v", tc.in, err)
		case tc.want == "" && !got.IsZero(), tc.want != "" && got.Format("2006-01-02 15:04") != tc.want:
			t.Errorf("Time(%q) = %v, want %s", tc.in, got, tc.want)
		}
	}
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"+49 30 1234567", "0049 (30) 123", "+", "00", "+4930１２３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Phone(s)
		if err != nil {
			return
		}
		if p[0] != '+' || len(p) < 9 || len(p) > 16 || strings.Trim(p[1:], "0123456789") != "" {
			t.Fatalf("Phone(%q) = %q", s, p)
		}
	})
}

func FuzzTime(f *testing.F) {
	for _, s := range []string{"now", "14:30", "tomorrow 10:00", "today at 9", "99:99", "tomorrow at"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		at, err := Time(s, now, time.UTC, Words{Now: "jetzt", Tomorrow: "morgen", At: "um"})
		if err == nil && !at.IsZero() && (!at.After(now) || at.Sub(now) > 48*time.Hour) {
			t.Fatalf("Time(%q) = %v", s, at)
		}
	})
}
