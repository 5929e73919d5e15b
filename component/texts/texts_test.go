package texts_test

import (
	"strings"
	"testing"
	"time"

	"switchboard/component/texts"
)

func TestMatch(t *testing.T) {
	c := texts.New(map[string]map[texts.Key]texts.Value{"de": {texts.Minutes: {One: "eine Minute", Other: "{n} Minuten"}}, "pt-BR": {}})
	for _, tc := range []struct {
		tag, want string
		ok        bool
	}{
		{"de", "de", true}, {"de-AT", "de", true}, {"DE-at", "de", true}, {"en-GB", "en", true}, {"pt-BR", "pt-BR", true},
		{"ja", "en", false}, {"", "en", false}, {"not a tag!", "en", false}, {"x-klingon", "en", false},
	} {
		l, ok := c.Match(tc.tag)
		if l.Name() != tc.want || ok != tc.ok {
			t.Errorf("Match(%q) = %s, %v; want %s, %v", tc.tag, l.Name(), ok, tc.want, tc.ok)
		}
	}
	if l := c.For("ja", "de-CH"); l.Name() != "de" {
		t.Errorf("For(ja, de-CH) = %s", l.Name())
	}
	if l := c.For("ja", "fr"); l.Name() != "en" {
		t.Errorf("For(ja, fr) = %s", l.Name())
	}
}

func TestPluralsAndDates(t *testing.T) {
	c := texts.New(map[string]map[texts.Key]texts.Value{"de": {
		texts.Minutes: {One: "eine Minute", Other: "{n} Minuten"}, texts.WhenTomorr: {Other: "morgen um {time}"},
		texts.WhenZone: {Other: "{when} ({zone})"}, texts.TimeOfDay: {Other: "{hour}.{minute} Uhr"},
	}})
	de, _ := c.Match("de")
	if got := de.Duration(90*time.Second, texts.Round); got != "2 Minuten" {
		t.Errorf("de 90s = %q", got)
	}
	if got := de.Duration(20*time.Second, texts.Round); got != "eine Minute" {
		t.Errorf("de 20s = %q", got)
	}
	if got := texts.English.Duration(4*time.Hour, texts.Round); got != "4 hours" {
		t.Errorf("en 4h = %q", got)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 12, 1, 20, 0, 0, 0, berlin)
	if got := de.When(now.Add(13*time.Hour), now, berlin); got != "morgen um 09.00 Uhr (Europe/Berlin)" {
		t.Errorf("de tomorrow = %q", got)
	}
	if got := texts.English.When(now.Add(5*24*time.Hour), now, berlin); got != "on Sunday at 20:00 (Europe/Berlin)" {
		t.Errorf("en weekday = %q", got)
	}
	if got := texts.English.When(now.Add(9*24*time.Hour), now, berlin); got != "on 10 Dec at 20:00 (Europe/Berlin)" {
		t.Errorf("en date = %q", got)
	}
	if got := texts.English.Stamp(time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC), time.UTC); got != "Tue 1 Dec 09:30 UTC" {
		t.Errorf("stamp = %q", got)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		key  texts.Key
		v    texts.Value
		want string
	}{
		{texts.Minutes, texts.Value{One: "eine Minute", Other: "{n} Minuten"}, ""},
		{"no_such_text", texts.Value{Other: "x"}, `there is no text "no_such_text"`},
		{texts.WhenToday, texts.Value{Other: " "}, "is empty"},
		{texts.WhenToday, texts.Value{Other: "heute um {zeit}"}, "{zeit}: this text's placeholders are {time}"},
		{texts.WhenToday, texts.Value{One: "a", Other: "b"}, "counts nothing"},
		{texts.Minutes, texts.Value{One: "eine Minute"}, "needs at least its \"other\" form"},
		{texts.WhenToday, texts.Value{Other: "heute {time"}, `a "{" without its "}"`},
	} {
		err := texts.Check(tc.key, tc.v)
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%s, %+v) = %v, want %q", tc.key, tc.v, err, tc.want)
		}
	}
	for tag, ok := range map[string]bool{"de": true, "pt-BR": true, "de-AT": true, "german": false, "": false, "de_DE": false} {
		if err := texts.CheckLanguage(tag); (err == nil) != ok {
			t.Errorf("CheckLanguage(%q) = %v", tag, err)
		}
	}
}

func TestEveryTextRenders(t *testing.T) {
	for _, info := range texts.All() {
		args := texts.A{}
		for _, p := range info.Placeholders {
			args[p] = "x"
		}
		if p := info.Placeholders; len(p) > 0 && p[0] == "n" {
			args["n"] = 2
		}
		if got := texts.English.Get(info.Key, args); strings.ContainsAny(got, "{}") && !strings.Contains(info.English.Other, "{{") {
			t.Errorf("%s renders %q", info.Key, got)
		}
	}
}

func TestWhenEnglish(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := func(s string) time.Time { v, _ := time.ParseInLocation("2006-01-02 15:04", s, berlin); return v }
	now := at("2026-12-01 18:00") // a Tuesday
	for s, want := range map[string]string{
		"2026-12-01 19:00": "today at 19:00 (Europe/Berlin)",
		"2026-12-02 09:00": "tomorrow at 09:00 (Europe/Berlin)",
		"2026-12-05 22:00": "on Saturday at 22:00 (Europe/Berlin)",
		"2026-12-28 09:00": "on 28 Dec at 09:00 (Europe/Berlin)",
	} {
		if got := texts.English.When(at(s), now, berlin); got != want {
			t.Errorf("When(%s) = %q, want %q", s, got, want)
		}
	}
}

func TestAllListsEveryText(t *testing.T) {
	seen := map[texts.Key]bool{}
	for _, info := range texts.All() {
		if seen[info.Key] {
			t.Errorf("%s listed twice", info.Key)
		}
		seen[info.Key] = true
	}
	for _, k := range []texts.Key{texts.Queued, texts.Handling, texts.AgentReady, texts.Minutes} {
		if !seen[k] {
			t.Errorf("%s not listed", k)
		}
	}
}
