package desk

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/channel"
	"switchboard/component/config"
	"switchboard/component/desk/webhooks"
	"switchboard/component/wire"
	"switchboard/store"
	"switchboard/store/outbox"
)

// The desk's channel decisions without a server: messages as the
// channels hand them in, answers as the outbox gets them.

const smsChannel = `
[[channel]]
name = "sms"
kind = "twilio"
entry = "support"
number = "+4930123456"
account_sid = "AC0123"
auth_token = "token"
api_url = "http://127.0.0.1:1"
public_url = "http://127.0.0.1:2"
`

const phone = "+49301234567"

// outgoing collects the outbox entries the desk hands the sender.
type outgoing struct {
	mu      sync.Mutex
	entries []*outbox.Entry
}

func (o *outgoing) add(e []*outbox.Entry) {
	o.mu.Lock()
	o.entries = append(o.entries, e...)
	o.mu.Unlock()
}

// bodies returns the bodies handed over since the last look.
func (o *outgoing) bodies() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var b []string
	for _, e := range o.entries {
		b = append(b, e.To+": "+e.Body)
	}
	o.entries = nil
	return b
}

func channelHarness(t *testing.T) (*harness, *outgoing) {
	h := newHarness(t, harnessAgents+smsChannel)
	o := &outgoing{}
	h.d.Outgoing = o.add
	h.d.Links = &channel.Links{Key: []byte("0123456789abcdef0123456789abcdef"), Base: "http://127.0.0.1:8080", TTL: time.Hour}
	return h, o
}

// inbound hands the desk a channel's message and runs the actor until
// it is answered.
func (h *harness) inbound(in channel.Inbound) (channel.Accepted, error) {
	h.t.Helper()
	type result struct {
		a   channel.Accepted
		err error
	}
	done := make(chan result, 1)
	go func() {
		a, err := h.d.Inbound(context.Background(), in)
		done <- result{a, err}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case r := <-done:
			h.settle()
			return r.a, r.err
		case ev := <-h.d.Events:
			h.d.handle(ev)
		case <-time.After(time.Millisecond):
			h.settle()
		}
	}
	h.t.Fatal("the desk did not answer the channel")
	return channel.Accepted{}, nil
}

func sms(sid, text string) channel.Inbound {
	return channel.Inbound{Channel: "sms", Provider: "sms", Key: sid, Customer: "tel:" + phone, Address: phone, Text: text, Entry: "support"}
}

func TestChannelSMS(t *testing.T) {
	h, o := channelHarness(t)
	a, err := h.inbound(sms("SM1", "my invoice is wrong"))
	if err != nil || a.Conversation != 1 || a.Duplicate {
		t.Fatalf("accepted %+v, %v", a, err)
	}
	if got := o.bodies(); len(got) != 1 || !strings.HasPrefix(got[0], phone+": Hello! How can we help?\n1) Billing") {
		t.Fatalf("the dialog went out as %q", got)
	}
	// The provider's retry of the same message: answered as the first,
	// nothing stored or said again.
	a, err = h.inbound(sms("SM1", "my invoice is wrong"))
	if err != nil || a.Conversation != 1 || !a.Duplicate || len(o.bodies()) != 0 {
		t.Fatalf("duplicate: %+v, %v", a, err)
	}
	h.online("alice@localhost")
	if _, err := h.inbound(sms("SM2", "1")); err != nil {
		t.Fatal(err)
	}
	h.expectInvite("alice@localhost")
	h.join(room, "alice@localhost", "Alice")
	h.out()
	o.bodies()
	h.post(room, "Alice", "Hello, let me look.")
	h.post(room, "Alice", "//the customer is a reseller")
	h.post(room, "Alice", "/note check the contract")
	if got := o.bodies(); len(got) != 1 || got[0] != phone+": Hello, let me look." {
		t.Fatalf("to the provider: %q", got)
	}
	rec, _ := h.stored(1)
	if rec.Channel != "sms" || rec.Address != phone || rec.Customer != "tel:"+phone || rec.Provider != "sms" {
		t.Fatalf("record %+v", rec)
	}
	var entries []*outbox.Entry
	h.st.View(func(tx *store.Tx) error {
		return outbox.Each(tx, "", 0, func(e *outbox.Entry) bool { entries = append(entries, e); return true })
	})
	for _, e := range entries {
		if strings.Contains(e.Body, "reseller") || strings.Contains(e.Body, "contract") {
			t.Fatalf("a private note is in the outbox: %+v", e)
		}
	}
	// A restart: the same sender's next message joins the conversation.
	h.restart()
	if a, _ := h.inbound(sms("SM3", "thanks")); a.Conversation != 1 {
		t.Fatalf("after a restart: %+v", a)
	}
	if a, _ := h.inbound(sms("SM2", "1")); !a.Duplicate {
		t.Fatalf("a key from before the restart: %+v", a)
	}
}

func TestChannelConcurrentMessages(t *testing.T) {
	h, _ := channelHarness(t)
	// Two messages of one sender handed in at once: one conversation.
	var wg sync.WaitGroup
	results := make(chan channel.Accepted, 2)
	for _, sid := range []string{"SMa", "SMb"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := h.d.Inbound(context.Background(), sms(sid, "hello "+sid))
			if err != nil {
				t.Error(err)
			}
			results <- a
		}()
	}
	for len(results) < 2 {
		select {
		case ev := <-h.d.Events:
			h.d.handle(ev)
		case <-time.After(time.Millisecond):
			h.settle()
		}
	}
	wg.Wait()
	a, b := <-results, <-results
	if a.Conversation != 1 || b.Conversation != 1 || len(h.d.Convs) != 1 {
		t.Fatalf("conversations %d and %d, %d live", a.Conversation, b.Conversation, len(h.d.Convs))
	}
}

func TestChannelVoicemail(t *testing.T) {
	for _, order := range []string{"recording first", "transcription first"} {
		t.Run(order, func(t *testing.T) {
			h, o := channelHarness(t)
			rec := channel.Inbound{Channel: "voice", Provider: "sms", Key: "recording:RE1", Thread: "RE1", Kind: store.KindMessage,
				Customer: "tel:" + phone, Address: phone, Entry: "support", Note: "voicemail, 12 s",
				Files: []channel.File{{ID: strings.Repeat("ab", 16), Name: "RE1.mp3", Type: "audio/mpeg", Size: 1000}}}
			tr := channel.Inbound{Channel: "voice", Provider: "sms", Key: "transcription:TR1", Thread: "RE1", Kind: store.KindMessage,
				Text: "please call me about my order", Entry: "support"}
			steps := []channel.Inbound{rec, tr, rec, tr}
			if order == "transcription first" {
				steps = []channel.Inbound{tr, rec, tr, rec}
			}
			for i, in := range steps {
				a, err := h.inbound(in)
				if err != nil || a.Conversation != 1 || a.Duplicate != (i >= 2) {
					t.Fatalf("step %d: %+v, %v", i, a, err)
				}
			}
			c := h.conv(1)
			if c.Rec.Kind != store.KindMessage || c.Rec.Customer != "tel:"+phone || c.Rec.Status != "queued" || c.Route.Queue != "billing" {
				t.Fatalf("conversation %+v queue %s", c.Rec, c.Route.Queue)
			}
			var msgs []store.Message
			h.st.View(func(tx *store.Tx) (err error) { msgs, err = tx.Transcript(1); return err })
			var lines []string
			for _, m := range msgs {
				if m.From == "customer" {
					lines = append(lines, m.Body+"|"+m.URL)
				}
			}
			slices.Sort(lines)
			if len(lines) != 2 || lines[0] != "(voicemail, 12 s)|/files/"+strings.Repeat("ab", 16)+"/RE1.mp3" || lines[1] != "please call me about my order|" {
				t.Fatalf("transcript %q", lines)
			}
			if got := o.bodies(); len(got) != 0 {
				t.Fatalf("a caller was answered: %q", got)
			}
			// The agent's answer has no way back: the room is told, and
			// /via sms answers by SMS.
			h.online("alice@localhost", wire.NSOOB) // the recording is a link
			h.expectInvite("alice@localhost")
			h.join(room, "alice@localhost", "Alice")
			h.out()
			h.post(room, "Alice", "We will call you.")
			if got := h.posted(); !strings.Contains(got, "voicemail") || !strings.Contains(got, "/via sms") {
				t.Fatalf("room told %q", got)
			}
			h.post(room, "Alice", "/via sms")
			h.post(room, "Alice", "We will call you at 3.")
			if got := o.bodies(); len(got) != 1 || got[0] != phone+": We will call you at 3." {
				t.Fatalf("by SMS: %q", got)
			}
		})
	}
}

func TestChannelOutboxReports(t *testing.T) {
	h, o := channelHarness(t)
	h.online("alice@localhost")
	h.inbound(sms("SM1", "hi"))
	h.inbound(sms("SM2", "1"))
	h.join(room, "alice@localhost", "Alice")
	o.bodies()
	h.post(room, "Alice", "Hello.")
	h.out()
	var e *outbox.Entry
	h.st.View(func(tx *store.Tx) error {
		return outbox.Each(tx, outbox.Pending, 0, func(x *outbox.Entry) bool { e = x; return false })
	})
	if e == nil || e.Body != "Hello." {
		t.Fatalf("entry %+v", e)
	}
	// The provider reports it failed: on the timeline, in the room.
	errc := make(chan error, 1)
	go func() {
		errc <- h.d.Delivery(context.Background(), channel.Report{Outbox: e.ID, ProviderID: "SMx", Status: "undelivered", Code: "30003"})
	}()
	h.runUntil(errc)
	if got := h.posted(); !strings.Contains(got, "undelivered (error 30003)") {
		t.Fatalf("room told %q", got)
	}
	// Given up: reply-failed, and the room is told how to send it again.
	e.State, e.Attempts, e.Error = outbox.Dead, 8, "answered 503"
	go func() { h.d.OutboxDone(e); errc <- nil }()
	h.runUntil(errc)
	if got := h.posted(); !strings.Contains(got, "after 8 attempts: answered 503") {
		t.Fatalf("room told %q", got)
	}
	_, actions := h.stored(1)
	if !slices.Contains(actions, "failed") || !slices.Contains(actions, "reply-failed") {
		t.Fatalf("timeline %v", actions)
	}
}

// runUntil runs the actor until errc delivers, and fails on an error.
func (h *harness) runUntil(errc chan error) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-errc:
			if err != nil {
				h.t.Fatal(err)
			}
			h.settle()
			return
		case ev := <-h.d.Events:
			h.d.handle(ev)
		case <-time.After(time.Millisecond):
			h.settle()
		}
	}
	h.t.Fatal("no answer")
}

func TestWebhookEvents(t *testing.T) {
	h, o := channelHarness(t)
	h.cfg.Webhooks = []config.Webhook{
		{URL: "http://127.0.0.1:9/all", Secrets: []string{"whsec_c2VjcmV0"}, Events: config.WebhookEvents},
		{URL: "http://127.0.0.1:9/closed", Secrets: []string{"whsec_c2VjcmV0"}, Events: []string{"conversation.closed"}},
	}
	h.online("alice@localhost")
	h.say("hello")
	h.say("1")
	h.join(room, "alice@localhost", "Alice")
	h.post(room, "Alice", "Hi there")
	h.post(room, "Alice", "//a private note")
	h.post(room, "Alice", "/close")
	h.say("5") // the rating
	events := map[string][]string{}
	o.mu.Lock()
	for _, e := range o.entries {
		if e.Kind != outbox.Webhook {
			continue
		}
		events[e.Channel] = append(events[e.Channel], e.Event)
		var ev webhooks.Event
		if err := json.Unmarshal([]byte(e.Body), &ev); err != nil || ev.Type != e.Event || ev.Data.Conversation.ID != 1 || !strings.HasPrefix(e.EventID, "msg_") {
			t.Fatalf("entry %+v: %v", e, err)
		}
		if ev.Data.Message != nil && strings.Contains(ev.Data.Message.Text, "private") {
			t.Fatalf("a private note went to a webhook: %s", e.Body)
		}
	}
	o.mu.Unlock()
	all := strings.Join(events["http://127.0.0.1:9/all"], " ")
	for _, want := range []string{"conversation.created", "conversation.queued", "conversation.assigned", "conversation.closed", "rating", "message.created"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s in %s", want, all)
		}
	}
	if got := strings.Join(events["http://127.0.0.1:9/closed"], " "); got != "conversation.closed" {
		t.Errorf("the closed-only webhook got %q", got)
	}
}

const formsChannel = `
[[channel]]
name = "forms"
kind = "hook"
queue = "billing"
secret = "whsec_c2VjcmV0"
`

// A form's sender typed the phone of an SMS customer: agents see the
// possible match, /link makes them one customer, /history lists both.
func TestChannelIdentities(t *testing.T) {
	h := newHarness(t, harnessAgents+smsChannel+formsChannel)
	h.d.Outgoing = (&outgoing{}).add
	h.online("alice@localhost")
	if _, err := h.inbound(sms("SM1", "hello")); err != nil {
		t.Fatal(err)
	}
	h.out()
	form := channel.Inbound{Channel: "hook:forms", Provider: "forms", Key: "msg_1", Customer: "hook:forms:message msg_1", Address: "message msg_1",
		Text: "please call me", Kind: store.KindMessage, Queue: "billing", Entry: "support", Email: "Ada@Example.com", Phone: "+49 30 1234567"}
	if a, err := h.inbound(form); err != nil || a.Conversation != 2 {
		t.Fatalf("%+v %v", a, err)
	}
	const room2 = "case-2@conference.localhost"
	h.expectInvite("alice@localhost")
	h.join(room2, "alice@localhost", "Alice")
	recap := h.posted()
	if !strings.Contains(recap, "Possible match: tel:"+phone+" (1 conversation) has the address tel:"+phone) || !strings.Contains(recap, "Channel: hook:forms") ||
		!strings.Contains(recap, "does not reach this customer") {
		t.Fatalf("recap %q", recap)
	}
	if c := h.conv(2); !slices.Equal(c.Rec.Typed, []string{"mailto:ada@example.com", "tel:" + phone}) {
		t.Fatalf("typed %v", c.Rec.Typed)
	}
	h.post(room2, "Alice", "/link tel:+49999")
	if got := h.posted(); !strings.Contains(got, "There is no customer tel:+49999") {
		t.Fatalf("/link unknown: %q", got)
	}
	h.post(room2, "Alice", "/link tel:"+phone)
	if got := h.posted(); !strings.Contains(got, "are one customer now") {
		t.Fatalf("/link: %q", got)
	}
	h.post(room2, "Alice", "/history")
	if got := h.posted(); !strings.Contains(got, "case-1") || !strings.Contains(got, "by SMS") {
		t.Fatalf("/history: %q", got)
	}
	_, actions := h.stored(2)
	if !slices.Contains(actions, "linked") {
		t.Fatalf("timeline %v", actions)
	}
}
