package hook

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/channel"
	"switchboard/component/config"
)

// desk takes messages as the real one answers: each key once.
type desk struct {
	mu   sync.Mutex
	got  []channel.Inbound
	keys map[string]uint64
	err  error
}

func (d *desk) Inbound(_ context.Context, in channel.Inbound) (channel.Accepted, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return channel.Accepted{}, d.err
	}
	if d.keys == nil {
		d.keys = map[string]uint64{}
	}
	if id, ok := d.keys[in.Key]; ok {
		return channel.Accepted{Conversation: id, Duplicate: true}, nil
	}
	d.got = append(d.got, in)
	d.keys[in.Key] = uint64(len(d.got))
	return channel.Accepted{Conversation: uint64(len(d.got))}, nil
}

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var now = time.Unix(1_800_000_000, 0)

func newChannel(t *testing.T, d *desk) *Channel {
	return &Channel{
		Cfg:   config.Channel{Name: "forms", Kind: "hook", Entry: "support", Secrets: []string{"whsec_b3RoZXI=", secret}},
		Desk:  d,
		Files: &channel.Files{Dir: t.TempDir(), Limits: channel.Limits{MaxSize: 1 << 20, MaxFiles: 2, Types: []string{"image/*", "text/plain"}}},
		Log:   slog.New(slog.DiscardHandler), Now: func() time.Time { return now },
	}
}

// post signs body as id at ts and posts it.
func post(c *Channel, id string, ts time.Time, typ string, body []byte, sig string) *httptest.ResponseRecorder {
	if sig == "" {
		sig, _ = Sign(secret, id, ts, body)
	}
	r := httptest.NewRequest(http.MethodPost, "/hooks/forms", bytes.NewReader(body))
	r.Header.Set("Content-Type", typ)
	r.Header.Set("webhook-id", id)
	r.Header.Set("webhook-timestamp", fmt.Sprint(ts.Unix()))
	r.Header.Set("webhook-signature", sig)
	w := httptest.NewRecorder()
	c.ServeHTTP(w, r)
	return w
}

const png = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

func TestHookJSON(t *testing.T) {
	d := &desk{}
	c := newChannel(t, d)
	body := fmt.Sprintf(`{"from": {"id": "u-17", "name": "Ada", "email": "ada@example.com", "phone": "+49 30 1234567"},
		"text": " my invoice is wrong ", "attachments": [{"data": %q, "name": "shot.png"}]}`, base64.StdEncoding.EncodeToString([]byte(png)))
	w := post(c, "msg_1", now, "application/json", []byte(body), "")
	if w.Code != http.StatusCreated || strings.TrimSpace(w.Body.String()) != `{"conversation":1}` {
		t.Fatalf("answer %d %s", w.Code, w.Body)
	}
	in := d.got[0]
	if in.Channel != "hook:forms" || in.Key != "msg_1" || in.Customer != "hook:forms:u-17" || in.Address != "u-17" ||
		in.Text != "my invoice is wrong" || in.Name != "Ada" || in.Email != "ada@example.com" || in.Kind != "message" {
		t.Fatalf("inbound %+v", in)
	}
	if len(in.Files) != 1 || in.Files[0].Type != "image/png" || in.Files[0].Name != "shot.png" {
		t.Fatalf("files %+v", in.Files)
	}
	// The same webhook-id again: answered as the first, nothing new.
	w = post(c, "msg_1", now, "application/json", []byte(body), "")
	if w.Code != http.StatusCreated || strings.TrimSpace(w.Body.String()) != `{"conversation":1}` || len(d.got) != 1 {
		t.Fatalf("duplicate: %d %s, %d messages", w.Code, w.Body, len(d.got))
	}
}

func TestHookMultipart(t *testing.T) {
	d := &desk{}
	c := newChannel(t, d)
	c.Cfg.ReplyURL = "http://127.0.0.1:1/replies"
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("from.id", "u-9")
	mw.WriteField("text", "the photo")
	fw, _ := mw.CreateFormFile("attachments", "../../etc/x.png")
	io.WriteString(fw, png)
	fw, _ = mw.CreateFormFile("attachments", "notes.txt")
	io.WriteString(fw, "hello")
	mw.Close()
	w := post(c, "msg_2", now, mw.FormDataContentType(), b.Bytes(), "")
	if w.Code != http.StatusCreated {
		t.Fatalf("answer %d %s", w.Code, w.Body)
	}
	in := d.got[0]
	if in.Kind != "" || in.Text != "the photo" || len(in.Files) != 2 || in.Files[0].Name != "x.png" || in.Files[1].Type != "text/plain" {
		t.Fatalf("inbound %+v", in)
	}
}

func TestHookRefusals(t *testing.T) {
	ok := []byte(`{"from": {"id": "u"}, "text": "hi"}`)
	big := []byte(fmt.Sprintf(`{"from": {"id": "u"}, "text": "hi", "attachments": [{"data": %q}]}`, strings.Repeat("A", 3<<20)))
	pdf := []byte(fmt.Sprintf(`{"text": "x", "attachments": [{"data": %q}]}`, base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n"))))
	three := []byte(`{"text": "x", "attachments": [{"data": "aGk="}, {"data": "aGk="}, {"data": "aGk="}]}`)
	for _, tc := range []struct {
		name string
		ts   time.Time
		typ  string
		body []byte
		sig  string
		want int
	}{
		{"bad signature", now, "application/json", ok, "v1,AAAA", http.StatusForbidden},
		{"no signature", now, "application/json", ok, " ", http.StatusForbidden},
		{"stale", now.Add(-10 * time.Minute), "application/json", ok, "", http.StatusUnauthorized},
		{"form encoded", now, "application/x-www-form-urlencoded", ok, "", http.StatusUnsupportedMediaType},
		{"over the limit", now, "application/json", big, "", http.StatusRequestEntityTooLarge},
		{"type not taken", now, "application/json", pdf, "", http.StatusUnsupportedMediaType},
		{"too many files", now, "application/json", three, "", http.StatusRequestEntityTooLarge},
		{"no text", now, "application/json", []byte(`{"from": {"id": "u"}}`), "", http.StatusBadRequest},
		{"not JSON", now, "application/json", []byte(`{"from":`), "", http.StatusBadRequest},
		{"url elsewhere", now, "application/json", []byte(`{"text": "x", "attachments": [{"url": "http://127.0.0.1:1/x"}]}`), "", http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &desk{}
			c := newChannel(t, d)
			w := post(c, "msg_r", tc.ts, tc.typ, tc.body, tc.sig)
			if w.Code != tc.want {
				t.Fatalf("answer %d %s, want %d", w.Code, w.Body, tc.want)
			}
			var e map[string]any
			if tc.want >= 400 && (json.Unmarshal(w.Body.Bytes(), &e) != nil || e["error"] == "") {
				t.Fatalf("error body %s", w.Body)
			}
			if tc.want >= 400 && len(d.got) != 0 {
				t.Fatalf("refused but taken: %+v", d.got)
			}
			if tc.want == http.StatusCreated && (len(d.got[0].Files) != 1 || d.got[0].Files[0].Missing == "") {
				t.Fatalf("a link off the media hosts was fetched: %+v", d.got[0].Files)
			}
		})
	}
}

func TestHookDeskFailure(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{{channel.ErrUnavailable, http.StatusServiceUnavailable}, {io.ErrUnexpectedEOF, http.StatusInternalServerError}} {
		c := newChannel(t, &desk{err: tc.err})
		w := post(c, "msg_f", now, "application/json", []byte(`{"text": "hi"}`), "")
		if w.Code != tc.want {
			t.Fatalf("%v: answer %d, want %d", tc.err, w.Code, tc.want)
		}
	}
}

func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`{"from": {"id": "u-17", "name": "Ada"}, "text": "hi", "attachments": [{"url": "https://x/y.png"}]}`))
	f.Add([]byte(`{"text": "\ud800"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ReadJSON(bytes.NewReader(b))
		if err == nil && p.Text == "" && len(p.Attachments) == 0 {
			t.Fatalf("an empty message was taken: %s", b)
		}
	})
}

func FuzzReadMultipart(f *testing.F) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.SetBoundary("BOUNDARY")
	mw.WriteField("text", "hi")
	fw, _ := mw.CreateFormFile("f", "a.png")
	io.WriteString(fw, png)
	mw.Close()
	f.Add(b.Bytes())
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nx\r\n--BOUNDARY--\r\n"))
	f.Add([]byte("--BOUNDARY\r\n\r\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		files := &channel.Files{Dir: dir, Limits: channel.Limits{MaxSize: 1 << 10, MaxFiles: 2}}
		p, err := ReadMultipart(bytes.NewReader(body), "BOUNDARY", files)
		if err != nil {
			return
		}
		if len(p.Files) > 2 {
			t.Fatalf("%d files over the limit", len(p.Files))
		}
		for _, f := range p.Files {
			if f.Size > 1<<10 || strings.ContainsAny(f.Name, "/\\") {
				t.Fatalf("file %+v", f)
			}
		}
	})
}
