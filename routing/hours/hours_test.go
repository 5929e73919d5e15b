package hours

import (
	"strings"
	"testing"
	"time"
)

func office(t *testing.T) *Schedule {
	t.Helper()
	s, err := Parse("office", "Europe/Berlin", map[string]string{
		"mon": "09:00-17:00", "tue": "09:00-17:00", "wed": "09:00-12:00,13:00-17:00", "thu": "09:00-17:00", "fri": "09:00-17:00",
		"sat": "22:00-04:00", // a night past midnight, also across the DST nights
	}, []string{"2026-12-25"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func berlin(s string) time.Time {
	loc, _ := time.LoadLocation("Europe/Berlin")
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOpen(t *testing.T) {
	s := office(t)
	for _, tc := range []struct {
		at   string
		open bool
	}{
		{"2026-12-01 08:59", false}, // Tuesday, winter (UTC+1)
		{"2026-12-01 09:00", true},
		{"2026-12-01 16:59", true},
		{"2026-12-01 17:00", false},
		{"2026-07-01 12:30", false}, // Wednesday's lunch, summer (UTC+2)
		{"2026-07-01 13:00", true},
		{"2026-12-25 10:00", false}, // a closed Friday
		{"2026-12-24 10:00", true},
		{"2026-12-05 21:59", false}, // Saturday night
		{"2026-12-05 22:00", true},
		{"2026-12-06 03:59", true}, // Sunday morning, the night before
		{"2026-12-06 04:00", false},
		{"2026-12-06 12:00", false},
		// The spring-forward night: 02:00 does not exist, 03:30 is still
		// in Saturday's range.
		{"2026-03-29 03:30", true},
		{"2026-03-29 04:00", false},
		// The fall-back night: 02:30 happens twice, both open.
		{"2026-10-25 02:30", true},
	} {
		if got := s.Open(berlin(tc.at)); got != tc.open {
			t.Errorf("Open(%s) = %v, want %v", tc.at, got, tc.open)
		}
	}
	// In UTC, 09:00 Berlin is 08:00 in winter and 07:00 in summer.
	if !s.Open(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)) || s.Open(time.Date(2026, 12, 1, 7, 59, 0, 0, time.UTC)) {
		t.Error("winter offset")
	}
	if !s.Open(time.Date(2026, 7, 2, 7, 0, 0, 0, time.UTC)) || s.Open(time.Date(2026, 7, 2, 6, 59, 0, 0, time.UTC)) {
		t.Error("summer offset")
	}
	var none *Schedule
	if !none.Open(time.Now()) {
		t.Error("no schedule is always open")
	}
}

func TestNext(t *testing.T) {
	s := office(t)
	for _, tc := range []struct {
		from, want string
	}{
		{"2026-12-01 08:00", "2026-12-01 09:00"},
		{"2026-12-01 10:00", "2026-12-01 17:00"},
		{"2026-12-01 17:00", "2026-12-02 09:00"},
		{"2026-12-02 12:00", "2026-12-02 13:00"}, // lunch
		{"2026-12-04 17:30", "2026-12-05 22:00"}, // Friday evening to Saturday night
		{"2026-12-05 23:00", "2026-12-06 04:00"},
		{"2026-12-06 04:00", "2026-12-07 09:00"},
		{"2026-12-24 17:00", "2026-12-26 22:00"}, // over a closed Friday
		// Saturday afternoon before the spring-forward night: the night
		// is five hours long, and Monday opens at 09:00 summer time.
		{"2026-03-28 15:00", "2026-03-28 22:00"},
		{"2026-03-28 22:30", "2026-03-29 04:00"},
		{"2026-03-29 05:00", "2026-03-30 09:00"},
	} {
		got, ok := s.Next(berlin(tc.from))
		if want := berlin(tc.want); !ok || !got.Equal(want) {
			t.Errorf("Next(%s) = %v %v, want %v", tc.from, got, ok, want)
		}
	}
	if at, _ := s.Next(berlin("2026-03-28 22:30")); at.Sub(berlin("2026-03-28 22:00")) != 5*time.Hour {
		t.Errorf("the spring-forward night lasts %v", at.Sub(berlin("2026-03-28 22:00")))
	}
	never, err := Parse("never", "UTC", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := never.Next(time.Now()); ok {
		t.Error("a schedule with no hours opened")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		zone string
		days map[string]string
		shut []string
		want string
	}{
		{"", nil, nil, "zone: missing"},
		{"Mars/Olympus", nil, nil, `zone: unknown time zone "Mars/Olympus"`},
		{"UTC", map[string]string{"mon": "9-17"}, nil, `mon: "9" is not a time of day`},
		{"UTC", map[string]string{"tue": "09:00"}, nil, `tue: "09:00": want ranges like "09:00-17:00"`},
		{"UTC", map[string]string{"wed": "09:00-13:00,12:00-17:00"}, nil, "wed: \"09:00-13:00,12:00-17:00\": ranges overlap"},
		{"UTC", map[string]string{"thu": "24:00-05:00"}, nil, `thu: "24:00" is not a time of day`},
		{"UTC", map[string]string{"fri": "10:00-10:00"}, nil, `fri: "10:00-10:00" is empty`},
		{"UTC", nil, []string{"25.12.2026"}, `closed: "25.12.2026" is not a day`},
	} {
		_, err := Parse("x", tc.zone, tc.days, tc.shut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q, %v, %v) = %v, want %q", tc.zone, tc.days, tc.shut, err, tc.want)
		}
	}
}

func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"09:00-17:00", "08:00-12:00,13:00-17:00", "22:00-02:00", "closed", "", "24:00-01:00", "9-5", "22:00-00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rs, err := ParseDay(s)
		if err != nil {
			return
		}
		for i, r := range rs {
			if r.Start < 0 || r.Start >= 24*60 || r.End < 0 || r.End > 24*60 || (r.End <= r.Start && i != len(rs)-1) {
				t.Fatalf("ParseDay(%q) = %v", s, rs)
			}
		}
	})
}
