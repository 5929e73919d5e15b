package twilio

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"switchboard/component/channel"
	"switchboard/component/config"
)

// desk takes what the channel hands it, each key once.
type desk struct {
	mu      sync.Mutex
	got     []channel.Inbound
	reports []channel.Report
}

func (d *desk) Inbound(_ context.Context, in channel.Inbound) (channel.Accepted, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, g := range d.got {
		if g.Key == in.Key {
			return channel.Accepted{Conversation: uint64(i + 1), Duplicate: true}, nil
		}
	}
	d.got = append(d.got, in)
	return channel.Accepted{Conversation: uint64(len(d.got))}, nil
}

func (d *desk) Delivery(_ context.Context, r channel.Report) error {
	d.mu.Lock()
	d.reports = append(d.reports, r)
	d.mu.Unlock()
	return nil
}

const public = "https://help.example.com"

func newChannel(t testing.TB, d *desk, media *httptest.Server) *Channel {
	hosts := []string{"127.0.0.2"}
	if media != nil {
		u, _ := url.Parse(media.URL)
		hosts = []string{u.Hostname()}
	}
	return &Channel{Cfg: config.Channel{Name: "sms", Kind: "twilio", Entry: "support", Number: "+4930123456", AccountSID: "AC1", AuthToken: "tok",
		PublicURL: public, MediaHosts: hosts},
		Desk: d, Files: &channel.Files{Dir: t.TempDir(), Limits: channel.Limits{MaxSize: 1 << 20, MaxFiles: 2}},
		Client: http.DefaultClient, Log: slog.New(slog.DiscardHandler)}
}

// post signs form for path (and query) as the provider would.
func post(c *Channel, path string, form url.Values, sig string) *httptest.ResponseRecorder {
	if sig == "" {
		sig = Sign("tok", public+path, form)
	}
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sig != "-" { // "-": none
		r.Header.Set("X-Twilio-Signature", sig)
	}
	w := httptest.NewRecorder()
	c.ServeHTTP(w, r)
	return w
}

func TestSMSAndMMS(t *testing.T) {
	media := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, _ := r.BasicAuth(); u != "AC1" || p != "tok" {
			http.Error(w, "auth", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n0000"))
	}))
	defer media.Close()
	d := &desk{}
	c := newChannel(t, d, media)
	form := url.Values{"MessageSid": {"SM1"}, "From": {"+49301234567"}, "To": {"+4930123456"}, "Body": {"see the photo"}, "NumMedia": {"2"},
		"MediaUrl0": {media.URL + "/ME1"}, "MediaContentType0": {"image/png"}, "MediaUrl1": {"https://evil.example/x.png"}}
	w := post(c, "/hooks/twilio/sms/sms", form, "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<Response></Response>") {
		t.Fatalf("answer %d %s", w.Code, w.Body)
	}
	in := d.got[0]
	if in.Channel != "sms" || in.Key != "SM1" || in.Customer != "tel:+49301234567" || in.Address != "+49301234567" || in.Text != "see the photo" {
		t.Fatalf("inbound %+v", in)
	}
	if len(in.Files) != 2 || in.Files[0].Type != "image/png" || in.Files[0].Missing != "" || !strings.Contains(in.Files[1].Missing, "evil.example is not one of the channel's media hosts") {
		t.Fatalf("files %+v", in.Files)
	}
	// The status callback names the outbox entry in its query, which is
	// signed too.
	w = post(c, "/hooks/twilio/sms/status?outbox=7", url.Values{"MessageSid": {"SMx"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}}, "")
	if w.Code != http.StatusOK || len(d.reports) != 1 || d.reports[0] != (channel.Report{Outbox: 7, ProviderID: "SMx", Status: "undelivered", Code: "30003"}) {
		t.Fatalf("status: %d, %+v", w.Code, d.reports)
	}
	signed := Sign("tok", public+"/hooks/twilio/sms/status?outbox=7", url.Values{"MessageSid": {"SMx"}, "MessageStatus": {"delivered"}})
	if w := post(c, "/hooks/twilio/sms/status?outbox=8", url.Values{"MessageSid": {"SMx"}, "MessageStatus": {"delivered"}}, signed); w.Code != http.StatusForbidden {
		t.Fatalf("another entry's query: %d", w.Code)
	}
}

func TestRefusals(t *testing.T) {
	ok := url.Values{"MessageSid": {"SM1"}, "From": {"+49301234567"}, "Body": {"hi"}}
	for _, tc := range []struct {
		name, path string
		form       url.Values
		sig        string
		want       int
	}{
		{"bad signature", "/hooks/twilio/sms/sms", ok, "AAAA", http.StatusForbidden},
		{"no signature", "/hooks/twilio/sms/sms", ok, "-", http.StatusForbidden},
		{"no From", "/hooks/twilio/sms/sms", url.Values{"MessageSid": {"SM1"}, "Body": {"hi"}}, "", http.StatusBadRequest},
		{"From not a number", "/hooks/twilio/sms/sms", url.Values{"MessageSid": {"SM1"}, "From": {"anonymous"}}, "", http.StatusBadRequest},
		{"unknown endpoint", "/hooks/twilio/sms/fax", ok, "", http.StatusNotFound},
		{"too large", "/hooks/twilio/sms/sms", url.Values{"MessageSid": {"SM1"}, "From": {"+49301234567"}, "Body": {strings.Repeat("x", 70<<10)}}, "", http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &desk{}
			w := post(newChannel(t, d, nil), tc.path, tc.form, tc.sig)
			if w.Code != tc.want || len(d.got) != 0 {
				t.Fatalf("answer %d %s, want %d; taken %d", w.Code, w.Body, tc.want, len(d.got))
			}
		})
	}
}

func TestVoice(t *testing.T) {
	d := &desk{}
	c := newChannel(t, d, nil)
	w := post(c, "/hooks/twilio/sms/voice", url.Values{"CallSid": {"CA1"}, "From": {"+49301234567"}}, "")
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `<Say language="en-US">`) ||
		!strings.Contains(body, `<Record action="https://help.example.com/hooks/twilio/sms/recording" method="POST" maxLength="180" playBeep="true" transcribe="true" transcribeCallback="https://help.example.com/hooks/twilio/sms/transcription">`) {
		t.Fatalf("TwiML %d %s", w.Code, body)
	}
	// The transcript first: who called is known from its From.
	w = post(c, "/hooks/twilio/sms/transcription", url.Values{"TranscriptionSid": {"TR1"}, "RecordingSid": {"RE1"}, "TranscriptionText": {"call me"}, "From": {"+49301234567"}}, "")
	if w.Code != http.StatusOK || d.got[0].Thread != "RE1" || d.got[0].Key != "transcription:TR1" || d.got[0].Kind != "message" || d.got[0].Customer != "tel:+49301234567" {
		t.Fatalf("transcription: %d %+v", w.Code, d.got)
	}
	w = post(c, "/hooks/twilio/sms/recording", url.Values{"RecordingSid": {"RE1"}, "RecordingDuration": {"12"}, "From": {"+49301234567"},
		"RecordingUrl": {"https://elsewhere.example/RE1"}}, "")
	rec := d.got[1]
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<Hangup></Hangup>") || rec.Key != "recording:RE1" || rec.Note != "voicemail, 12 s" || len(rec.Files) != 1 || rec.Files[0].Missing == "" {
		t.Fatalf("recording: %d %+v", w.Code, rec)
	}
}

// Whatever a request holds, the channel answers it without panicking,
// and takes nothing whose signature is not the body's.
func FuzzServeHTTP(f *testing.F) {
	f.Add("/hooks/twilio/sms/sms", "MessageSid=SM1&From=%2B49301234567&Body=hi&NumMedia=1&MediaUrl0=http%3A%2F%2F127.0.0.2%2Fx", true)
	f.Add("/hooks/twilio/sms/status?outbox=x", "MessageStatus=delivered", true)
	f.Add("/hooks/twilio/sms/recording", "RecordingSid=RE1&From=%2B1", false)
	f.Add("/hooks/twilio/sms/sms", "%zz=&;;", true)
	f.Fuzz(func(t *testing.T, path, body string, sign bool) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		u, err := url.ParseRequestURI(path)
		if err != nil {
			return
		}
		d := &desk{}
		c := newChannel(t, d, nil)
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.URL = u
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		form, _ := url.ParseQuery(body)
		signedURL := public + u.Path
		if u.RawQuery != "" {
			signedURL += "?" + u.RawQuery
		}
		if sign {
			r.Header.Set("X-Twilio-Signature", Sign("tok", signedURL, form))
		}
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		if !sign && (len(d.got) > 0 || len(d.reports) > 0) {
			t.Fatalf("taken without a signature: %+v %+v", d.got, d.reports)
		}
	})
}
