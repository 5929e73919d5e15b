package agents_test

import (
	"fmt"
	"testing"

	"switchboard/component/desk/agents"
	"switchboard/component/wire"
	"switchboard/presence"
	"switchboard/routing"
	"switchboard/store"
)

func TestRosterLayers(t *testing.T) {
	file := []routing.Agent{{JID: "alice@x", Name: "Alice"}, {JID: "bob@x"}, {JID: "carol@x"}}
	r := agents.New(file)
	removed, set := r.ApplyStored([]*store.Agent{
		{JID: "bob@x", Removed: true},
		{JID: "dave@x", Profile: &store.AgentProfile{Name: "Dave", MaxChats: 2}, Approved: true},
	})
	if fmt.Sprint(removed) != "[bob@x]" || len(set) != 1 || set[0].JID != "dave@x" {
		t.Fatalf("applied: removed %v, set %v", removed, set)
	}
	if fmt.Sprint(r.JIDs()) != "[alice@x carol@x dave@x]" || !r.Approved("dave@x") || !r.Runtime("dave@x") || r.Name("carol@x") != "carol" {
		t.Fatalf("roster %v", r.JIDs())
	}
	// A reload of a file without carol but with bob and erin: bob stays
	// removed, dave (runtime) stays, erin is new.
	gone, added, now := r.Reload([]routing.Agent{{JID: "alice@x"}, {JID: "bob@x"}, {JID: "erin@x"}})
	if fmt.Sprint(gone) != "[carol@x]" || fmt.Sprint(added) != "[erin@x]" || len(now) != 3 {
		t.Fatalf("reload: gone %v added %v now %v", gone, added, now)
	}
	if r.Set(routing.Agent{JID: "bob@x"}) != true || !r.Is("bob@x") {
		t.Fatal("bob set at runtime is not back")
	}
	r.Remove("erin@x")
	if r.Is("erin@x") || r.Approve("erin@x", true) {
		t.Fatal("erin removed is still there")
	}
}

func TestHandle(t *testing.T) {
	tr := presence.New()
	desk := "desk@help.x"
	for _, tc := range []struct {
		typ, show string
		agent     bool
		want      string
	}{
		{"subscribe", "", false, "out=2"},
		{"subscribed", "", true, "answer=true approved=true"},
		{"unsubscribed", "", true, "answer=true approved=false"},
		{"", "", true, "changed discover"},
		{"", "dnd", true, "changed discover"}, // its features are still unknown
		{"", "", false, ""},
		{"unavailable", "", true, "changed"},
	} {
		s := &wire.Stanza{From: "alice@x/phone", To: desk, Type: tc.typ, Show: tc.show}
		seen := agents.Handle(desk, s, tc.agent, tr)
		got := ""
		switch {
		case len(seen.Out) > 0:
			got = fmt.Sprintf("out=%d", len(seen.Out))
		case seen.Answer:
			got = fmt.Sprintf("answer=true approved=%v", seen.Approved)
		case seen.Changed && seen.Discover:
			got = "changed discover"
		case seen.Changed:
			got = "changed"
		}
		if got != tc.want {
			t.Errorf("%q show %q agent %v: %q, want %q", tc.typ, tc.show, tc.agent, got, tc.want)
		}
	}
}

func FuzzSkills(f *testing.F) {
	for _, s := range []string{"billing=7, sales=4", "", "x", "=3", "a=b", "a=1,,b=2", "a=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		skills, err := agents.ParseSkills(s)
		if err == nil && skills == nil {
			t.Fatal("no error and no skills")
		}
	})
}
