package routing_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"switchboard/routing"
)

// fakeAvail is a table-friendly Availability.
type fakeAvail struct {
	away     map[string]bool
	features map[string][]string
}

func (f fakeAvail) Routable(a string) bool { return !f.away[a] }
func (f fakeAvail) Supports(a string, needs []string) bool {
	if f.away[a] {
		return false
	}
outer:
	for _, n := range needs {
		for _, h := range f.features[a] {
			if h == n {
				continue outer
			}
		}
		return false
	}
	return true
}

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

func agents() []routing.Agent {
	return []routing.Agent{
		{JID: "alice@x", Skills: map[string]int{"billing": 7, "tech": 5}, Languages: []string{"en", "de"}, MaxChats: 2},
		{JID: "bob@x", Skills: map[string]int{"sales": 6}, Languages: []string{"en"}, MaxChats: 1},
		{JID: "carol@x", Skills: map[string]int{"billing": 3, "tech": 9}, Languages: []string{"fr"}, MaxChats: 1},
	}
}

func queues(s routing.Strategy) []routing.Queue {
	return []routing.Queue{
		{Name: "billing", Skills: map[string]int{"billing": 3}, Strategy: s},
		{Name: "tech", Skills: map[string]int{"tech": 5}, Strategy: s},
		{Name: "sales", Skills: map[string]int{"sales": 3}, Strategy: s, RequireFeatures: []string{"audio"}},
		{Name: "lang", Skills: map[string]int{"billing": 1}, Strategy: s, MatchLanguage: true},
		{Name: "senior", Skills: map[string]int{"billing": 5}, Strategy: s},
	}
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		name     string
		strategy routing.Strategy
		away     []string
		features map[string][]string
		load     map[string]int    // assigned conversations per agent
		idle     map[string]string // agent → released at t0+duration
		reject   []string          // agents that rejected conversation 1
		conv     routing.Conversation
		want     string // agent offered conversation 1, "" for none
	}{
		{name: "longest idle wins", idle: map[string]string{"alice@x": "2m", "carol@x": "1m"}, conv: routing.Conversation{Queue: "billing"}, want: "carol@x"},
		{name: "dnd agent never offered", away: []string{"carol@x"}, idle: map[string]string{"alice@x": "2m"}, conv: routing.Conversation{Queue: "billing"}, want: "alice@x"},
		{name: "full agent never offered", load: map[string]int{"carol@x": 1}, conv: routing.Conversation{Queue: "billing"}, want: "alice@x"},
		{name: "agent without skill never offered", conv: routing.Conversation{Queue: "senior"}, want: "alice@x"},
		{name: "nobody has the skill", conv: routing.Conversation{Queue: "tech"}, away: []string{"alice@x", "carol@x"}, want: ""},
		{name: "language match", conv: routing.Conversation{Queue: "lang", Language: "fr-CA"}, want: "carol@x"},
		{name: "language match nobody", conv: routing.Conversation{Queue: "lang", Language: "es"}, want: ""},
		{name: "queue feature required", conv: routing.Conversation{Queue: "sales"}, features: map[string][]string{"bob@x": {"audio"}}, want: "bob@x"},
		{name: "queue feature missing", conv: routing.Conversation{Queue: "sales"}, want: ""},
		{name: "conversation needs oob", conv: routing.Conversation{Queue: "billing", Needs: []string{"jabber:x:oob"}}, features: map[string][]string{"alice@x": {"jabber:x:oob"}}, want: "alice@x"},
		{name: "rejected agent skipped", reject: []string{"alice@x"}, conv: routing.Conversation{Queue: "billing"}, want: "carol@x"},
		{name: "rejected agent again when nobody else", reject: []string{"alice@x", "carol@x"}, idle: map[string]string{"carol@x": "1m"}, conv: routing.Conversation{Queue: "billing"}, want: "alice@x"},
		{name: "rejected waits for busy colleague", reject: []string{"alice@x"}, load: map[string]int{"carol@x": 1}, conv: routing.Conversation{Queue: "billing"}, want: ""},
		{name: "named agent without the queue's skill", conv: routing.Conversation{Queue: "senior", Agent: "carol@x"}, want: "carol@x"},
		{name: "named agent away waits", away: []string{"carol@x"}, conv: routing.Conversation{Queue: "billing", Agent: "carol@x"}, want: ""},
		{name: "named agent full waits", load: map[string]int{"carol@x": 1}, conv: routing.Conversation{Queue: "billing", Agent: "carol@x"}, want: ""},
		{name: "named agent who declined falls back to the queue", reject: []string{"carol@x"}, conv: routing.Conversation{Queue: "billing", Agent: "carol@x"}, want: "alice@x"},
		{name: "preferred agent before the strategy", idle: map[string]string{"alice@x": "2m", "carol@x": "1m"}, conv: routing.Conversation{Queue: "billing", Prefer: "alice@x"}, want: "alice@x"},
		{name: "preferred agent without skill is not preferred", conv: routing.Conversation{Queue: "billing", Prefer: "bob@x"}, want: "alice@x"},
		{name: "preferred agent away", away: []string{"alice@x"}, conv: routing.Conversation{Queue: "billing", Prefer: "alice@x"}, want: "carol@x"},
		{name: "preferred agent who declined", reject: []string{"carol@x"}, idle: map[string]string{"alice@x": "2m", "carol@x": "1m"}, conv: routing.Conversation{Queue: "billing", Prefer: "carol@x"}, want: "alice@x"},
		{name: "least busy", strategy: routing.LeastBusy, load: map[string]int{"alice@x": 1}, conv: routing.Conversation{Queue: "tech"}, want: "carol@x"},
		{name: "best skill", strategy: routing.BestSkill, idle: map[string]string{"carol@x": "1m"}, conv: routing.Conversation{Queue: "billing"}, want: "alice@x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			av := fakeAvail{away: map[string]bool{}, features: tc.features}
			for _, a := range tc.away {
				av.away[a] = true
			}
			s := tc.strategy
			if s == "" {
				s = routing.LongestIdle
			}
			r := routing.New(av, queues(s), agents(), t0)
			for a, n := range tc.load {
				for i := 0; i < n; i++ {
					r.Assigned(a)
				}
			}
			for a, d := range tc.idle {
				dur, _ := time.ParseDuration(d)
				r.Assigned(a)
				r.Release(a, t0.Add(dur))
			}
			c := tc.conv
			c.ID, c.Since = 1, t0
			r.Enqueue(&c)
			for _, a := range tc.reject {
				r.Reject(1, a)
			}
			offers := r.Dispatch(t0.Add(time.Hour))
			got := ""
			if len(offers) > 0 {
				got = offers[0].Agent
				reason := r.Explain(offers[0], t0.Add(time.Hour))
				if !strings.Contains(reason.String(), got+" chosen") {
					t.Errorf("reason %q does not name the chosen agent", reason)
				}
			}
			if got != tc.want {
				t.Fatalf("offered to %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOrderAndPriority(t *testing.T) {
	r := routing.New(fakeAvail{}, queues(routing.LongestIdle), agents()[:1], t0)
	r.Enqueue(&routing.Conversation{ID: 1, Queue: "billing", Since: t0})
	r.Enqueue(&routing.Conversation{ID: 2, Queue: "billing", Since: t0.Add(30 * time.Second)})
	r.Enqueue(&routing.Conversation{ID: 3, Queue: "billing", Since: t0.Add(90 * time.Second), Priority: 2})
	r.Enqueue(&routing.Conversation{ID: 4, Queue: "billing", Since: t0.Add(10 * time.Minute), Priority: 1})
	if p, n := r.Position(2); p != 3 || n != 4 {
		t.Fatalf("position of 2 = %d/%d, want 3/4", p, n)
	}
	offers := r.Dispatch(t0)
	if len(offers) != 2 || offers[0].Conversation != 3 || offers[1].Conversation != 1 {
		t.Fatalf("offers = %+v, want 3 then 1 (priority with aging)", offers)
	}
	// The agent is full; a freed slot goes to the oldest waiting one.
	if !r.Accept(3, "alice@x") || r.Waiting(3) {
		t.Fatal("accept failed")
	}
	r.Reject(1, "alice@x")
	offers = r.Dispatch(t0)
	if len(offers) != 1 || offers[0].Conversation != 1 {
		t.Fatalf("after reject offers = %+v, want 1 again (nobody else qualifies)", offers)
	}
	r.Release("alice@x", t0)
	r.Remove(1)
	offers = r.Dispatch(t0)
	if len(offers) != 2 || offers[0].Conversation != 2 || offers[1].Conversation != 4 {
		t.Fatalf("offers = %+v, want 2 and 4", offers)
	}
}

func TestAvailabilityChangeNeverDrops(t *testing.T) {
	av := fakeAvail{away: map[string]bool{"alice@x": true, "carol@x": true}}
	r := routing.New(av, queues(routing.LongestIdle), agents(), t0)
	r.Enqueue(&routing.Conversation{ID: 7, Queue: "billing", Since: t0})
	if offers := r.Dispatch(t0); len(offers) != 0 {
		t.Fatalf("offers while nobody is available: %+v", offers)
	}
	delete(av.away, "carol@x")
	if offers := r.Dispatch(t0); len(offers) != 1 || offers[0].Agent != "carol@x" {
		t.Fatalf("offers = %+v", offers)
	}
}

func TestRoundRobin(t *testing.T) {
	ag := []routing.Agent{
		{JID: "a@x", Skills: map[string]int{"tech": 9}, MaxChats: 5},
		{JID: "b@x", Skills: map[string]int{"tech": 9}, MaxChats: 5},
	}
	r := routing.New(fakeAvail{}, queues(routing.RoundRobin), ag, t0)
	var got []string
	for i := uint64(1); i <= 4; i++ {
		r.Enqueue(&routing.Conversation{ID: i, Queue: "tech", Since: t0})
		for _, o := range r.Dispatch(t0) {
			got = append(got, o.Agent)
		}
	}
	if fmt.Sprint(got) != "[a@x b@x a@x b@x]" {
		t.Fatalf("round robin = %v", got)
	}
}

func TestExpired(t *testing.T) {
	q := []routing.Queue{{Name: "billing", Skills: map[string]int{"billing": 3}, MaxWait: time.Minute, Overflow: "message"}}
	r := routing.New(fakeAvail{away: map[string]bool{"alice@x": true, "carol@x": true}}, q, agents(), t0)
	r.Enqueue(&routing.Conversation{ID: 1, Queue: "billing", Since: t0})
	if e := r.Expired(t0.Add(59 * time.Second)); len(e) != 0 {
		t.Fatalf("expired early: %v", e)
	}
	if e := r.Expired(t0.Add(time.Minute)); len(e) != 1 {
		t.Fatalf("not expired: %v", e)
	}
}

func TestReasonString(t *testing.T) {
	r := routing.Reason{Strategy: routing.LongestIdle, Note: "queue billing", Candidates: []routing.Verdict{
		{Agent: "a@x", Chosen: true, Rank: 1, Why: "idle 4m0s, load 0/3"},
		{Agent: "b@x", Rank: 2, Why: "idle 1m0s, load 1/3"},
		{Agent: "c@x", Why: "skipped: no skill billing≥3"},
	}}
	want := "queue billing; longest-idle: a@x chosen (idle 4m0s, load 0/3); b@x ranked 2 (idle 1m0s, load 1/3); c@x (skipped: no skill billing≥3)"
	if got := r.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	if got := (routing.Reason{Strategy: routing.RoundRobin}).String(); got != "round-robin:" {
		t.Errorf("empty reason = %q", got)
	}
}

// The router reads a waiting conversation through its owner's pointer: a
// feature the customer uses while queued counts at once.
func TestNeedsLearnedWhileWaiting(t *testing.T) {
	av := fakeAvail{features: map[string][]string{"bob@x": {"jabber:x:oob"}}}
	r := routing.New(av, []routing.Queue{{Name: "billing", Skills: map[string]int{"billing": 1}}},
		[]routing.Agent{{JID: "alice@x", Skills: map[string]int{"billing": 5}, MaxChats: 1}, {JID: "bob@x", Skills: map[string]int{"billing": 5}, MaxChats: 1}}, t0)
	c := &routing.Conversation{ID: 1, Queue: "billing", Since: t0}
	r.Enqueue(c)
	c.Needs = append(c.Needs, "jabber:x:oob")
	offers := r.Dispatch(t0)
	if len(offers) != 1 || offers[0].Agent != "bob@x" {
		t.Fatalf("offers = %+v", offers)
	}
	r.Reject(1, "bob@x")
	if len(c.Rejected) != 1 || c.Rejected[0] != "bob@x" {
		t.Fatalf("rejections not on the conversation: %v", c.Rejected)
	}
}

// A queue's own aging sets what a priority level is worth there: at 10
// minutes a level, priority 1 ten minutes later ties with priority 0.
func TestQueueAging(t *testing.T) {
	qs := queues(routing.LongestIdle)
	for i := range qs {
		qs[i].Aging = 10 * time.Minute
	}
	r := routing.New(fakeAvail{}, qs, agents()[:1], t0)
	r.Enqueue(&routing.Conversation{ID: 1, Queue: "billing", Since: t0})
	r.Enqueue(&routing.Conversation{ID: 2, Queue: "billing", Since: t0.Add(5 * time.Minute), Priority: 1})
	r.Enqueue(&routing.Conversation{ID: 3, Queue: "billing", Since: t0.Add(15 * time.Minute), Priority: 1})
	for id, want := range map[uint64]int{1: 2, 2: 1, 3: 3} {
		if p, _ := r.Position(id); p != want {
			t.Errorf("position of %d = %d, want %d", id, p, want)
		}
	}
}

// Ring-all offers one conversation to every free candidate at once; the
// one who accepts keeps the capacity, the others get theirs back; a
// decline takes one agent out of the ring.
func TestRingAll(t *testing.T) {
	ag := []routing.Agent{
		{JID: "a@x", Skills: map[string]int{"tech": 9}, MaxChats: 1},
		{JID: "b@x", Skills: map[string]int{"tech": 9}, MaxChats: 2},
		{JID: "c@x", Skills: map[string]int{"tech": 9}, MaxChats: 1},
		{JID: "d@x", Skills: map[string]int{"billing": 9}, MaxChats: 1},
	}
	r := routing.New(fakeAvail{}, queues(routing.RingAll), ag, t0)
	r.Enqueue(&routing.Conversation{ID: 1, Queue: "tech", Since: t0})
	r.Enqueue(&routing.Conversation{ID: 2, Queue: "tech", Since: t0.Add(time.Second)})
	offers := r.Dispatch(t0)
	if len(offers) != 2 || offers[0].Conversation != 1 || fmt.Sprint(append([]string{offers[0].Agent}, offers[0].Also...)) != "[a@x b@x c@x]" {
		t.Fatalf("offers %+v", offers)
	}
	// b had a second slot: conversation 2 rings them alone.
	if offers[1].Conversation != 2 || offers[1].Agent != "b@x" || len(offers[1].Also) != 0 {
		t.Fatalf("second offer %+v", offers[1])
	}
	r.Reject(1, "a@x")
	if got := r.Offered(1); fmt.Sprint(got) != "[b@x c@x]" || r.Load("a@x") != 0 {
		t.Fatalf("after a's decline: %v, a's load %d", got, r.Load("a@x"))
	}
	if !r.Accept(1, "c@x") || r.Load("c@x") != 1 || r.Load("b@x") != 1 || r.Waiting(1) {
		t.Fatalf("accept: loads b %d c %d", r.Load("b@x"), r.Load("c@x"))
	}
	if r.Accept(2, "c@x") {
		t.Fatal("c accepted an offer that never went to them")
	}
}

// A queue out of its business hours keeps its conversations, offers none
// and lets none overflow; once open it routes them in their order.
func TestClosedQueue(t *testing.T) {
	qs := queues(routing.LongestIdle)
	qs[0].MaxWait = time.Minute
	r := routing.New(fakeAvail{}, qs, agents(), t0)
	r.SetClosed("billing", true, t0)
	r.Enqueue(&routing.Conversation{ID: 1, Queue: "billing", Since: t0})
	if o := r.Dispatch(t0); len(o) != 0 {
		t.Fatalf("offers from a closed queue: %+v", o)
	}
	if e := r.Expired(t0.Add(time.Hour)); len(e) != 0 {
		t.Fatalf("a closed queue overflowed %v", e)
	}
	if s, _ := r.Slots("billing"); s != 0 {
		t.Fatalf("a closed queue has %d slots", s)
	}
	opened := t0.Add(time.Hour)
	r.SetClosed("billing", false, opened)
	if e := r.Expired(opened.Add(59 * time.Second)); len(e) != 0 {
		t.Fatalf("max_wait counted the closed hours: %v", e)
	}
	if e := r.Expired(opened.Add(time.Minute)); len(e) != 1 {
		t.Fatalf("max_wait after opening: %v", e)
	}
	if o := r.Dispatch(opened); len(o) != 1 || o[0].Conversation != 1 {
		t.Fatalf("after opening: %+v", o)
	}
}
