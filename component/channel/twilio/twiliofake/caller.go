package twiliofake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"switchboard/component/channel/twilio"
)

// Caller makes the provider's webhook calls to a channel, signed with
// its auth token as the provider signs them.
type Caller struct {
	// PublicURL is what the provider signs (the channel's public_url);
	// Target is where it posts, PublicURL when empty.
	PublicURL, Target string
	Channel           string // the [[channel]]'s name
	AccountSID        string
	AuthToken         string
	Number            string // the channel's number: the To of what comes in
	Client            *http.Client
}

// Answer is what the desk answered a call.
type Answer struct {
	Status int
	Body   string
}

// SID makes a provider id with prefix ("SM", "RE", "TR", "CA").
func SID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Post signs form for the channel's endpoint what (sms, voice,
// recording, transcription, status) with query and posts it.
func (c *Caller) Post(ctx context.Context, what string, query url.Values, form url.Values) (Answer, error) {
	path := "/hooks/twilio/" + c.Channel + "/" + what
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return c.post(ctx, strings.TrimRight(c.PublicURL, "/")+path, form)
}

// post signs form for the public URL u and posts it to where u's path is
// served.
func (c *Caller) post(ctx context.Context, u string, form url.Values) (Answer, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return Answer{}, err
	}
	target := u
	if c.Target != "" {
		target = strings.TrimRight(c.Target, "/") + pu.RequestURI()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twilio.Sign(c.AuthToken, u, form))
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return Answer{resp.StatusCode, string(b)}, nil
}

// SMS sends text from the number from as message sid, with media (URLs
// at the provider).
func (c *Caller) SMS(ctx context.Context, sid, from, text string, media ...string) (Answer, error) {
	f := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {c.AccountSID}, "From": {from}, "To": {c.Number},
		"Body": {text}, "NumMedia": {strconv.Itoa(len(media))}, "NumSegments": {"1"}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"}}
	for i, m := range media {
		f.Set(fmt.Sprintf("MediaUrl%d", i), m)
		f.Set(fmt.Sprintf("MediaContentType%d", i), "application/octet-stream")
	}
	return c.Post(ctx, "sms", nil, f)
}

// Call is an incoming call from from: the desk answers TwiML.
func (c *Caller) Call(ctx context.Context, callSid, from string) (Answer, error) {
	return c.Post(ctx, "voice", nil, c.callForm(callSid, from))
}

func (c *Caller) callForm(callSid, from string) url.Values {
	return url.Values{"CallSid": {callSid}, "AccountSid": {c.AccountSID}, "From": {from}, "Caller": {from}, "To": {c.Number},
		"Called": {c.Number}, "CallStatus": {"in-progress"}, "Direction": {"inbound"}, "ApiVersion": {"2010-04-01"}}
}

// Recording is the recording's callback (the Record's action) of call
// callSid: the audio at recordingURL, secs long.
func (c *Caller) Recording(ctx context.Context, callSid, recSid, from, recordingURL string, secs int) (Answer, error) {
	f := c.callForm(callSid, from)
	f.Set("RecordingSid", recSid)
	f.Set("RecordingUrl", recordingURL)
	f.Set("RecordingDuration", strconv.Itoa(secs))
	return c.Post(ctx, "recording", nil, f)
}

// Transcription is the transcription's callback of recording recSid.
func (c *Caller) Transcription(ctx context.Context, callSid, recSid, trSid, from, text string) (Answer, error) {
	f := c.callForm(callSid, from)
	f.Set("RecordingSid", recSid)
	f.Set("TranscriptionSid", trSid)
	f.Set("TranscriptionText", text)
	f.Set("TranscriptionStatus", "completed")
	return c.Post(ctx, "transcription", nil, f)
}

// Status reports on message sid at its StatusCallback: delivered, or
// failed/undelivered with an error code.
func (c *Caller) Status(ctx context.Context, callback, sid, status, code string) (Answer, error) {
	f := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {c.AccountSID}, "MessageStatus": {status}, "SmsStatus": {status}, "To": {""}, "From": {c.Number}}
	if code != "" {
		f.Set("ErrorCode", code)
	}
	return c.post(ctx, callback, f)
}
