package desk

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/component/desk/core"
	"switchboard/component/texts"
	"switchboard/component/wire"
	"switchboard/routing/dialog"
	"switchboard/store"
	"switchboard/store/replies"
)

const room = "case-1@conference.localhost"

// Each case drives one desk from a fresh store and checks what it sent
// and recorded.
func TestDecisions(t *testing.T) {
	cases := []struct {
		name   string
		agents string
		run    func(t *testing.T, h *harness)
	}{
		{"languages: xml:lang, the entry point's, English", harnessAgents + languagesConfig, func(t *testing.T, h *harness) {
			lang := func(from, to, lang, body string) string {
				h.seq++
				h.in(`<message from='%s' to='%s' type='chat' id='m%d' xml:lang='%s'><body>%s</body></message>`, from, to, h.seq, lang, body)
				return strings.Join(h.chatsTo(wire.Bare(from)), "\n")
			}
			// de-AT reads de; the language is kept for later lines
			// without one, and after a restart.
			if got := lang(customer, "support@help.localhost", "de-AT", "hallo"); !strings.HasPrefix(got, "Hallo!\n1) Billing") {
				t.Fatalf("de-AT: %q", got)
			}
			if got := lang(customer, "support@help.localhost", "", "1"); !strings.HasPrefix(got, "Danke. Sie sind Nummer 1 in der Warteschlange; wir wissen es noch nicht. Schreiben Sie „status“") {
				t.Fatalf("queued: %q", got)
			}
			if c := h.conv(1); c.Rec.Language != "de-AT" {
				t.Fatalf("language %q", c.Rec.Language)
			}
			h.restart()
			if got := lang(customer, "support@help.localhost", "en", "Status"); !strings.HasSuffix(got, "Sie sind Nummer 1 in der Warteschlange; wir wissen es noch nicht.") || strings.Contains(got, "You are") {
				t.Fatalf("after a restart: %q", got)
			}
			// A language without texts, or a malformed tag: the entry
			// point's language, else English.
			for _, tc := range []struct{ from, to, lang, want string }{
				{"ja@localhost/x", "hilfe@help.localhost", "ja", "Hallo!"},
				{"bad@localhost/x", "hilfe@help.localhost", "!!", "Hallo!"},
				{"ja2@localhost/x", "support@help.localhost", "ja", "Hello! How can we help?"},
				{"bad2@localhost/x", "support@help.localhost", "de_DE!", "Hello! How can we help?"},
			} {
				if got := lang(tc.from, tc.to, tc.lang, "hi"); !strings.HasPrefix(got, tc.want) {
					t.Errorf("%s to %s: %q, want %q", tc.lang, tc.to, got, tc.want)
				}
			}
		}},
		{"offer then join", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.queued()
			h.expectInvite("alice@localhost")
			h.join(room, "alice@localhost", "Alice")
			if got := h.told(); !strings.Contains(got, "You are now chatting with alice.") {
				t.Fatalf("customer told %q", got)
			}
			if c := h.conv(1); c.Rec.Status != core.Open || c.Rec.Agent != "alice@localhost" || h.d.Router.Load("alice@localhost") != 1 {
				t.Fatalf("status %s agent %s load %d", c.Rec.Status, c.Rec.Agent, h.d.Router.Load("alice@localhost"))
			}
			_, actions := h.stored(1)
			actions = slices.DeleteFunc(actions, func(a string) bool { return a == "client" })
			if want := "opened answered queued estimate room offered assigned"; strings.Join(actions, " ") != want {
				t.Fatalf("timeline %v, want %s", actions, want)
			}
		}},
		{"reply-time reminders", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			h.out()
			// seen returns the room's notices and who else got a chat.
			seen := func() (room string, chats []string) {
				for _, s := range h.out() {
					switch {
					case s.Type == "groupchat" && strings.HasPrefix(s.Body, "[desk]"):
						room += s.Body + "\n"
					case s.Type == "chat" && s.Body != "" && wire.Bare(s.To) != wire.Bare(customer):
						chats = append(chats, wire.Bare(s.To)+": "+s.Body)
					}
				}
				return room, chats
			}
			h.say("anyone there?")
			h.advance(119 * time.Second)
			if r, c := seen(); r != "" || len(c) != 0 {
				t.Fatalf("before first_reply: %q %v", r, c)
			}
			h.advance(time.Second)
			if r, _ := seen(); !strings.Contains(r, "The customer has waited 2m0s for a first answer.") {
				t.Fatalf("at first_reply the room got %q", r)
			}
			h.advance(2 * time.Minute)
			_, chats := seen()
			slices.Sort(chats)
			if len(chats) != 2 || !strings.HasPrefix(chats[0], "boss@localhost: case-1 (queue billing, alice): the customer has waited 4m0s for a first answer.") || !strings.HasPrefix(chats[1], "sue@localhost:") {
				t.Fatalf("at twice first_reply supervisors got %q", chats)
			}
			h.post(room, "Alice", "Sorry, here now.")
			if rec, _ := h.stored(1); rec.FirstReply.IsZero() {
				t.Fatal("first reply not recorded")
			}
			// Later lines get reply (5m); an answer in time stops the clock,
			// and so does nothing a restart does not keep.
			h.say("my invoice?")
			h.advance(4 * time.Minute)
			h.post(room, "Alice", "Looking.")
			h.advance(6 * time.Minute) // under customer_timeout (10m)
			if r, c := seen(); strings.Contains(r, "waited") || len(c) != 0 {
				t.Fatalf("after an answer in time: %q %v", r, c)
			}
			h.say("still there?")
			h.advance(4 * time.Minute)
			h.restart()
			h.out()
			h.advance(time.Minute)
			if r, _ := seen(); !strings.Contains(r, "The customer has waited 5m0s for an answer.") {
				t.Fatalf("after a restart the room got %q", r)
			}
			_, actions := h.stored(1)
			if n := strings.Count(strings.Join(actions, " "), "sla-warning"); n != 2 || !slices.Contains(actions, "sla-breach") {
				t.Fatalf("timeline %v", actions)
			}
		}},
		{"supervisors", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			h.online("bob@localhost")
			h.out()
			chat := func(from, body string) string {
				t.Helper()
				h.seq++
				h.in(`<message from='%s/phone' to='desk@help.localhost' type='chat' id='c%d'><body>%s</body></message>`, from, h.seq, wire.Escape(body))
				var b []string
				for _, s := range h.out() {
					if wire.Bare(s.To) == wire.Bare(customer) && s.Body != "" {
						t.Fatalf("the customer got %q", s.Body)
					}
					if wire.Bare(s.To) == from && s.Body != "" {
						b = append(b, s.Body)
					}
				}
				return strings.Join(b, "\n")
			}
			if got := chat("bob@localhost", "floor"); got != "Only supervisors can run floor." {
				t.Fatalf("an agent's floor: %q", got)
			}
			if got := chat("eve@localhost", "floor"); !strings.Contains(got, "This address is for the desk's agents") {
				t.Fatalf("a stranger's floor: %q", got)
			}
			if got := chat("sue@localhost", "floor"); !strings.Contains(got, "billing: 0 waiting") || !strings.Contains(got, "alice: available, 1/3") || !strings.Contains(got, "case-1: alice, billing, for ") {
				t.Fatalf("floor: %q", got)
			}
			if got := chat("sue@localhost", "pause"); !strings.Contains(got, "unknown command") && !strings.Contains(got, "no command") {
				t.Fatalf("a supervisor who is not an agent pausing: %q", got)
			}
			if got := chat("sue@localhost", "join 7"); got != "There is no open conversation 7." {
				t.Fatalf("join 7: %q", got)
			}
			h.seq++
			h.in(`<message from='sue@localhost/phone' to='desk@help.localhost' type='chat' id='c%d'><body>join case-1</body></message>`, h.seq)
			if got := h.invited(); len(got) != 1 || got[0] != "sue@localhost" {
				t.Fatalf("join invited %v", got)
			}
			h.join(room, "sue@localhost", "Sue")
			if got := h.roomSaid(); !strings.Contains(got, "Recap for sue (supervising)") {
				t.Fatalf("sue joining: %q", got)
			}
			h.post(room, "Sue", "I see, customer.")
			if got := h.roomSaid(); !strings.Contains(got, "You are supervising") {
				t.Fatalf("sue's line: %q", got)
			}
			h.post(room, "Alice", "/takeover")
			if got := h.roomSaid(); !strings.Contains(got, "Only supervisors can run /takeover") {
				t.Fatalf("alice's takeover: %q", got)
			}
			h.post(room, "Sue", "/takeover")
			if got := h.told(); !strings.Contains(got, "You are now chatting with sue.") {
				t.Fatalf("takeover told the customer %q", got)
			}
			if c := h.conv(1); c.Rec.Agent != "sue@localhost" || h.d.Router.Load("alice@localhost") != 0 {
				t.Fatalf("after takeover agent %s, alice's load %d", c.Rec.Agent, h.d.Router.Load("alice@localhost"))
			}
			h.post(room, "Sue", "Sue here, let me help.")
			if got := h.told(); got != "Sue here, let me help." {
				t.Fatalf("sue's answer reached the customer as %q", got)
			}
			h.post(room, "Sue", "/assign bob@localhost")
			if got := h.invited(); len(got) != 1 || got[0] != "bob@localhost" {
				t.Fatalf("assign invited %v", got)
			}
			_, actions := h.stored(1)
			for _, a := range []string{"supervisor-join", "takeover", "transfer"} {
				if !slices.Contains(actions, a) {
					t.Fatalf("timeline %v lacks %s", actions, a)
				}
			}
		}},
		{"wait estimates, from the history, told and updated", harnessAgents, func(t *testing.T, h *harness) {
			// Ten billing conversations ended before this start: a minute's
			// wait and six minutes with an agent each.
			err := h.st.Update(context.Background(), func(tx *store.Tx) error {
				for i := range 10 {
					at := h.clock.Now().Add(-time.Duration(10-i) * time.Hour)
					c := &store.Conversation{ID: uint64(i + 1), Kind: store.KindChat, Customer: "old@localhost", Created: at, Queue: "billing",
						Status: core.Closed, Queued: at, Assigned: at.Add(time.Minute), Agent: "alice@localhost", Closed: at.Add(7 * time.Minute)}
					if err := tx.PutConversation(c); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			h.restart()
			if h, n := h.d.Estimator.Handle("billing"); h != 6*time.Minute || n != 10 {
				t.Fatalf("learnt %v over %d", h, n)
			}
			// Alice (one chat) takes the first customer; bob is away.
			h.cfg.Agents[0].MaxChats = 1
			h.d.Router.SetAgent(h.cfg.Agents[0], h.clock.Now())
			h.online("alice@localhost")
			h.sayFrom("first@localhost/pc", "hello", "1")
			h.join("case-11@conference.localhost", "alice@localhost", "Alice")
			h.out()
			// One slot, busy: the next customer's wait is one handle
			// time's spread, told as "less than".
			h.queued()
			if got := h.told(); !strings.Contains(got, "Thank you. You are number 1 in the queue; the wait is less than 14 minutes.") {
				t.Fatalf("customer told %q", got)
			}
			h.say("status")
			if got := h.told(); got != "You are number 1 in the queue; the wait is less than 14 minutes." {
				t.Fatalf("status: %q", got)
			}
			if got := h.d.cust.StatusText(texts.English); !strings.HasSuffix(got, " · 1 waiting · <24 min") {
				t.Fatalf("presence status %q", got) // the next customer would be second
			}
			// A VIP comes in ahead: an update, once update_every has passed.
			h.sayFrom("ann@vip.example/pc", "hello", "1")
			h.advance(10 * time.Second)
			if got := h.told(); got != "" {
				t.Fatalf("an update before update_every: %q", got)
			}
			h.advance(25 * time.Second)
			if got := h.told(); got != "You are now number 2 in the queue; the wait is less than 24 minutes." {
				t.Fatalf("update: %q", got)
			}
			h.advance(2 * time.Minute)
			if got := h.told(); got != "" {
				t.Fatalf("an update without news: %q", got)
			}
			_, actions := h.stored(12)
			if n := strings.Count(strings.Join(actions, " "), "estimate"); n != 3 {
				t.Fatalf("timeline %v: %d estimates, want 3", actions, n)
			}
		}},
		{"an agent who drops", harnessAgents, func(t *testing.T, h *harness) {
			h.online("bob@localhost")
			h.alicesConversation()
			h.out()
			// Out and back within the grace: nothing changes.
			h.leave(room, "alice@localhost", "Alice")
			h.advance(time.Minute)
			h.join(room, "alice@localhost", "Alice")
			if got := h.told(); got != "" {
				t.Fatalf("told %q", got)
			}
			if c := h.conv(1); c.Rec.Agent != "alice@localhost" || !c.Rec.AgentAway.IsZero() {
				t.Fatalf("agent %q away %v", c.Rec.Agent, c.Rec.AgentAway)
			}
			// Out for good: back to the queue, the customer told, bob
			// offered it and recapped.
			h.leave(room, "alice@localhost", "Alice")
			h.advance(2*time.Minute - time.Second)
			if c := h.conv(1); c.Rec.Status != core.Open {
				t.Fatalf("before the grace: %s", c.Rec.Status)
			}
			h.advance(time.Second)
			if c := h.conv(1); c.Rec.Status != core.Offered || c.Rec.Offered != "bob@localhost" || h.d.Router.Load("alice@localhost") != 0 {
				t.Fatalf("after the grace: %s offered %q, alice's load %d", c.Rec.Status, c.Rec.Offered, h.d.Router.Load("alice@localhost"))
			}
			out := h.out()
			var told []string
			for _, st := range out {
				if wire.Bare(st.To) == wire.Bare(customer) && st.Body != "" {
					told = append(told, st.Body)
				}
			}
			if len(told) != 1 || told[0] != "alice had to leave; you keep your place, and the next agent will see everything you wrote." {
				t.Fatalf("customer told %q", told)
			}
			h.say("still there?")
			h.join(room, "bob@localhost", "Bob")
			recap := h.posted()
			if !strings.Contains(recap, "still there?") || !strings.Contains(recap, "for bob") {
				t.Fatalf("bob's recap %q", recap)
			}
			_, actions := h.stored(1)
			if a := strings.Join(actions, " "); !strings.Contains(a, "left-room agent-back left-room agent-dropped") || !strings.HasSuffix(a, "assigned") {
				t.Fatalf("timeline %s", a)
			}
		}},
		{"an agent who drops across a restart", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			h.leave(room, "alice@localhost", "Alice")
			h.advance(time.Minute)
			h.restart()
			if c := h.conv(1); c.Rec.AgentAway.IsZero() || c.Rec.Status != core.Open {
				t.Fatalf("after the restart: %s, away %v", c.Rec.Status, c.Rec.AgentAway)
			}
			h.out()
			h.advance(time.Minute)
			if c := h.conv(1); c.Rec.Status != core.Queued && c.Rec.Status != core.Offered {
				t.Fatalf("the grace ended across the restart: %s", c.Rec.Status)
			}
			if got := h.told(); !strings.Contains(got, "alice had to leave") {
				t.Fatalf("told %q", got)
			}
		}},
		{"ring-all: the first to join takes it, the others are told", harnessAgents, func(t *testing.T, h *harness) {
			h.ringAll()
			h.online("alice@localhost")
			h.online("bob@localhost")
			h.queued()
			if got := h.invited(); strings.Join(got, " ") != "alice@localhost bob@localhost" && strings.Join(got, " ") != "bob@localhost alice@localhost" {
				t.Fatalf("invited %v", got)
			}
			if h.d.Router.Load("alice@localhost") != 1 || h.d.Router.Load("bob@localhost") != 1 {
				t.Fatal("a ring-all offer holds a slot of each agent it rings")
			}
			h.join(room, "bob@localhost", "Bob")
			h.link.mu.Lock()
			raw := strings.Join(h.link.sent[h.read:], "\n")
			h.link.mu.Unlock()
			toAlice := h.chatsTo("alice@localhost")
			revoked := strings.Contains(raw, "affiliation='none' jid='alice@localhost'") || strings.Contains(raw, "jid='alice@localhost' affiliation='none'")
			if len(toAlice) != 1 || toAlice[0] != "bob took case-1; its invitation is withdrawn." || !revoked {
				t.Fatalf("alice told %q, membership revoked %v", toAlice, revoked)
			}
			if c := h.conv(1); c.Rec.Agent != "bob@localhost" || len(c.Rec.Ringing) != 0 || h.d.Router.Load("alice@localhost") != 0 || h.d.Router.Load("bob@localhost") != 1 {
				t.Fatalf("agent %s ringing %v loads %d %d", c.Rec.Agent, c.Rec.Ringing, h.d.Router.Load("alice@localhost"), h.d.Router.Load("bob@localhost"))
			}
		}},
		{"ring-all across a restart: an invitation from before counts, the others are told", harnessAgents, func(t *testing.T, h *harness) {
			h.ringAll()
			h.online("alice@localhost")
			h.online("bob@localhost")
			h.queued()
			h.out()
			h.restart()
			h.ringAll()
			h.join(room, "bob@localhost", "Bob")
			toAlice := h.chatsTo("alice@localhost")
			if c := h.conv(1); c.Rec.Agent != "bob@localhost" || len(toAlice) != 1 || toAlice[0] != "bob took case-1; its invitation is withdrawn." {
				t.Fatalf("agent %q, alice told %q", c.Rec.Agent, toAlice)
			}
		}},
		{"ring-all: one declines, the other keeps the offer", harnessAgents, func(t *testing.T, h *harness) {
			h.ringAll()
			h.online("alice@localhost")
			h.online("bob@localhost")
			h.queued()
			h.out()
			h.decline(room, "alice@localhost")
			if c := h.conv(1); c.Rec.Status != core.Offered || c.Rec.Offered != "bob@localhost" || h.d.Router.Load("alice@localhost") != 0 {
				t.Fatalf("after alice declined: %s offered %q ringing %v", c.Rec.Status, c.Rec.Offered, c.Rec.Ringing)
			}
			// bob lets it time out: it waits again, and comes back to
			// alice (who declined) as nobody else can take it.
			h.advance(31 * time.Second)
			if c := h.conv(1); c.Rec.Status != core.Offered || len(c.Rec.Rejected) != 2 {
				t.Fatalf("after the timeout: %s offered %q rejected %v", c.Rec.Status, c.Rec.Offered, c.Rec.Rejected)
			}
			_, actions := h.stored(1)
			if a := strings.Join(actions, " "); !strings.Contains(a, "offered declined offer-timeout offered") {
				t.Fatalf("timeline %s", a)
			}
		}},
		{"business hours: told when it opens, kept in place, routed on opening", harnessAgents, func(t *testing.T, h *harness) {
			h.officeHours("10:00-17:00") // it is 09:00 on a Tuesday
			h.online("alice@localhost")
			h.expectTold("hello", "We are closed now; we open again today at 10:00 (UTC). You can write to us all the same.\nHello!")
			if show, status := h.d.cust.DeskPresence("support"); show != "xa" || status != "Closed · we open again today at 10:00 (UTC)" {
				t.Fatalf("presence %q %q", show, status)
			}
			h.say("1")
			if got := h.told(); !strings.Contains(got, "You are number 1 in the queue. We are closed now and open again today at 10:00 (UTC): you keep your place") {
				t.Fatalf("queued into a closed queue: %q", got)
			}
			h.say("status")
			if got := h.told(); !strings.Contains(got, "open again today at 10:00") {
				t.Fatalf("status: %q", got)
			}
			h.advance(59*time.Minute + 50*time.Second) // past billing's max_wait of 10m
			if got := h.invited(); len(got) != 0 {
				t.Fatalf("offered out of hours: %v", got)
			}
			if c := h.conv(1); c.Rec.Overflowed || c.Route.Queue != "billing" {
				t.Fatalf("overflowed out of hours: %+v", c.Route)
			}
			h.advance(10 * time.Second)
			h.expectInvite("alice@localhost")
			if show, _ := h.d.cust.DeskPresence("support"); show == "xa" {
				t.Fatal("still closed after 10:00")
			}
			_, actions := h.stored(1)
			if n := strings.Count(strings.Join(actions, " "), "out-of-hours"); n != 2 {
				t.Fatalf("timeline %v", actions)
			}
		}},
		{"business hours: the dialog's closed node", harnessAgents, func(t *testing.T, h *harness) {
			h.cfg.Dialogs["main"].Nodes[dialog.ClosedNode] = &dialog.Node{Name: dialog.ClosedNode, Say: "We are closed; your question goes to billing.", Then: dialog.Then{Queue: "billing"}}
			h.officeHours("10:00-17:00")
			h.expectTold("hello", "We are closed; your question goes to billing.\nThank you. You are number 1 in the queue. We are closed now")
		}},
		{"leave a message: lines until a pause, kept across a restart, answered as chat", harnessAgents, func(t *testing.T, h *harness) {
			h.say("hello")
			h.out()
			h.expectTold("3", "Please write your message")
			h.expectTold("done", "Your message is empty")
			h.say("My invoice is wrong.")
			h.restart()
			h.say("Order 123456.")
			h.advance(59 * time.Second)
			if c := h.conv(1); c.Rec.Status != core.Dialog || c.Rec.Leaving == nil || c.Rec.Leaving.Lines != 2 {
				t.Fatalf("before the pause: %s %+v", c.Rec.Status, c.Rec.Leaving)
			}
			h.advance(2 * time.Second)
			if got := h.told(); !strings.HasPrefix(got, "Thank you: your message is recorded. An agent will answer you here as soon as one is free") {
				t.Fatalf("after the pause: %q", got)
			}
			if c := h.conv(1); c.Rec.Status != core.Queued || c.Rec.Kind != store.KindMessage || c.Rec.Leaving != nil {
				t.Fatalf("the message: %s %s %+v", c.Rec.Status, c.Rec.Kind, c.Rec.Leaving)
			}
			h.restart()
			h.online("alice@localhost")
			h.expectInvite("alice@localhost")
			h.join(room, "alice@localhost", "Alice")
			recap := h.posted()
			if !strings.Contains(recap, "A message the customer left") || !strings.Contains(recap, "My invoice is wrong.") || !strings.Contains(recap, "Order 123456.") {
				t.Fatalf("recap %q", recap)
			}
			h.post(room, "Alice", "We have corrected it.")
			if got := h.told(); got != "We have corrected it." {
				t.Fatalf("the answer reached the customer as %q", got)
			}
			_, actions := h.stored(1)
			if a := strings.Join(actions, " "); !strings.Contains(a, "leaving-message message-left queued") {
				t.Fatalf("timeline %s", a)
			}
		}},
		{"ask for a call back: number and time checked, routed when due, across a restart", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.say("hello")
			h.out()
			h.expectTold("4", "What number should we call you on?")
			for _, step := range []struct{ in, want string }{
				{"030 1234567", "That does not look like a phone number in international format"},
				{"+49 30 1234567", `When should we call +49301234567? Write "now", a time today like "14:30", or "tomorrow 10:00" (UTC time).`},
				{"08:00", `08:00 has passed today; write a later time, or "tomorrow 08:00".`},
				{"soon", `Please write "now", a time today like "14:30", or "tomorrow 10:00".`},
				{"09:30", `Thank you. We will call you on +49301234567 today at 09:30 (UTC). Write "cancel" to call it off.`},
			} {
				h.expectTold(step.in, step.want)
			}
			if c := h.conv(1); c.Rec.Status != core.Queued || c.Rec.Kind != store.KindCallback || h.d.Router.Waiting(1) {
				t.Fatalf("planned: %s %s waiting %v", c.Rec.Status, c.Rec.Kind, h.d.Router.Waiting(1))
			}
			h.say("status")
			if got := h.told(); !strings.Contains(got, "We will call you on +49301234567 today at 09:30") {
				t.Fatalf("status %q", got)
			}
			// Not offered before it is due, across a restart; then routed.
			h.advance(10 * time.Minute)
			if got := h.invited(); len(got) != 0 {
				t.Fatalf("offered before it was due: %v", got)
			}
			h.restart()
			h.online("alice@localhost")
			h.advance(10 * time.Minute)
			if got := h.invited(); len(got) != 0 {
				t.Fatalf("offered before it was due, after the restart: %v", got)
			}
			h.advance(10 * time.Minute)
			h.expectInvite("alice@localhost")
			h.join(room, "alice@localhost", "Alice")
			recap := h.posted()
			if !strings.Contains(recap, "Call back: +49301234567, at Tue 1 Dec 09:30 UTC; 0 attempts so far") {
				t.Fatalf("recap %q", recap)
			}
			h.post(room, "Alice", "/called no answer")
			if got := h.roomSaid(); !strings.Contains(got, "Attempt 1 recorded (no answer).") {
				t.Fatalf("/called: %q", got)
			}
			_, actions := h.stored(1)
			if a := strings.Join(actions, " "); !strings.Contains(a, "leaving-callback callback queued") || !strings.Contains(a, "callback-due") || !strings.Contains(a, "called") {
				t.Fatalf("timeline %s", a)
			}
		}},
		{"a call back out of hours is refused, and a queued customer's callback keeps the place", harnessAgents, func(t *testing.T, h *harness) {
			h.officeHours("10:00-17:00") // it is 09:00 on a Tuesday
			h.queued()
			h.out()
			h.say("callback")
			h.say("+49 30 1234567")
			h.out()
			h.expectTold("now", "We are closed now; we open again today at 10:00 (UTC).")
			h.expectTold("18:00", "We are closed at 18:00; we are open again tomorrow at 10:00 (UTC).")
			h.expectTold("tomorrow 11:00", "Thank you. We will call you on +49301234567 tomorrow at 11:00 (UTC).")
			h.say("cancel")
			if rec, _ := h.stored(1); rec.Status != core.Abandoned || rec.Resolution != "called the call back off" {
				t.Fatalf("cancelled: %s %q", rec.Status, rec.Resolution)
			}
		}},
		{"places for updates are the places told", harnessAgents, func(t *testing.T, h *harness) {
			h.queued()
			for i, who := range []string{"ann@vip.example", "carl@localhost", "dora@localhost", "ed@vip.example"} {
				h.sayFrom(who+"/pc", "hello", "1")
				h.advance(time.Duration(i) * 20 * time.Second)
			}
			places := h.d.Places(h.clock.Now())
			if len(places) != 5 {
				t.Fatalf("places %v", places)
			}
			for id, p := range places {
				if want := h.d.Position(h.conv(id)); p != want {
					t.Errorf("conversation %d: place %d, position %d", id, p, want)
				}
			}
			if places[2] != 1 || places[1] != 2 {
				t.Errorf("places %v: ann (a VIP) first, then the customer who came before her", places)
			}
		}},
		{"a VIP customer comes first", harnessAgents, func(t *testing.T, h *harness) {
			h.queued() // customer@localhost, priority 0
			h.sayFrom("ann@vip.example/pc", "hello", "1")
			if c := h.conv(2); c.Route.Priority != 1 || h.conv(1).Route.Priority != 0 {
				t.Fatalf("priorities %d and %d", h.conv(1).Route.Priority, c.Route.Priority)
			}
			if p, _ := h.d.Router.Position(2); p != 1 {
				t.Fatalf("the VIP's position is %d", p)
			}
			h.online("alice@localhost")
			h.advance(3 * time.Second)
			first := ""
			for _, s := range h.out() {
				if s.MUCUser != nil && s.MUCUser.Invite != nil && first == "" {
					first = wire.Bare(s.To)
				}
			}
			if first != "case-2@conference.localhost" {
				t.Fatalf("the first invitation went to %q", first)
			}
		}},
		{"customer timeout", harnessAgents, func(t *testing.T, h *harness) {
			// Silent in the dialog: told, and abandoned.
			h.say("hello")
			h.out()
			h.advance(5 * time.Minute)
			h.restart() // the clock counts on from the restart
			h.advance(9 * time.Minute)
			if c := h.conv(1); c.Rec.Status != core.Dialog {
				t.Fatalf("after 9 minutes: %s", c.Rec.Status)
			}
			h.advance(time.Minute)
			if got := h.told(); !strings.Contains(got, "We have not heard from you for 10 minutes") {
				t.Fatalf("the silent customer was told %q", got)
			}
			if rec, _ := h.stored(1); rec.Status != core.Abandoned {
				t.Fatalf("status %s", rec.Status)
			}
			// Queued: waits, however long.
			h.queued()
			h.advance(30 * time.Minute)
			if rec, _ := h.stored(2); rec.Status != core.Queued {
				t.Fatalf("a queued customer timed out: %s", rec.Status)
			}
			// Open: silent for 10 minutes after the agent's last answer,
			// closed; writing again within reopen_window reopens it.
			h.online("alice@localhost")
			h.advance(3 * time.Second)
			h.join("case-2@conference.localhost", "alice@localhost", "Alice")
			h.post("case-2@conference.localhost", "Alice", "How can I help?")
			h.advance(9 * time.Minute)
			h.say("one moment")
			h.advance(9 * time.Minute)
			if rec, _ := h.stored(2); rec.Status != core.Open {
				t.Fatalf("closed although the customer had the last word: %s", rec.Status)
			}
			h.post("case-2@conference.localhost", "Alice", "Still there?")
			h.advance(10 * time.Minute)
			rec, actions := h.stored(2)
			if rec.Status != core.Closed || rec.Resolution != "customer left" || h.d.Router.Load("alice@localhost") != 0 {
				t.Fatalf("after the agent's unanswered line: %s %q, alice's load %d, %v", rec.Status, rec.Resolution, h.d.Router.Load("alice@localhost"), actions)
			}
			h.out()
			h.say("sorry, back")
			if rec, _ := h.stored(2); rec.Status != core.Open || rec.Agent != "alice@localhost" {
				t.Fatalf("writing again: %s with %s", rec.Status, rec.Agent)
			}
		}},
		{"canned replies", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			h.out()
			for _, tc := range []struct{ line, want string }{
				{"/reply refund", "no value for {amount}: nothing was sent to the customer. Give it like /reply refund amount=…"},
				{"/reply refund amount={customer}", "amount: a value may not contain { or }"},
				{"/reply nope", `There is no reply "nope"`},
				{"/replies re", "refund: Your refund of {amount}"},
			} {
				h.post(room, "Alice", tc.line)
				if got := h.roomSaid(); !strings.Contains(got, tc.want) {
					t.Fatalf("%s: room told %q, want %q", tc.line, got, tc.want)
				}
			}
			h.post(room, "Alice", `/reply refund amount="12.50 EUR"`)
			if got := h.told(); got != "Your refund of 12.50 EUR is on its way, customer." {
				t.Fatalf("customer got %q", got)
			}
			// Set at runtime: ahead of the file, and kept across a restart,
			// as is a removal.
			h.d.setReply(&replies.Reply{Name: "hello", Text: "Hello {customer}!"}, nil)
			h.d.setReply(&replies.Reply{Name: "refund", Removed: true}, nil)
			h.settle()
			h.restart()
			h.out()
			h.post(room, "Alice", "/reply hello")
			if got := h.told(); got != "Hello customer!" {
				t.Fatalf("after a restart the customer got %q", got)
			}
			h.post(room, "Alice", "/reply refund amount=1")
			if got := h.roomSaid(); !strings.Contains(got, `There is no reply "refund"`) {
				t.Fatalf("a removed reply: %q", got)
			}
			rec, actions := h.stored(1)
			if !slices.Contains(actions, "reply") || rec.Status != core.Open {
				t.Fatalf("timeline %v", actions)
			}
		}},
		{"decline goes to the next", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.online("bob@localhost")
			h.queued()
			h.expectInvite("alice@localhost")
			h.decline(room, "alice@localhost")
			h.expectInvite("bob@localhost")
			if l := h.d.Router.Load("alice@localhost"); l != 0 {
				t.Fatalf("alice's load after declining = %d", l)
			}
		}},
		{"timeout goes to the next", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.online("bob@localhost")
			h.queued()
			h.expectInvite("alice@localhost")
			h.advance(29 * time.Second)
			if got := h.invited(); len(got) != 0 {
				t.Fatalf("offered %v before the timeout", got)
			}
			h.advance(2 * time.Second)
			h.expectInvite("bob@localhost")
			rec, actions := h.stored(1)
			if !slices.Contains(actions, "offer-timeout") || !slices.Contains(rec.Rejected, "alice@localhost") {
				t.Fatalf("timeline %v, rejected %v", actions, rec.Rejected)
			}
		}},
		{"rejection memory: declined agent only when nobody else", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.queued()
			h.expectInvite("alice@localhost")
			h.decline(room, "alice@localhost")
			// Nobody else qualifies: the offer comes back to alice.
			h.expectInvite("alice@localhost")
			h.online("bob@localhost")
			h.decline(room, "alice@localhost")
			h.expectInvite("bob@localhost")
		}},
		{"restart mid-offer keeps the declines", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.online("bob@localhost")
			h.queued()
			h.expectInvite("alice@localhost")
			h.decline(room, "alice@localhost")
			h.expectInvite("bob@localhost")
			// Both are back before the room is: alice would come first on
			// a tie, but she declined.
			h.restart(func() {
				h.online("alice@localhost")
				h.online("bob@localhost")
			})
			h.expectInvite("bob@localhost")
			if c := h.conv(1); c.Rec.Status != core.Offered || !slices.Contains(c.Route.Rejected, "alice@localhost") {
				t.Fatalf("after restart: %s, rejected %v", c.Rec.Status, c.Route.Rejected)
			}
		}},
		{"a feature used while queued counts", harnessAgents, func(t *testing.T, h *harness) {
			h.queued()
			h.in(`<message from='%s' to='support@help.localhost' type='chat'><body>see</body><x xmlns='jabber:x:oob'><url>https://x/a.png</url></x></message>`, customer)
			h.online("alice@localhost")
			if got := h.invited(); len(got) != 0 {
				t.Fatalf("offered to %v whose client lacks file links", got)
			}
			h.online("bob@localhost", wire.NSOOB)
			h.expectInvite("bob@localhost")
		}},
		{"transfer to a queue and back to a named agent", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.queued()
			h.expectInvite("alice@localhost")
			h.join(room, "alice@localhost", "Alice")
			h.online("bob@localhost")
			h.post(room, "Alice", "/transfer sales")
			h.expectInvite("bob@localhost")
			h.join(room, "bob@localhost", "Bob")
			c := h.conv(1)
			if c.Rec.Agent != "bob@localhost" || c.Route.Queue != "sales" || h.d.Router.Load("alice@localhost") != 0 || h.d.Router.Load("bob@localhost") != 1 {
				t.Fatalf("after the transfer: agent %s queue %s loads %d/%d", c.Rec.Agent, c.Route.Queue, h.d.Router.Load("alice@localhost"), h.d.Router.Load("bob@localhost"))
			}
			h.leave(room, "alice@localhost", "Alice")
			h.post(room, "Bob", "/transfer alice@localhost")
			h.expectInvite("alice@localhost") // named: her earlier hand-over does not count against her
			if c.Rec.TransferFrom != core.Open || c.Route.Agent != "alice@localhost" {
				t.Fatalf("transfer under way: from %q to %q", c.Rec.TransferFrom, c.Route.Agent)
			}
			h.decline(room, "alice@localhost")
			if c.Rec.Status != core.Open || c.Rec.Agent != "bob@localhost" || h.d.Router.Load("bob@localhost") != 1 || h.d.Router.Waiting(1) {
				t.Fatalf("after the decline: %s %s load %d", c.Rec.Status, c.Rec.Agent, h.d.Router.Load("bob@localhost"))
			}
		}},
		{"overflow once, restarts included", harnessAgents, func(t *testing.T, h *harness) {
			h.queued()
			h.advance(10*time.Minute + time.Second)
			c := h.conv(1)
			if c.Route.Queue != "general" || !c.Rec.Overflowed {
				t.Fatalf("queue %s overflowed %v", c.Route.Queue, c.Rec.Overflowed)
			}
			h.restart()
			h.advance(2 * time.Second)
			if c := h.conv(1); c.Route.Queue != "general" {
				t.Fatalf("overflowed again to %s", c.Route.Queue)
			}
			if _, actions := h.stored(1); strings.Count(strings.Join(actions, " "), "overflow") != 1 {
				t.Fatalf("timeline %v", actions)
			}
		}},
		{"reopen within the window, same agent", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			h.post(room, "Alice", "/close done")
			if l := h.d.Router.Load("alice@localhost"); l != 0 {
				t.Fatalf("load after close = %d", l)
			}
			h.out()
			h.advance(5 * time.Minute)
			h.say("one more thing")
			if got := h.told(); !strings.Contains(got, "chatting with alice again") {
				t.Fatalf("customer told %q", got)
			}
			if c := h.conv(1); c.Rec.Status != core.Open || h.d.Router.Load("alice@localhost") != 1 {
				t.Fatalf("after reopening: %s load %d", c.Rec.Status, h.d.Router.Load("alice@localhost"))
			}
		}},
		{"past the window a closed conversation goes", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			h.post(room, "Alice", "/close done")
			h.advance(31 * time.Minute)
			if h.d.Convs[1] != nil {
				t.Fatal("still held after the reopen window")
			}
			rec, _ := h.stored(1)
			if rec.Status != core.Closed || !rec.ReopenUntil.IsZero() {
				t.Fatalf("record %s until %v", rec.Status, rec.ReopenUntil)
			}
		}},
		{"lines accepted while the agent joins reach them once", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.queued()
			h.out()
			// Accepted but not committed when the agent joins: the store
			// holds the committer until the join is handled.
			hold := make(chan struct{})
			h.st.Submit(func(*store.Tx) error { <-hold; return nil }, nil)
			for _, l := range []string{"line-1", "line-2", "line-3"} {
				h.d.handle(core.EvStanzas{h.stanza(`<message from='` + customer + `' to='support@help.localhost' type='chat'><body>` + l + `</body></message>`)})
			}
			h.d.handle(core.EvStanzas{h.stanza(`<presence from='` + room + `/Alice' to='help.localhost/switchboard'><x xmlns='` + wire.NSMUCUser + `'><item affiliation='member' role='participant' jid='alice@localhost/desk'/></x></presence>`)})
			close(hold)
			h.say("line-4")
			var seen []string
			for _, s := range h.out() {
				if s.Type == "groupchat" {
					for _, l := range []string{"line-1", "line-2", "line-3", "line-4"} {
						if strings.Contains(s.Body, l) {
							seen = append(seen, l)
						}
					}
				}
			}
			if strings.Join(seen, " ") != "line-1 line-2 line-3 line-4" {
				t.Fatalf("the agent saw %v", seen)
			}
		}},
		{"reload changes an agent's skills while they hold a conversation", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			cfg := h.config(`
[[agent]]
jid = "alice@localhost"
skills = { sales = 4 }
max_chats = 2
`)
			if err := h.d.reload(cfg); err != nil {
				t.Fatal(err)
			}
			if a, _ := h.d.Roster.Get("alice@localhost"); a.Skills["sales"] != 4 || a.MaxChats != 2 {
				t.Fatalf("alice after reload: %+v", a)
			}
			if c := h.conv(1); c.Rec.Status != core.Open || h.d.Router.Load("alice@localhost") != 1 {
				t.Fatalf("conversation after reload: %s load %d", c.Rec.Status, h.d.Router.Load("alice@localhost"))
			}
			if h.d.Roster.Is("bob@localhost") {
				t.Fatal("bob is still an agent")
			}
			// Sales is alice's now: a new sales customer goes to her.
			h.post(room, "Alice", "/close done")
			h.out()
			h.advance(31 * time.Minute)
			h.say("hi")
			h.say("2")
			h.expectInvite("alice@localhost")
		}},
		{"a step whose write fails sends nothing and stores nothing", harnessAgents, func(t *testing.T, h *harness) {
			h.queued()
			h.out()
			c := h.conv(1)
			st := h.d.Step(c)
			st.Event("desk", "tag", "doomed")
			st.Message("desk", "doomed", "", false)
			st.Tell("you should never see this")
			st.Also(func(*store.Tx) error { return errors.New("disk full") })
			st.Commit()
			h.settle()
			if got := h.told(); got != "" {
				t.Fatalf("sent after a failed write: %q", got)
			}
			_, actions := h.stored(1)
			if slices.Contains(actions, "tag") {
				t.Fatalf("the failed step's event was stored: %v", actions)
			}
			// What the desk accepts next is stored and sent as ever.
			h.say("still there?")
			if rec, actions := h.stored(1); rec.Status != core.Queued || actions[len(actions)-1] != "message-in" {
				t.Fatalf("after the failure: %s %v", rec.Status, actions)
			}
		}},
		{"a room the server refuses, then allows: routed without a restart", harnessAgents, func(t *testing.T, h *harness) {
			h.refuse = "resource-constraint"
			h.online("alice@localhost")
			h.queued()
			if got := h.invited(); len(got) != 0 {
				t.Fatalf("offered %v without a room", got)
			}
			h.advance(70 * time.Second)
			var admin, customer string
			for _, s := range h.out() {
				switch wire.Bare(s.To) {
				case "boss@localhost":
					admin += s.Body
				case "customer@localhost":
					customer += s.Body
				}
			}
			if !strings.Contains(admin, "resource-constraint") || !strings.Contains(admin, "access_admin") {
				t.Fatalf("admins told %q", admin)
			}
			if !strings.Contains(customer, "takes longer than usual") {
				t.Fatalf("customer told %q", customer)
			}
			if !strings.Contains(h.d.queueText(), "Rooms the server refuses: case-1 (resource-constraint") {
				t.Fatalf("status: %s", h.d.queueText())
			}
			if c := h.conv(1); c.Room.Attempts < 6 {
				t.Fatalf("%d attempts in 70s", c.Room.Attempts)
			}
			h.refuse = ""
			h.advance(61 * time.Second)
			h.expectInvite("alice@localhost")
			if f := h.d.FailingRooms(); f != "" {
				t.Fatalf("still failing: %s", f)
			}
		}},
		{"one recap after a restart", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			h.say("are you there?")
			h.out()
			h.restart(func() { h.online("alice@localhost") })
			recaps := 0
			for _, s := range h.out() {
				if s.Type == "groupchat" && strings.Contains(s.Body, "Recap") {
					recaps++
				}
			}
			if recaps != 1 {
				t.Fatalf("%d recaps after the restart", recaps)
			}
			if c := h.conv(1); c.Rec.Status != core.Open || !c.Room.Has("alice@localhost") || h.d.Router.Load("alice@localhost") != 1 {
				t.Fatalf("after the restart: %s in room %v load %d", c.Rec.Status, c.Room.Has("alice@localhost"), h.d.Router.Load("alice@localhost"))
			}
		}},
		{"an invitation from before a restart still counts", harnessAgents, func(t *testing.T, h *harness) {
			h.online("alice@localhost")
			h.queued()
			h.expectInvite("alice@localhost")
			// She joins while the desk is down.
			h.occupants[room] = map[string]string{"Alice": "alice@localhost"}
			h.restart(func() { h.online("alice@localhost") })
			if c := h.conv(1); c.Rec.Status != core.Open || c.Rec.Agent != "alice@localhost" {
				t.Fatalf("after the restart: %s %s", c.Rec.Status, c.Rec.Agent)
			}
		}},
		{"reload refuses to strand a conversation", harnessAgents, func(t *testing.T, h *harness) {
			h.alicesConversation()
			cfg := h.config(`
[[agent]]
jid = "bob@localhost"
skills = { billing = 5 }
`)
			err := h.d.reload(cfg)
			if err == nil || !strings.Contains(err.Error(), "agent alice@localhost is removed but case-1 uses it") {
				t.Fatalf("err = %v", err)
			}
			if !h.d.Roster.Is("alice@localhost") || h.d.Cfg == cfg {
				t.Fatal("the refused configuration was applied")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newHarness(t, tc.agents))
		})
	}
}

// languagesConfig adds German texts and an entry point whose customers
// read German.
const languagesConfig = `
[[entry]]
localpart = "hilfe"
dialog = "main"
language = "de"

[texts.de]
queued = "Danke. {place} Schreiben Sie „{status}“."
queue_place = "Sie sind Nummer {place} in der Warteschlange; {wait}."
queue_place_update = "Sie sind jetzt Nummer {place} in der Warteschlange; {wait}."
wait_unknown = "wir wissen es noch nicht"
"dialog.main.start.say" = "Hallo!"
`
