package component_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/api"
	"switchboard/component/channel/twilio/twiliofake"
	"switchboard/component/config"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

// The channels on a real server, with the provider played by a fake that
// speaks its API and signs its webhook calls: SMS in and out, duplicates,
// dead letters, a restart mid-retry, voicemail in either order.

const (
	ourNumber = "+4930123456"
	caller1   = "+49301234567"
)

// smsEnv is an env with an SMS channel against a fake provider.
type smsEnv struct {
	*env
	provider *twiliofake.Provider
	caller   *twiliofake.Caller
}

func newSMSEnv(t *testing.T) *smsEnv {
	t.Helper()
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	p := &twiliofake.Provider{AccountSID: "AC0123", AuthToken: "tw-token"}
	ps := httptest.NewServer(p)
	t.Cleanup(ps.Close)
	public := "http://" + e.httpAddr
	f, err := os.OpenFile(e.cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, `
[[channel]]
name = "sms"
kind = "twilio"
entry = "support"
number = %q
account_sid = "AC0123"
auth_token = "tw-token"
api_url = %q
public_url = %q
max_attempts = 3
max_age = "2m"
`, ourNumber, ps.URL, public)
	f.Close()
	if e.cfg, err = config.Load(e.cfgPath); err != nil {
		t.Fatal(err)
	}
	return &smsEnv{env: e, provider: p, caller: &twiliofake.Caller{PublicURL: public, Channel: "sms", AccountSID: "AC0123", AuthToken: "tw-token", Number: ourNumber}}
}

// start runs the desk and points the caller at its HTTP side.
func (s *smsEnv) start() {
	s.startDesk()
	s.caller.Target = s.httpURL()
}

// httpURL is the base URL of the running desk's HTTP side.
func (e *env) httpURL() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.apiSrv == nil {
		e.apiSrv = httptest.NewServer(e.desk.Handler(e.reg))
	}
	return e.apiSrv.URL
}

// sms posts a signed SMS and fails unless it is taken.
func (s *smsEnv) sms(sid, from, text string, media ...string) {
	s.t.Helper()
	a, err := s.caller.SMS(ctx(), sid, from, text, media...)
	if err != nil || a.Status != http.StatusOK || !strings.Contains(a.Body, "<Response></Response>") {
		s.t.Fatalf("SMS %s: %+v, %v", sid, a, err)
	}
}

// sent waits for the provider's nth message and returns it.
func (s *smsEnv) sent(n int) twiliofake.Message {
	s.t.Helper()
	c, cancel := context.WithTimeout(ctx(), wait)
	defer cancel()
	msgs, err := s.provider.Wait(c, n)
	if err != nil {
		s.t.Fatal(err)
	}
	return msgs[n-1]
}

func TestSMS(t *testing.T) {
	s := newSMSEnv(t)
	s.start()
	alice := s.login("alice", xmppclient.Options{Features: []string{wire.NSOOB}})
	subscribed(t, alice)

	// A signed SMS: the dialog answers by SMS, from our number.
	s.sms("SM1", caller1, "my invoice is wrong")
	if m := s.sent(1); m.To != caller1 || m.From != ourNumber || !strings.HasPrefix(m.Body, "Hello! How can we help?") {
		t.Fatalf("first answer %+v", m)
	}
	// The provider's retry of the same message is answered alike and
	// stores nothing; a bad signature is refused.
	s.sms("SM1", caller1, "my invoice is wrong")
	bad := *s.caller
	bad.AuthToken = "wrong"
	if a, _ := bad.SMS(ctx(), "SM9", caller1, "forged"); a.Status != http.StatusForbidden {
		t.Fatalf("forged: %+v", a)
	}
	s.sms("SM2", caller1, "1")
	s.sent(2)
	s.sms("SM3", caller1, "123456")
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectRoom(t, alice, room, "my invoice is wrong")

	// The agent's answer goes to the provider; its delivery report goes
	// on the timeline.
	post(t, alice, room, "Hello, Alice from billing here.")
	var m twiliofake.Message
	for i := 3; ; i++ {
		if m = s.sent(i); m.Body == "Hello, Alice from billing here." {
			break
		}
	}
	if !strings.Contains(m.StatusCallback, "/hooks/twilio/sms/status?outbox=") {
		t.Fatalf("status callback %q", m.StatusCallback)
	}
	if a, err := s.caller.Status(ctx(), m.StatusCallback, m.SID, "delivered", ""); err != nil || a.Status != http.StatusOK {
		t.Fatalf("status: %+v %v", a, err)
	}

	// An MMS: the photo is fetched from the provider and linked in the
	// room; the link serves it.
	photo := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	path := s.provider.AddMedia("ME1", "image/png", photo)
	s.sms("SM4", caller1, "see the photo", strings.TrimSuffix(s.providerURL(), "/")+path)
	st := expectRoom(t, alice, room, "see the photo")
	if st.OOB == nil || !strings.Contains(st.OOB.URL, "/files/") {
		t.Fatalf("no link to the photo: %+v", st)
	}
	link := strings.Replace(st.OOB.URL, "http://"+s.httpAddr, s.httpURL(), 1)
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(got) != string(photo) || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("the link: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
	}
	if resp, _ := http.Get(link + "x"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a changed link: %d", resp.StatusCode)
	}

	// Two senders, five messages each, all at once: one conversation
	// each, every message once.
	var wg sync.WaitGroup
	for _, from := range []string{"+49301111111", "+49302222222"} {
		for i := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if a, err := s.caller.SMS(ctx(), fmt.Sprintf("SMc%s%d", from[1:], i), from, fmt.Sprintf("line %d", i)); err != nil || a.Status != http.StatusOK {
					t.Errorf("%s %d: %+v %v", from, i, a, err)
				}
			}()
		}
	}
	wg.Wait()
	_, body := s.api("GET", "/api/v1/conversations?customer=tel:%2B49301111111", "t0ken", "")
	var page api.ListPage
	if err := json.Unmarshal(body, &page); err != nil || len(page.Conversations) != 1 || page.Conversations[0].Channel != "sms" || page.Conversations[0].Address != "+49301111111" {
		t.Fatalf("conversations of one sender: %s", body)
	}

	s.drained()

	// The provider refuses an answer (400): dead at once, the room is
	// told, the API lists it; sent again once the number is fixed.
	s.provider.Fail(func(int) *twiliofake.Failure {
		return &twiliofake.Failure{Status: 400, Code: 21211, Message: "Invalid 'To' Phone Number"}
	})
	post(t, alice, room, "Are you still there?")
	expectRoom(t, alice, room, "21211: Invalid 'To' Phone Number")
	_, body = s.api("GET", "/api/v1/outbox?state=dead", "t0ken", "")
	var dead api.OutboxPage
	if err := json.Unmarshal(body, &dead); err != nil || len(dead.Entries) != 1 || dead.Entries[0].Body != "Are you still there?" || dead.Entries[0].Attempts != 1 {
		t.Fatalf("dead letters: %s", body)
	}
	s.provider.Fail(nil)
	before := len(s.provider.Sent())
	if code, body := s.api("POST", fmt.Sprintf("/api/v1/outbox/%d/retry", dead.Entries[0].ID), "t0ken", ""); code != http.StatusAccepted {
		t.Fatalf("retry: %d %s", code, body)
	}
	if m := s.sent(before + 1); m.Body != "Are you still there?" {
		t.Fatalf("sent again: %+v", m)
	}
	s.stopDesk()
	_, events, msgs := s.record(1)
	var actions []string
	for _, ev := range events {
		actions = append(actions, ev.Action)
	}
	joined := strings.Join(actions, " ")
	if !strings.Contains(joined, "delivered") || !strings.Contains(joined, "reply-failed") {
		t.Fatalf("timeline %s", joined)
	}
	n := 0
	for _, m := range msgs {
		if m.Body == "my invoice is wrong" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the first SMS is %d times in the transcript", n)
	}
}

// drained waits until the outbox has nothing pending.
func (s *smsEnv) drained() {
	s.t.Helper()
	deadline := time.Now().Add(wait)
	for {
		_, body := s.api("GET", "/api/v1/outbox?state=pending", "t0ken", "")
		var page api.OutboxPage
		if err := json.Unmarshal(body, &page); err != nil {
			s.t.Fatal(err)
		}
		if len(page.Entries) == 0 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the outbox holds %d pending entries", len(page.Entries))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// providerURL is the fake provider's base URL (its api_url).
func (s *smsEnv) providerURL() string {
	ch, _ := s.cfg.Channel("sms")
	return ch.APIURL
}

// TestSMSRetryAcrossRestart: the provider is down; the desk stops
// between attempts at an answer and starts again; every answer reaches
// the provider once.
func TestSMSRetryAcrossRestart(t *testing.T) {
	s := newSMSEnv(t)
	s.start()
	s.sms("SM1", caller1, "hello")
	s.sent(1)
	down := make(chan struct{})
	var once sync.Once
	s.provider.Fail(func(int) *twiliofake.Failure {
		once.Do(func() { close(down) })
		return &twiliofake.Failure{Status: 503, Code: 20503, Message: "Service Unavailable", RetryAfter: "1"}
	})
	s.sms("SM2", caller1, "2") // sales: the queue's answer fails
	select {
	case <-down:
	case <-time.After(wait):
		t.Fatal("the desk did not try the provider")
	}
	s.stopDesk()
	s.provider.Fail(nil)
	s.start()
	s.drained()
	time.Sleep(1500 * time.Millisecond) // nothing more comes
	seen := map[string]int{}
	for _, m := range s.provider.Sent() {
		seen[m.StatusCallback]++
	}
	if len(seen) < 2 {
		t.Fatalf("sent %+v", s.provider.Sent())
	}
	for cb, n := range seen {
		if n != 1 {
			t.Errorf("%s sent %d times", cb, n)
		}
	}
	if got := s.metric("switchboard_outbox_pending", ""); got != 0 {
		t.Errorf("switchboard_outbox_pending %v", got)
	}
}

// TestVoicemail: a call, its recording and its transcription, each
// callback twice and in either order, give one conversation of kind
// message with the audio and the transcript once; an SMS from the same
// number shares the customer's history.
func TestVoicemail(t *testing.T) {
	for _, order := range []string{"recording first", "transcription first"} {
		t.Run(order, func(t *testing.T) {
			s := newSMSEnv(t)
			s.start()
			alice := s.login("alice", xmppclient.Options{Features: []string{wire.NSOOB}})
			subscribed(t, alice)
			a, err := s.caller.Call(ctx(), "CA1", caller1)
			if err != nil || a.Status != http.StatusOK || !strings.Contains(a.Body, `<Record action="http://`+s.httpAddr+`/hooks/twilio/sms/recording"`) ||
				!strings.Contains(a.Body, `transcribe="true"`) || !strings.Contains(a.Body, "<Say") {
				t.Fatalf("TwiML: %+v %v", a, err)
			}
			audio := append([]byte("ID3\x03\x00"), make([]byte, 200)...)
			path := s.provider.AddMedia("RE1.mp3", "audio/mpeg", audio)
			recording := func() {
				a, err := s.caller.Recording(ctx(), "CA1", "RE1", caller1, strings.TrimSuffix(s.providerURL()+path, ".mp3"), 12)
				if err != nil || a.Status != http.StatusOK || !strings.Contains(a.Body, "<Hangup></Hangup>") {
					t.Fatalf("recording: %+v %v", a, err)
				}
			}
			transcription := func() {
				a, err := s.caller.Transcription(ctx(), "CA1", "RE1", "TR1", caller1, "please call me about order 123456")
				if err != nil || a.Status != http.StatusOK {
					t.Fatalf("transcription: %+v %v", a, err)
				}
			}
			steps := []func(){recording, transcription, recording, transcription}
			if order == "transcription first" {
				steps = []func(){transcription, recording, transcription, recording}
			}
			for _, step := range steps {
				step()
			}
			room := expectInvite(t, alice)
			join(t, alice, room, "Alice")
			// The recap has the transcript, the recording's length and a
			// link to it.
			recap := expectRoom(t, alice, room, "please call me about order 123456").Body
			if !strings.Contains(recap, "voicemail, 12 s") || !strings.Contains(recap, ".mp3?exp=") {
				t.Fatalf("recap %q", recap)
			}
			// No way back by voice: the agent is told, and answers by SMS.
			post(t, alice, room, "We will call you today.")
			expectRoom(t, alice, room, "/via sms")
			post(t, alice, room, "/via sms")
			post(t, alice, room, "We will call you at 3.")
			if m := s.sent(1); m.Body != "We will call you at 3." || m.To != caller1 {
				t.Fatalf("by SMS: %+v", m)
			}
			// An SMS from the same number later: its own conversation, the
			// same customer.
			s.sms("SM7", caller1, "any news?")
			post(t, alice, room, "/history")
			if h := expectRoom(t, alice, room, "case-2").Body; !strings.Contains(h, "by SMS") {
				t.Fatalf("history %q", h)
			}
			// The customer spans both channels in the API.
			code, body := s.api("GET", "/api/v1/customers/tel:"+caller1, "t0ken", "")
			var cv api.CustomerView
			if err := json.Unmarshal(body, &cv); err != nil || code != http.StatusOK || len(cv.Conversations) != 2 ||
				cv.Conversations[0].Channel != "sms" || cv.Conversations[1].Channel != "voice" {
				t.Fatalf("customer: %d %s", code, body)
			}
			s.stopDesk()
			c, _, msgs := s.record(1)
			if c.Kind != "message" || c.Channel != "voice" || c.Customer != "tel:"+caller1 {
				t.Fatalf("conversation %+v", c)
			}
			n := 0
			for _, m := range msgs {
				if m.From == "customer" {
					n++
				}
			}
			if n != 2 {
				t.Fatalf("%d customer lines, want the transcript and the recording: %+v", n, msgs)
			}
		})
	}
}
