package hook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"switchboard/component/channel"
	"switchboard/store/outbox"
)

// Poster delivers outbox entries as JSON POSTs signed with Standard
// Webhooks: a hook channel's answers to its reply_url, the desk's events
// to a [[webhook]]. Every attempt at an entry has the same webhook-id.
type Poster struct {
	URL    string
	Secret string // the first of the configured secrets signs
	Client *http.Client
	Now    func() time.Time
}

// Reply is the body of an answer posted to a hook channel's reply_url.
type Reply struct {
	Type         string   `json:"type"` // "message.reply"
	Conversation uint64   `json:"conversation"`
	To           string   `json:"to"` // the sender's from.id
	Text         string   `json:"text"`
	Attachments  []string `json:"attachments,omitempty"`
}

// Deliver makes one attempt at e.
func (p *Poster) Deliver(ctx context.Context, e *outbox.Entry) channel.Result {
	body := []byte(e.Body)
	if e.Kind != outbox.Webhook {
		body, _ = json.Marshal(Reply{Type: "message.reply", Conversation: e.Conversation, To: e.To, Text: e.Body, Attachments: e.Media})
	}
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	id := e.EventID
	if id == "" {
		id = fmt.Sprintf("msg_sb%d", e.ID)
	}
	req, err := NewRequest(ctx, p.URL, p.Secret, id, now, body)
	if err != nil {
		return channel.Result{Err: fmt.Errorf("%w: %v", channel.ErrFinal, err)}
	}
	client := p.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return channel.Unreachable(err)
	}
	defer resp.Body.Close()
	said, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	detail := strings.TrimSpace(string(bytes.ToValidUTF8(said, nil)))
	return channel.Answered(resp, detail, now)
}

// NewRequest is a JSON POST of body to url, signed as message id at now
// with secret (Standard Webhooks' headers).
func NewRequest(ctx context.Context, url, secret, id string, now time.Time, body []byte) (*http.Request, error) {
	sig, err := Sign(secret, id, now, body)
	if err != nil {
		return nil, fmt.Errorf("the secret does not decode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", fmt.Sprint(now.Unix()))
	req.Header.Set("webhook-signature", sig)
	return req, nil
}
