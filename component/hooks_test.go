package component_test

import (
	"bytes"
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

	"switchboard/component/channel/hook"
	"switchboard/component/config"
	"switchboard/component/desk/webhooks"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

const hookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// receiver is a company's backend: it takes signed posts (the hook
// channel's replies, the webhooks' events) and checks them.
type receiver struct {
	t    *testing.T
	mu   sync.Mutex
	got  []receivedPost
	wake chan struct{}
}

type receivedPost struct {
	path, id string
	body     []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	v, err := hook.NewVerifier([]string{hookSecret}, r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), time.Now())
	if err != nil {
		rc.t.Errorf("%s: %v", r.URL.Path, err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	v.Write(body)
	if !v.Valid(r.Header.Get("webhook-signature")) {
		rc.t.Errorf("%s: the signature does not verify", r.URL.Path)
		w.WriteHeader(http.StatusForbidden)
		return
	}
	rc.mu.Lock()
	rc.got = append(rc.got, receivedPost{r.URL.Path, r.Header.Get("webhook-id"), body})
	if rc.wake != nil {
		close(rc.wake)
		rc.wake = nil
	}
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// await waits for a post to path whose body contains part.
func (rc *receiver) await(path, part string) receivedPost {
	rc.t.Helper()
	deadline := time.After(wait)
	for {
		rc.mu.Lock()
		for _, p := range rc.got {
			if p.path == path && bytes.Contains(p.body, []byte(part)) {
				rc.mu.Unlock()
				return p
			}
		}
		if rc.wake == nil {
			rc.wake = make(chan struct{})
		}
		wake := rc.wake
		rc.mu.Unlock()
		select {
		case <-wake:
		case <-deadline:
			rc.t.Fatalf("no post to %s containing %q", path, part)
		}
	}
}

// TestHookChannel: a company's backend posts a signed JSON message with
// an attachment; it reaches the agent's room; the agent's answer is
// posted signed to the channel's reply_url; the webhooks hear of the
// conversation's life, each event once. A stale or forged post is
// refused and stores nothing.
func TestHookChannel(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"})
	rc := &receiver{t: t}
	backend := httptest.NewServer(rc)
	t.Cleanup(backend.Close)
	f, err := os.OpenFile(e.cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, `
[[channel]]
name = "portal"
kind = "hook"
entry = "support"
queue = "billing"
secret = %q
reply_url = "%s/replies"

[[webhook]]
url = "%s/events"
secret = %q
events = ["conversation.created", "conversation.assigned", "message.created"]
`, hookSecret, backend.URL, backend.URL, hookSecret)
	f.Close()
	if e.cfg, err = config.Load(e.cfgPath); err != nil {
		t.Fatal(err)
	}
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{Features: []string{wire.NSOOB}})
	subscribed(t, alice)

	body := []byte(`{"from": {"id": "u-17", "name": "Ada", "email": "ada@example.com"}, "text": "where is my parcel?",
		"attachments": [{"data": "aGVsbG8gd29ybGQ=", "name": "note.txt", "type": "text/plain"}]}`)
	// postSigned posts body with the headers of another one's signature.
	postSigned := func(id string, ts time.Time, body []byte, signed []byte) (int, string) {
		req, err := hook.NewRequest(context.Background(), e.httpURL()+"/hooks/portal", hookSecret, id, ts, signed)
		if err != nil {
			t.Fatal(err)
		}
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	postHook := func(id string, ts time.Time, body []byte) (int, string) { return postSigned(id, ts, body, body) }
	if code, b := postHook("msg_1", time.Now(), body); code != http.StatusCreated || !strings.Contains(b, `"conversation":1`) {
		t.Fatalf("post: %d %s", code, b)
	}
	if code, b := postHook("msg_1", time.Now(), body); code != http.StatusCreated || !strings.Contains(b, `"conversation":1`) {
		t.Fatalf("the same webhook-id again: %d %s", code, b)
	}
	if code, _ := postHook("msg_2", time.Now().Add(-time.Hour), body); code != http.StatusUnauthorized {
		t.Fatalf("stale: %d", code)
	}
	if code, _ := postSigned("msg_3", time.Now(), bytes.Replace(body, []byte("parcel"), []byte("refund"), 1), body); code != http.StatusForbidden {
		t.Fatalf("a changed body: %d", code)
	}
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	recap := expectRoom(t, alice, room, "where is my parcel?").Body
	if !strings.Contains(recap, "/files/") || !strings.Contains(recap, "note.txt") {
		t.Fatalf("recap %q", recap)
	}
	post(t, alice, room, "It leaves today.")
	reply := rc.await("/replies", "It leaves today.")
	var r hook.Reply
	if err := json.Unmarshal(reply.body, &r); err != nil || r.To != "u-17" || r.Conversation != 1 || r.Type != "message.reply" {
		t.Fatalf("reply %s", reply.body)
	}
	rc.await("/events", `"conversation.assigned"`)
	msg := rc.await("/events", "It leaves today.")
	var ev webhooks.Event
	if err := json.Unmarshal(msg.body, &ev); err != nil || ev.Type != "message.created" || ev.Data.Conversation.Channel != "hook:portal" || ev.Data.Message.From != "alice@localhost" {
		t.Fatalf("event %s", msg.body)
	}
	created := rc.await("/events", `"conversation.created"`)
	rc.mu.Lock()
	n := 0
	for _, p := range rc.got {
		if bytes.Contains(p.body, []byte(`"conversation.created"`)) {
			n++
		}
	}
	rc.mu.Unlock()
	if n != 1 || !strings.HasPrefix(created.id, "msg_") {
		t.Fatalf("conversation.created %d times, id %q", n, created.id)
	}
}
