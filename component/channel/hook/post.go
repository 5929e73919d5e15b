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
	sig, err := Sign(p.Secret, id, now, body)
	if err != nil {
		return channel.Result{Err: fmt.Errorf("%w: the secret does not decode", channel.ErrFinal)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, bytes.NewReader(body))
	if err != nil {
		return channel.Result{Err: fmt.Errorf("%w: %v", channel.ErrFinal, err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", fmt.Sprint(now.Unix()))
	req.Header.Set("webhook-signature", sig)
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
