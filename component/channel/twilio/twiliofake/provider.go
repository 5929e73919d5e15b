// Package twiliofake plays a Twilio-compatible provider on loopback, for
// tests, the demo and operators' smoke tests: Provider is its Messages
// API (what the desk sends, with the account's Basic auth checked) and
// its media; Caller makes the provider's signed webhook calls (an SMS, a
// voicemail's recording and transcription, a delivery report) as the
// provider would.
package twiliofake

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Silence is what the provider's recordings hold: an MP3 of silent
// frames after an ID3 tag.
var Silence = func() []byte {
	b := []byte("ID3\x03\x00\x00\x00\x00\x00\x00")
	frame := append([]byte{0xff, 0xfb, 0x90, 0x64}, make([]byte, 413)...)
	for range 38 {
		b = append(b, frame...)
	}
	return b
}()

// RecordingURL is where the provider keeps recording sid (without the
// extension the fetcher adds).
func RecordingURL(apiURL, account, sid string) string {
	return strings.TrimRight(apiURL, "/") + "/2010-04-01/Accounts/" + account + "/Recordings/" + sid
}

// Message is one message the desk asked the provider to send.
type Message struct {
	SID            string
	To, From, Body string
	Media          []string
	StatusCallback string
}

// Failure is how the provider answers a send it refuses: a status, the
// error code and message of its JSON body, and a Retry-After.
type Failure struct {
	Status     int
	Code       int
	Message    string
	RetryAfter string
}

// Provider is the provider's side the desk calls.
type Provider struct {
	AccountSID, AuthToken string
	// Print, when set, gets a line for every message sent (the demo).
	Print io.Writer
	// Taken, when set, is called with every message taken (the load
	// generator times them).
	Taken func(Message)

	mu    sync.Mutex
	sent  []Message
	calls int
	fail  func(n int) *Failure // n counts the sends, from 1
	media map[string]medium
	wake  chan struct{}
}

type medium struct {
	typ  string
	data []byte
}

// Fail has the provider refuse sends: fn gets each send's number (from
// 1) and returns how to refuse it, or nil to take it. nil fn takes all.
func (p *Provider) Fail(fn func(n int) *Failure) {
	p.mu.Lock()
	p.fail = fn
	p.mu.Unlock()
}

// AddMedia serves data as the medium at path (under /media/), behind
// the account's auth, and returns its path.
func (p *Provider) AddMedia(name, typ string, data []byte) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.media == nil {
		p.media = map[string]medium{}
	}
	p.media[name] = medium{typ, data}
	return "/media/" + name
}

// Sent returns the messages taken so far.
func (p *Provider) Sent() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.sent...)
}

// Calls counts the send requests, taken or refused.
func (p *Provider) Calls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

// Wait waits until n messages are taken, and returns them.
func (p *Provider) Wait(ctx context.Context, n int) ([]Message, error) {
	for {
		p.mu.Lock()
		if p.wake == nil {
			p.wake = make(chan struct{})
		}
		sent, wake := append([]Message(nil), p.sent...), p.wake
		p.mu.Unlock()
		if len(sent) >= n {
			return sent, nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return sent, fmt.Errorf("the provider got %d messages, want %d: %w", len(sent), n, ctx.Err())
		}
	}
}

// ServeHTTP is the provider's API: POST
// /2010-04-01/Accounts/SID/Messages.json, GET /media/NAME and GET
// /2010-04-01/Accounts/SID/Recordings/RE….mp3.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(p.AccountSID)) != 1 || subtle.ConstantTimeCompare([]byte(pass), []byte(p.AuthToken)) != 1 {
		answer(w, http.StatusUnauthorized, map[string]any{"code": 20003, "message": "Authenticate", "status": 401})
		return
	}
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/media/"):
		p.mu.Lock()
		m, ok := p.media[strings.TrimPrefix(r.URL.Path, "/media/")]
		p.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", m.typ)
		w.Write(m.data)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/2010-04-01/Accounts/"+p.AccountSID+"/Recordings/"):
		// Every recording is a second of silence.
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Write(Silence)
	case r.Method == http.MethodPost && r.URL.Path == "/2010-04-01/Accounts/"+p.AccountSID+"/Messages.json":
		p.send(w, r)
	default:
		answer(w, http.StatusNotFound, map[string]any{"code": 20404, "message": "The requested resource was not found", "status": 404})
	}
}

func (p *Provider) send(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		answer(w, http.StatusBadRequest, map[string]any{"code": 21100, "message": "bad form", "status": 400})
		return
	}
	f := r.PostForm
	p.mu.Lock()
	p.calls++
	var refusal *Failure
	if p.fail != nil {
		refusal = p.fail(p.calls)
	}
	if refusal != nil {
		p.mu.Unlock()
		if refusal.RetryAfter != "" {
			w.Header().Set("Retry-After", refusal.RetryAfter)
		}
		answer(w, refusal.Status, map[string]any{"code": refusal.Code, "message": refusal.Message, "status": refusal.Status})
		return
	}
	if f.Get("To") == "" || f.Get("Body") == "" && len(f["MediaUrl"]) == 0 {
		p.mu.Unlock()
		answer(w, http.StatusBadRequest, map[string]any{"code": 21602, "message": "Message body is required.", "status": 400})
		return
	}
	m := Message{SID: fmt.Sprintf("SM%032d", len(p.sent)+1), To: f.Get("To"), From: f.Get("From"), Body: f.Get("Body"),
		Media: f["MediaUrl"], StatusCallback: f.Get("StatusCallback")}
	p.sent = append(p.sent, m)
	if p.wake != nil {
		close(p.wake)
		p.wake = nil
	}
	print, taken := p.Print, p.Taken
	p.mu.Unlock()
	if taken != nil {
		taken(m)
	}
	if print != nil {
		fmt.Fprintf(print, "%s  SMS to %s: %s\n", time.Now().Format("15:04:05"), m.To, strings.ReplaceAll(m.Body, "\n", "\n          "))
		for _, u := range m.Media {
			fmt.Fprintf(print, "          with %s\n", u)
		}
	}
	answer(w, http.StatusCreated, map[string]any{"sid": m.SID, "status": "queued", "to": m.To, "from": m.From, "body": m.Body})
}

func answer(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
