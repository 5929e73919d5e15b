package presence_test

import (
	"testing"
	"time"

	"switchboard/presence"
)

type step func(t *presence.Tracker)

func avail(res string, show presence.Show, prio int) step {
	return func(t *presence.Tracker) { t.Available("a@x", res, show, prio, "") }
}
func gone(res string) step { return func(t *presence.Tracker) { t.Unavailable("a@x", res) } }
func pause() step          { return func(t *presence.Tracker) { t.Pause("a@x", "lunch", time.Unix(0, 0)) } }
func ready() step          { return func(t *presence.Tracker) { t.Ready("a@x") } }
func feats(res string, f ...string) step {
	return func(t *presence.Tracker) { t.SetFeatures("a@x", res, f) }
}
func reset() step { return func(t *presence.Tracker) { t.Reset() } }

func TestState(t *testing.T) {
	tests := []struct {
		name     string
		steps    []step
		want     presence.State
		needs    []string
		supports bool
		best     string
	}{
		{name: "unknown is offline", want: presence.StateOffline},
		{name: "plain available", steps: []step{avail("pc", "", 0)}, want: presence.StateAvailable, supports: true, best: "pc"},
		{name: "chat is available", steps: []step{avail("pc", "chat", 0)}, want: presence.StateAvailable, supports: true, best: "pc"},
		{name: "dnd is not routable", steps: []step{avail("pc", "dnd", 0)}, want: presence.StateAway, best: "pc"},
		{name: "away is not routable", steps: []step{avail("pc", "away", 5)}, want: presence.StateAway, best: "pc"},
		{name: "xa is not routable", steps: []step{avail("pc", "xa", 5)}, want: presence.StateAway, best: "pc"},
		{name: "negative priority is not routable", steps: []step{avail("pc", "", -1)}, want: presence.StateAway, best: "pc"},
		{name: "best resource counts", steps: []step{avail("pc", "dnd", 0), avail("phone", "", 0)}, want: presence.StateAvailable, supports: true, best: "phone"},
		{name: "higher priority is best", steps: []step{avail("pc", "", 1), avail("phone", "chat", 5)}, want: presence.StateAvailable, supports: true, best: "phone"},
		{name: "resource leaves", steps: []step{avail("pc", "", 0), avail("phone", "dnd", 0), gone("pc")}, want: presence.StateAway, best: "phone"},
		{name: "all leave", steps: []step{avail("pc", "", 0), gone("")}, want: presence.StateOffline},
		{name: "paused", steps: []step{avail("pc", "", 0), pause()}, want: presence.StatePaused, best: "pc"},
		{name: "pause kept while offline", steps: []step{pause(), avail("pc", "", 0)}, want: presence.StatePaused, best: "pc"},
		{name: "ready again", steps: []step{avail("pc", "", 0), pause(), ready()}, want: presence.StateAvailable, supports: true, best: "pc"},
		{name: "features on routable resource", steps: []step{avail("pc", "", 0), feats("pc", "jabber:x:oob", "urn:a")}, needs: []string{"jabber:x:oob"}, want: presence.StateAvailable, supports: true, best: "pc"},
		{name: "features only on dnd resource", steps: []step{avail("pc", "", 0), avail("tab", "dnd", 0), feats("tab", "jabber:x:oob")}, needs: []string{"jabber:x:oob"}, want: presence.StateAvailable, supports: false, best: "pc"},
		{name: "features not discovered yet", steps: []step{avail("pc", "", 0)}, needs: []string{"jabber:x:oob"}, want: presence.StateAvailable, supports: false, best: "pc"},
		{name: "reset on disconnect", steps: []step{avail("pc", "", 0), reset()}, want: presence.StateOffline},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := presence.New()
			for _, s := range tc.steps {
				s(tr)
			}
			if got := tr.State("a@x"); got != tc.want {
				t.Errorf("state = %q, want %q", got, tc.want)
			}
			if got := tr.Routable("a@x"); got != (tc.want == presence.StateAvailable) {
				t.Errorf("routable = %v", got)
			}
			if got := tr.Supports("a@x", tc.needs); got != tc.supports {
				t.Errorf("supports(%v) = %v, want %v", tc.needs, got, tc.supports)
			}
			if got := tr.Best("a@x"); got != tc.best {
				t.Errorf("best = %q, want %q", got, tc.best)
			}
		})
	}
}

func TestConfigurableShows(t *testing.T) {
	tr := presence.New(presence.ShowDND)
	tr.Available("a@x", "pc", presence.ShowAway, 0, "")
	if !tr.Routable("a@x") {
		t.Fatal("away should be routable when only dnd is excluded")
	}
}

func TestChangedAndCaps(t *testing.T) {
	tr := presence.New()
	changed, newCaps := tr.Available("a@x", "pc", "", 0, "abc")
	if !changed || !newCaps {
		t.Fatalf("first presence: changed=%v newCaps=%v", changed, newCaps)
	}
	tr.SetFeatures("a@x", "pc", []string{"f"})
	changed, newCaps = tr.Available("a@x", "pc", "chat", 0, "abc")
	if changed || newCaps {
		t.Fatalf("same caps: changed=%v newCaps=%v", changed, newCaps)
	}
	if _, newCaps = tr.Available("a@x", "pc", "chat", 0, "def"); !newCaps {
		t.Fatal("new caps not reported")
	}
}

func BenchmarkUpdate(b *testing.B) {
	tr := presence.New()
	shows := []presence.Show{"", "away", "dnd", "chat"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tr.Available("agent@example.com", "pc", shows[i%4], 0, "ver")
		_ = tr.Routable("agent@example.com")
		i++
	}
}
