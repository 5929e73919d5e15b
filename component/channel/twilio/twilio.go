package twilio

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"switchboard/component/channel"
	"switchboard/component/config"
	"switchboard/component/texts"
)

// Desk is what a Twilio channel hands what it takes to.
type Desk interface {
	channel.Desk
	channel.Reports
}

// Channel is one [[channel]] of kind twilio.
type Channel struct {
	Cfg     config.Channel
	Desk    Desk
	Files   *channel.Files
	Client  *http.Client
	Log     *slog.Logger
	Metrics *channel.Metrics
	// Lang is the language of the channel's entry point, for what the
	// voice channel says to callers.
	Lang func() *texts.Lang
}

// maxForm bounds a request's form: the provider's parameters, never a
// file.
const maxForm = 64 << 10

// ServeHTTP takes the provider's request at /hooks/twilio/NAME/WHAT.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	what := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if r.Method != http.MethodPost {
		c.refuse(w, http.StatusMethodNotAllowed, "bad_request", "POST only")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			c.refuse(w, http.StatusRequestEntityTooLarge, "too_large", "the request is over 64 KiB")
			return
		}
		c.refuse(w, http.StatusBadRequest, "bad_request", "the form does not parse")
		return
	}
	signed := c.Cfg.PublicURL + r.URL.Path
	if r.URL.RawQuery != "" {
		signed += "?" + r.URL.RawQuery
	}
	if !Valid(c.Cfg.AuthToken, signed, r.PostForm, r.Header.Get("X-Twilio-Signature")) {
		c.refuse(w, http.StatusForbidden, "bad_signature", "the X-Twilio-Signature does not match")
		return
	}
	switch what {
	case "sms":
		c.message(w, r)
	case "status":
		c.status(w, r)
	case "voice":
		c.voice(w, r)
	case "recording":
		c.recording(w, r)
	case "transcription":
		c.transcription(w, r)
	default:
		c.refuse(w, http.StatusNotFound, "unknown_channel", "no such endpoint")
	}
}

// refuse answers a request that is not taken, and counts it.
func (c *Channel) refuse(w http.ResponseWriter, code int, result, why string) {
	channel.Refuse(w, c.Metrics, c.Log, c.Cfg.Name, code, result, why)
}

// take hands in to the desk and answers the provider once it is durable:
// a failure answers 5xx, so that the provider tries again.
func (c *Channel) take(w http.ResponseWriter, r *http.Request, in channel.Inbound, reply func(http.ResponseWriter)) {
	_, status, result, why := channel.Take(r.Context(), c.Desk, in)
	if status != 0 {
		c.refuse(w, status, result, why.Error())
		return
	}
	c.Metrics.Count(c.Cfg.Name, result)
	reply(w)
}

// customer is the identity of a caller or sender: tel: and E.164.
func customer(from string) (string, bool) {
	n, ok := channel.Phone(from)
	return "tel:" + n, ok
}

// voiceLang is the language of the channel's entry point as a TwiML voice
// wants it: with a region ("de-DE"), the likeliest when it has none.
func (c *Channel) voiceLang() (*texts.Lang, string) {
	l := texts.English
	if c.Lang != nil {
		l = c.Lang()
	}
	t, err := language.Parse(l.Name())
	if err != nil {
		return l, "en-US"
	}
	base, _ := t.Base()
	region, _ := t.Region()
	return l, base.String() + "-" + region.String()
}

// publicURL is the public URL of this channel's endpoint what.
func (c *Channel) publicURL(what string, query url.Values) string {
	u := c.Cfg.PublicURL + "/hooks/twilio/" + c.Cfg.Name + "/" + what
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}
