package twilio

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"switchboard/component/channel"
	"switchboard/component/texts"
)

// message takes an SMS or MMS: From, Body, MessageSid, NumMedia,
// MediaUrlN and MediaContentTypeN.
func (c *Channel) message(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	sid := f.Get("MessageSid")
	who, ok := customer(f.Get("From"))
	if sid == "" || !ok {
		c.refuse(w, http.StatusBadRequest, "bad_request", "MessageSid and a From in E.164 are needed")
		return
	}
	in := channel.Inbound{Channel: "sms", Provider: c.Cfg.Name, Key: sid, Customer: who, Address: strings.TrimPrefix(who, "tel:"),
		Text: f.Get("Body"), Entry: c.Cfg.Entry, Queue: c.Cfg.Queue}
	n, _ := strconv.Atoi(f.Get("NumMedia"))
	for i := range min(max(n, 0), 10) {
		u, typ := f.Get(fmt.Sprintf("MediaUrl%d", i)), f.Get(fmt.Sprintf("MediaContentType%d", i))
		if len(in.Files) >= c.Files.Limits.MaxFiles {
			in.Files = append(in.Files, channel.File{Name: path.Base(u), Missing: "over the channel's limit of files per message"})
			continue
		}
		in.Files = append(in.Files, c.fetch(r.Context(), u, typ))
	}
	c.take(w, r, in, emptyResponse)
}

// fetch stores a medium the provider holds: only from the configured
// hosts, with the account's credentials, within the size limit.
func (c *Channel) fetch(ctx context.Context, raw, typ string) channel.File {
	f := channel.Fetcher{Files: c.Files, Client: c.Client, Hosts: c.Cfg.MediaHosts,
		Auth: func(r *http.Request) { r.SetBasicAuth(c.Cfg.AccountSID, c.Cfg.AuthToken) }}
	file := f.Fetch(ctx, raw, typ)
	if file.Missing != "" {
		c.Log.Warn("medium not stored", "channel", c.Cfg.Name, "why", file.Missing)
	}
	return file
}

// status takes a delivery report of a reply: MessageSid, MessageStatus,
// ErrorCode; the StatusCallback's query names the outbox entry.
func (c *Channel) status(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.URL.Query().Get("outbox"), 10, 64)
	if err != nil {
		c.refuse(w, http.StatusBadRequest, "bad_request", "no outbox entry named")
		return
	}
	st := r.PostForm.Get("MessageStatus")
	switch st {
	case "delivered", "failed", "undelivered":
	default:
		// queued, sending, sent: nothing for the timeline yet.
		c.Metrics.Count(c.Cfg.Name, "ok")
		emptyResponse(w)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	if err := c.Desk.Delivery(ctx, channel.Report{Outbox: id, ProviderID: r.PostForm.Get("MessageSid"), Status: st, Code: r.PostForm.Get("ErrorCode")}); err != nil {
		c.refuse(w, http.StatusServiceUnavailable, "unavailable", err.Error())
		return
	}
	c.Metrics.Count(c.Cfg.Name, "ok")
	emptyResponse(w)
}

// voice answers a call: a greeting, then a recording with transcription;
// the recording and the transcription come back separately.
func (c *Channel) voice(w http.ResponseWriter, r *http.Request) {
	l, lang := c.voiceLang()
	c.Metrics.Count(c.Cfg.Name, "ok")
	writeTwiML(w, response{Say: &say{Language: lang, Text: l.Get(texts.VoiceGreeting, nil)},
		Record: &record{Action: c.publicURL("recording", nil), Method: "POST", MaxLength: 180, PlayBeep: true, Transcribe: true,
			TranscribeCallback: c.publicURL("transcription", nil)}})
}

// recording takes a voicemail's recording (the Record's action): From,
// RecordingSid, RecordingUrl, RecordingDuration.
func (c *Channel) recording(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	rec := f.Get("RecordingSid")
	who, ok := customer(f.Get("From"))
	if rec == "" || !ok {
		c.refuse(w, http.StatusBadRequest, "bad_request", "RecordingSid and a From in E.164 are needed")
		return
	}
	in := channel.Inbound{Channel: "voice", Provider: c.Cfg.Name, Key: "recording:" + rec, Thread: rec, Kind: "message",
		Customer: who, Address: strings.TrimPrefix(who, "tel:"), Entry: c.Cfg.Entry, Queue: c.Cfg.Queue}
	secs, _ := strconv.Atoi(f.Get("RecordingDuration"))
	in.Note = fmt.Sprintf("voicemail, %d s", secs)
	if u := f.Get("RecordingUrl"); u != "" {
		file := c.fetch(r.Context(), u+".mp3", "audio/mpeg")
		if file.Name == "" || file.Name == "." || strings.HasPrefix(file.Name, "RE") && !strings.Contains(file.Name, ".") {
			file.Name = rec + ".mp3"
		}
		in.Files = append(in.Files, file)
	}
	l, lang := c.voiceLang()
	c.take(w, r, in, func(w http.ResponseWriter) {
		writeTwiML(w, response{Say: &say{Language: lang, Text: l.Get(texts.VoiceThanks, nil)}, Hangup: &struct{}{}})
	})
}

// transcription takes a voicemail's transcript: TranscriptionSid,
// TranscriptionText, RecordingSid (and From, which the provider sends
// with the call's parameters).
func (c *Channel) transcription(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	tr, rec := f.Get("TranscriptionSid"), f.Get("RecordingSid")
	if tr == "" || rec == "" {
		c.refuse(w, http.StatusBadRequest, "bad_request", "TranscriptionSid and RecordingSid are needed")
		return
	}
	who, _ := customer(f.Get("From"))
	in := channel.Inbound{Channel: "voice", Provider: c.Cfg.Name, Key: "transcription:" + tr, Thread: rec, Kind: "message",
		Text: f.Get("TranscriptionText"), Entry: c.Cfg.Entry, Queue: c.Cfg.Queue}
	if who != "tel:" {
		in.Customer, in.Address = who, strings.TrimPrefix(who, "tel:")
	}
	if f.Get("TranscriptionStatus") == "failed" || in.Text == "" {
		in.Note = "the transcription failed"
	}
	c.take(w, r, in, emptyResponse)
}

// TwiML, the provider's answer language.
type response struct {
	XMLName xml.Name  `xml:"Response"`
	Say     *say      `xml:"Say,omitempty"`
	Record  *record   `xml:"Record,omitempty"`
	Hangup  *struct{} `xml:"Hangup,omitempty"`
}

type say struct {
	Language string `xml:"language,attr,omitempty"`
	Text     string `xml:",chardata"`
}

type record struct {
	Action             string `xml:"action,attr"`
	Method             string `xml:"method,attr"`
	MaxLength          int    `xml:"maxLength,attr"`
	PlayBeep           bool   `xml:"playBeep,attr"`
	Transcribe         bool   `xml:"transcribe,attr"`
	TranscribeCallback string `xml:"transcribeCallback,attr"`
}

func writeTwiML(w http.ResponseWriter, r response) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	b, _ := xml.Marshal(r)
	w.Write([]byte(xml.Header))
	w.Write(b)
}

// emptyResponse is the answer to a message that needs none.
func emptyResponse(w http.ResponseWriter) { writeTwiML(w, response{}) }
