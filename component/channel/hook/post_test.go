package hook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"switchboard/component/channel"
	"switchboard/store/outbox"
)

// The receiving side checks what a Poster sends as any Standard Webhooks
// library would; the same webhook-id comes on every attempt.
func TestPoster(t *testing.T) {
	var mu sync.Mutex
	var ids []string
	status := http.StatusServiceUnavailable
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v, err := NewVerifier([]string{secret}, r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), now)
		if err != nil {
			t.Errorf("headers: %v", err)
		}
		v.Write(body)
		if !v.Valid(r.Header.Get("webhook-signature")) {
			t.Errorf("the signature does not verify")
		}
		var reply Reply
		if err := json.Unmarshal(body, &reply); err != nil || reply.Type != "message.reply" || reply.To != "u-17" || reply.Text != "Hello" || reply.Conversation != 4 {
			t.Errorf("body %s", body)
		}
		mu.Lock()
		ids = append(ids, r.Header.Get("webhook-id"))
		code := status
		mu.Unlock()
		if code != http.StatusOK {
			w.Header().Set("Retry-After", "7")
		}
		w.WriteHeader(code)
		io.WriteString(w, "busy")
	}))
	defer srv.Close()
	p := &Poster{URL: srv.URL, Secret: secret, Now: func() time.Time { return now }}
	e := &outbox.Entry{ID: 9, Kind: outbox.Reply, Conversation: 4, To: "u-17", Body: "Hello"}
	r := p.Deliver(context.Background(), e)
	if r.Err == nil || !r.Retry || r.After.Seconds() != 7 {
		t.Fatalf("503: %+v", r)
	}
	mu.Lock()
	status = http.StatusBadRequest
	mu.Unlock()
	if r := p.Deliver(context.Background(), e); r.Retry || !errors.Is(r.Err, channel.ErrFinal) {
		t.Fatalf("400: %+v", r)
	}
	mu.Lock()
	status = http.StatusOK
	mu.Unlock()
	if r := p.Deliver(context.Background(), e); r.Err != nil {
		t.Fatalf("200: %+v", r)
	}
	if len(ids) != 3 || ids[0] != ids[1] || ids[1] != ids[2] {
		t.Fatalf("webhook-ids %v", ids)
	}
}
