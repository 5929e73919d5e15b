package component_test

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/api"
	"switchboard/component/config"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
	"switchboard/store/report"
)

// TestCannedReplies: /reply fills a reply from the config file and one set
// through the API, with and without its placeholders; what cannot be
// filled reaches nobody but the room.
func TestCannedReplies(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	alice, cust, room := assigned(t, e)
	cmd := func(body, answer string) {
		t.Helper()
		post(t, alice, room, body)
		expectRoom(t, alice, room, answer)
	}

	post(t, alice, room, "/reply thanks")
	expectChat(t, cust, entry, "Thanks, customer! Alice will sort out order 123456.")

	cmd("/reply refund amount=1", `There is no reply "refund"`)
	code, body := e.api("PUT", "/api/v1/replies/refund", "t0ken", `{"text": "Your refund of {amount} is on its way, {customer}."}`)
	var v api.ReplyView
	if code != 200 || json.Unmarshal(body, &v) != nil || strings.Join(v.Placeholders, ",") != "amount,customer" || !v.Runtime {
		t.Fatalf("PUT reply = %d %s", code, body)
	}
	cmd("/reply refund", "no value for {amount}: nothing was sent to the customer")
	cmd("/reply refund amount={customer}", "a value may not contain { or }")
	post(t, alice, room, "/reply refund amount=12.50")
	expectChat(t, cust, entry, "Your refund of 12.50 is on its way, customer.")
	cmd("/replies", "thanks: Thanks, {customer}!")

	for _, bad := range []string{`{"text": "oops {"}`, `{"text": ""}`, `{"txt": "x"}`} {
		if code, body := e.api("PUT", "/api/v1/replies/broken", "t0ken", bad); code != 400 {
			t.Errorf("PUT %s = %d %s", bad, code, body)
		}
	}
	if code, body := e.api("PUT", "/api/v1/replies/Bad", "t0ken", `{"text": "x"}`); code != 400 || !strings.Contains(string(body), "lower-case") {
		t.Errorf("PUT a bad name = %d %s", code, body)
	}
	// A reply from the file deleted at runtime stays deleted.
	if code, _ := e.api("DELETE", "/api/v1/replies/thanks", "t0ken", ""); code != 204 {
		t.Fatalf("DELETE = %d", code)
	}
	if code, _ := e.api("GET", "/api/v1/replies/thanks", "t0ken", ""); code != 404 {
		t.Fatalf("GET a deleted reply = %d", code)
	}
	e.stopDesk()
	e.startDesk()
	join(t, alice, room, "Alice")
	cmd("/reply thanks", `There is no reply "thanks"`)
	if code, body := e.api("GET", "/api/v1/replies", "t0ken", ""); code != 200 || !strings.Contains(string(body), "refund") || strings.Contains(string(body), `"thanks"`) {
		t.Fatalf("GET replies = %d %s", code, body)
	}
	// The conversation closed, the day's report has it, with its first
	// reply and handle time.
	post(t, alice, room, "/close refund sent")
	today := time.Now().Format("2006-01-02")
	var rep report.Report
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		code, body = e.api("GET", "/api/v1/reports?by=agent&from="+today+"&to="+today, "t0ken", "")
		if code != 200 || json.Unmarshal(body, &rep) != nil || rep.Total.Ended > 0 {
			break
		}
	}
	if code != 200 || rep.Total.Ended != 1 || rep.Total.Answered != 1 || rep.Total.FirstReply.N != 1 || rep.Total.Handle.N != 1 ||
		len(rep.Rows) != 1 || rep.Rows[0].Key != "alice@localhost" {
		t.Fatalf("report = %d %s", code, body)
	}
	if code, body := e.api("GET", "/api/v1/reports?from="+today+"&to=2020-01-01", "t0ken", ""); code != 400 || !strings.Contains(string(body), "from must be before to") {
		t.Errorf("a backwards report = %d %s", code, body)
	}
	// Nothing of the refused ones reached the customer.
	noMessage(t, cust, time.Second, "a refused reply", func(s wire.Stanza) bool {
		return strings.Contains(s.Body, "{") || strings.Contains(s.Body, "nothing was sent")
	})
}

// TestReplyTimeReminder: a customer's line unanswered for the queue's
// first_reply reminds the agent in the room; at twice that a supervisor
// gets a chat; the customer sees neither.
func TestReplyTimeReminder(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 0\nsupervisors = [\"sue@localhost\"]", "30s", map[string]string{"alice": "billing = 7"}, "customer", "sue")
	text, err := os.ReadFile(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	text = []byte(strings.Replace(string(text), "name = \"billing\"\n", "name = \"billing\"\nfirst_reply = \"10s\"\n", 1))
	if err := os.WriteFile(e.cfgPath, text, 0o600); err != nil {
		t.Fatal(err)
	}
	if e.cfg, err = config.Load(e.cfgPath); err != nil {
		t.Fatal(err)
	}
	sue := e.login("sue", xmppclient.Options{})
	alice, cust, room := assigned(t, e)
	say(t, cust, "hello? anyone?")
	if _, err := alice.Expect(20*time.Second, "the reminder", func(s wire.Stanza) bool {
		return s.Type == "groupchat" && strings.Contains(s.Body, "The customer has waited 10s for a first answer.")
	}); err != nil {
		t.Fatal(err)
	}
	s, err := sue.Expect(20*time.Second, "the supervisor's chat", func(s wire.Stanza) bool {
		return s.Type == "chat" && strings.Contains(s.Body, "the customer has waited 20s for a first answer")
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Body, room) {
		t.Errorf("the supervisor was not told the room: %q", s.Body)
	}
	noMessage(t, cust, time.Second, "a reminder", func(s wire.Stanza) bool { return strings.Contains(s.Body, "waited") })
	if n := e.metric("switchboard_reply_breaches_total", "first_reply"); n != 1 {
		t.Errorf("switchboard_reply_breaches_total{kind=first_reply} = %v", n)
	}
}

// TestSupervisor: a supervisor who is not an agent sees the floor, joins a
// conversation silently (the customer gets nothing of it), and takes it
// over.
func TestSupervisor(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 0\nsupervisors = [\"sue@localhost\"]", "30s", map[string]string{"alice": "billing = 7"}, "customer", "sue")
	var mu sync.Mutex
	var got []string
	alice, cust, room := assignedWatching(t, e, func(s wire.Stanza) {
		mu.Lock()
		got = append(got, s.Body)
		mu.Unlock()
	})
	sue := e.login("sue", xmppclient.Options{})
	if err := sue.Message(ctx(), "desk@help.localhost", "floor"); err != nil {
		t.Fatal(err)
	}
	expectChat(t, sue, "desk@help.localhost", "case-1: Alice, billing, for ")
	if err := sue.Message(ctx(), "desk@help.localhost", "join 1"); err != nil {
		t.Fatal(err)
	}
	if r := expectInvite(t, sue); r != room {
		t.Fatalf("sue invited to %s, want %s", r, room)
	}
	join(t, sue, room, "Sue")
	expectRoom(t, sue, room, "Recap for sue (supervising)")
	post(t, sue, room, "SUE-SILENT what is going on here")
	expectRoom(t, sue, room, "You are supervising")
	post(t, alice, room, "ALICE-1 one moment")
	expectChat(t, cust, entry, "ALICE-1")
	post(t, sue, room, "/takeover")
	expectChat(t, cust, entry, "You are now chatting with sue.")
	post(t, sue, room, "SUE-2 I can help")
	expectChat(t, cust, entry, "SUE-2")
	mu.Lock()
	defer mu.Unlock()
	for _, b := range got {
		if strings.Contains(b, "SUE-SILENT") || strings.Contains(b, "supervis") {
			t.Errorf("the customer got %q", b)
		}
	}
}

// TestVIP: a VIP customer who queues second is told they are first, and is
// offered first (alice takes one at a time: one offer goes out).
func TestVIP(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 0\nvip = [\"vip@localhost\"]", "30s", map[string]string{"alice": "billing = 7; 1"}, "plain", "vip")
	e.startDesk()
	plain := e.login("plain", xmppclient.Options{})
	billingQuestion(t, plain, "111111")
	expectChat(t, plain, entry, "You are number 1 in the queue")
	vip := e.login("vip", xmppclient.Options{})
	billingQuestion(t, vip, "222222")
	expectChat(t, vip, entry, "You are number 1 in the queue")
	say(t, plain, "status")
	expectChat(t, plain, entry, "You are number 2 in the queue;")
	// Both rooms ready (routing takes a conversation once its room is),
	// then an agent comes.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		code, body := e.api("GET", "/api/v1/status", "t0ken", "")
		if code == 200 && strings.Contains(string(body), `"waiting": 2`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status = %d %s", code, body)
		}
	}
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	if r := expectInvite(t, alice); r != "case-2@conference.localhost" {
		t.Fatalf("first offer: %s, want the VIP's case-2", r)
	}
}

// TestCustomerTimeout: a customer silent in the dialog is told and let go;
// one silent after the agent's answer has left, and the agent is freed.
func TestCustomerTimeout(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 0\ncustomer_timeout = \"3s\"", "30s", map[string]string{"alice": "billing = 7"}, "customer", "quiet")
	e.startDesk()
	quiet := e.login("quiet", xmppclient.Options{})
	say(t, quiet, "hi")
	expectChat(t, quiet, entry, "We have not heard from you for 3 seconds")
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	cust := e.login("customer", xmppclient.Options{})
	billingQuestion(t, cust, "123456")
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectChat(t, cust, entry, "chatting with Alice")
	post(t, alice, room, "Anything else?")
	expectChat(t, cust, entry, "Anything else?")
	expectRoom(t, alice, room, "customer left")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		code, body := e.api("GET", "/api/v1/conversations/2", "t0ken", "")
		var v api.ConversationView
		if code == 200 && json.Unmarshal(body, &v) == nil && v.Status == "closed" && v.Resolution == "customer left" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("conversation 2 = %d %s", code, body)
		}
	}
}
