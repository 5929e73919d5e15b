package dialog_test

import (
	"regexp"
	"strings"
	"testing"

	"switchboard/routing/dialog"
)

func demo() *dialog.Dialog {
	return &dialog.Dialog{Name: "main", Nodes: map[string]*dialog.Node{
		"start": {Name: "start", Say: "Hello! How can we help?", Options: []dialog.Option{
			{Key: "1", Label: "Billing question", Keywords: []string{"bill", "invoice"}, Then: dialog.Then{Next: "order"}},
			{Key: "2", Label: "Technical problem", Keywords: []string{"error", "broken", "does not work"}, Then: dialog.Then{Queue: "tech"}},
			{Key: "s", Label: "Sales", Keywords: []string{"buy", "price"}, Then: dialog.Then{Queue: "sales", Priority: 2, Needs: []string{"urn:xmpp:jingle:apps:rtp:audio"}}},
			{Key: "4", Label: "How busy are you?", Then: dialog.Then{Action: dialog.ActionStatus}},
			{Key: "5", Label: "Nothing, bye", Keywords: []string{"bye"}, Then: dialog.Then{Next: "bye"}},
		}},
		"order": {Name: "order", Say: "What is your order number? (6 digits)", Field: "order",
			Pattern: regexp.MustCompile(`^[0-9]{6}$`), Hint: "An order number has 6 digits.", Then: dialog.Then{Queue: "billing"}},
		"bye": {Name: "bye", Say: "Goodbye!", Then: dialog.Then{Action: dialog.ActionEnd}},
	}}
}

func TestAnswer(t *testing.T) {
	tests := []struct {
		name    string
		answers []string
		done    bool
		queue   string
		action  dialog.Action
		node    string
		sayHas  string
		prio    int
		answerK string
		answerV string
	}{
		{name: "by key", answers: []string{"2"}, done: true, queue: "tech"},
		{name: "by letter key any case", answers: []string{"S"}, done: true, queue: "sales", prio: 2},
		{name: "by number for a letter key", answers: []string{"3"}, done: true, queue: "sales", prio: 2},
		{name: "by number with dot", answers: []string{"2."}, done: true, queue: "tech"},
		{name: "by label", answers: []string{"technical problem"}, done: true, queue: "tech"},
		{name: "by keyword prefix", answers: []string{"I have a question about my invoices"}, node: "order", sayHas: "order number"},
		{name: "by multiword keyword", answers: []string{"It DOES NOT WORK!"}, done: true, queue: "tech"},
		{name: "unknown answer re-asks", answers: []string{"banana"}, node: "start", sayHas: "number from 1 to 5"},
		{name: "out of range number re-asks", answers: []string{"9"}, node: "start", sayHas: "Hello! How can we help?"},
		{name: "empty answer re-asks", answers: []string{"   "}, node: "start", sayHas: "1) Billing question"},
		{name: "ambiguous keywords", answers: []string{"my bill shows an error"}, node: "start", sayHas: "more than one"},
		{name: "question validates", answers: []string{"1", "12345"}, node: "order", sayHas: "6 digits"},
		{name: "question stores field", answers: []string{"1", " 123456 "}, done: true, queue: "billing", answerK: "order", answerV: "123456"},
		{name: "status action stays", answers: []string{"4"}, action: dialog.ActionStatus, node: "start", sayHas: "Hello!"},
		{name: "message node leads to end", answers: []string{"bye"}, done: true, action: dialog.ActionEnd, sayHas: "Goodbye!"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := demo()
			var st dialog.State
			r := d.Start(&st)
			if len(r.Say) != 1 || !strings.HasPrefix(r.Say[0], "Hello! How can we help?\n1) Billing question\n2) Technical problem\ns) Sales") {
				t.Fatalf("start prompt = %q", r.Say)
			}
			for _, a := range tc.answers {
				r = d.Answer(&st, a)
			}
			if r.Done != tc.done || r.Queue != tc.queue || r.Action != tc.action {
				t.Fatalf("reply = %+v, want done=%v queue=%q action=%q", r, tc.done, tc.queue, tc.action)
			}
			if tc.node != "" && st.Node != tc.node {
				t.Errorf("node = %q, want %q", st.Node, tc.node)
			}
			if tc.sayHas != "" && !strings.Contains(strings.Join(r.Say, "\n"), tc.sayHas) {
				t.Errorf("say = %q, want it to contain %q", r.Say, tc.sayHas)
			}
			if st.Priority != tc.prio {
				t.Errorf("priority = %d, want %d", st.Priority, tc.prio)
			}
			if tc.answerK != "" && st.Answers[tc.answerK] != tc.answerV {
				t.Errorf("answers = %v", st.Answers)
			}
		})
	}
}

func TestNeedsCollected(t *testing.T) {
	d := demo()
	var st dialog.State
	d.Start(&st)
	d.Answer(&st, "s")
	if len(st.Needs) != 1 || st.Needs[0] != "urn:xmpp:jingle:apps:rtp:audio" {
		t.Fatalf("needs = %v", st.Needs)
	}
}

func TestMessageNodeCycleIsBounded(t *testing.T) {
	d := &dialog.Dialog{Nodes: map[string]*dialog.Node{
		"start": {Name: "start", Say: "a", Then: dialog.Then{Next: "b"}},
		"b":     {Name: "b", Then: dialog.Then{Next: "start"}},
	}}
	var st dialog.State
	r := d.Start(&st)
	if !r.Done || r.Action != dialog.ActionEnd {
		t.Fatalf("reply = %+v", r)
	}
}

func FuzzAnswer(f *testing.F) {
	for _, s := range []string{"1", "S", "invoice", "does not work", "", "9999", "\x00", "bill error", "1)", "ünïcödé"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, answer string) {
		d := demo()
		var st dialog.State
		d.Start(&st)
		r := d.Answer(&st, answer)
		if !r.Done && len(r.Say) == 0 {
			t.Fatalf("no reply and not done for %q", answer)
		}
		if _, ok := d.Nodes[st.Node]; !ok {
			t.Fatalf("state left the dialog: %q", st.Node)
		}
		r = d.Answer(&st, answer)
		if !r.Done && len(r.Say) == 0 {
			t.Fatalf("no reply on second answer %q", answer)
		}
	})
}

func BenchmarkAnswer(b *testing.B) {
	d := demo()
	b.ReportAllocs()
	for b.Loop() {
		var st dialog.State
		d.Start(&st)
		d.Answer(&st, "I have a question about my invoices")
		d.Answer(&st, "123456")
	}
}

type german struct{}

func (german) NotUnderstood(n int) string               { return "Wie bitte?" }
func (german) Ambiguous(options []dialog.Option) string { return "Welches?" }
func (german) BadAnswer() string                        { return "Das passt nicht." }

func TestTranslate(t *testing.T) {
	d := &dialog.Dialog{Name: "main", Nodes: map[string]*dialog.Node{
		"start": {Name: "start", Say: "Hello!", Options: []dialog.Option{{Key: "1", Label: "Billing", Keywords: []string{"invoice"}, Then: dialog.Then{Queue: "billing"}}, {Key: "2", Label: "Sales", Then: dialog.Then{Queue: "sales"}}}},
		"order": {Name: "order", Say: "Order number?", Field: "order", Then: dialog.Then{Queue: "billing"}},
	}}
	de := d.Translate(map[string]dialog.NodeText{"start": {Say: "Hallo!", Labels: map[string]string{"1": "Rechnung"}, Keywords: map[string][]string{"1": {"rechnung"}}}}, german{})
	var st dialog.State
	if r := de.Start(&st); r.Say[0] != "Hallo!\n1) Rechnung\n2) Sales" {
		t.Fatalf("start: %q", r.Say)
	}
	for _, in := range []string{"meine Rechnung ist falsch", "my invoice"} {
		st := dialog.State{Node: "start"}
		if r := de.Answer(&st, in); r.Queue != "billing" {
			t.Errorf("%q: %+v", in, r)
		}
	}
	if r := de.Answer(&dialog.State{Node: "start"}, "hmm"); !strings.HasPrefix(r.Say[0], "Wie bitte?") {
		t.Errorf("not understood: %q", r.Say)
	}
	if d.Nodes["start"].Say != "Hello!" || d.Nodes["start"].Options[0].Label != "Billing" || len(d.Nodes["start"].Options[0].Keywords) != 1 {
		t.Fatal("the original dialog changed")
	}
}
