package hook

import (
	"strings"
	"testing"
	"time"
)

// The Standard Webhooks specification's example.
const (
	exSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	exID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	exTS     = "1614265330"
	exBody   = `{"test": 2432232314}`
	exSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var exTime = time.Unix(1614265330, 0)

func TestSignDocumentedExample(t *testing.T) {
	got, err := Sign(exSecret, exID, exTime, []byte(exBody))
	if err != nil || got != exSig {
		t.Fatalf("Sign = %q, %v; want %q", got, err, exSig)
	}
}

func TestVerifier(t *testing.T) {
	other := "whsec_" + "c2VjcmV0LXR3by1mb3Itcm90YXRpb24="
	for _, tc := range []struct {
		name         string
		secrets      []string
		id, ts, body string
		header       string
		now          time.Time
		wantErr      error
		wantValid    bool
	}{
		{"example", []string{exSecret}, exID, exTS, exBody, exSig, exTime, nil, true},
		{"rotated: the second secret", []string{other, exSecret}, exID, exTS, exBody, exSig, exTime, nil, true},
		{"several signatures", []string{exSecret}, exID, exTS, exBody, "v1,bm9wZQ== " + exSig, exTime, nil, true},
		{"v2 is not v1", []string{exSecret}, exID, exTS, exBody, strings.Replace(exSig, "v1,", "v2,", 1), exTime, nil, false},
		{"body changed", []string{exSecret}, exID, exTS, exBody + " ", exSig, exTime, nil, false},
		{"id changed", []string{exSecret}, exID + "x", exTS, exBody, exSig, exTime, nil, false},
		{"wrong secret", []string{other}, exID, exTS, exBody, exSig, exTime, nil, false},
		{"empty header", []string{exSecret}, exID, exTS, exBody, "", exTime, nil, false},
		{"garbage header", []string{exSecret}, exID, exTS, exBody, "v1,%%%", exTime, nil, false},
		{"4m59s late is in time", []string{exSecret}, exID, exTS, exBody, exSig, exTime.Add(299 * time.Second), nil, true},
		{"6 minutes late", []string{exSecret}, exID, exTS, exBody, exSig, exTime.Add(6 * time.Minute), ErrStale, false},
		{"6 minutes early", []string{exSecret}, exID, exTS, exBody, exSig, exTime.Add(-6 * time.Minute), ErrStale, false},
		{"timestamp not a number", []string{exSecret}, exID, "yesterday", exBody, exSig, exTime, ErrStale, false},
		{"no id", []string{exSecret}, "", exTS, exBody, exSig, exTime, ErrNoSignature, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := NewVerifier(tc.secrets, tc.id, tc.ts, tc.now)
			if err != tc.wantErr {
				t.Fatalf("NewVerifier: %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			// Written in pieces, as a body is read.
			for _, part := range []string{tc.body[:3], tc.body[3:]} {
				v.Write([]byte(part))
			}
			if got := v.Valid(tc.header); got != tc.wantValid {
				t.Fatalf("Valid = %v, want %v", got, tc.wantValid)
			}
		})
	}
}

func FuzzVerifier(f *testing.F) {
	f.Add(exID, exTS, exBody, exSig)
	f.Add("", "", "", "")
	f.Add("a", "-99999999999999999999", "{}", "v1, v1,, ,v1")
	f.Fuzz(func(t *testing.T, id, ts, body, header string) {
		v, err := NewVerifier([]string{exSecret, "not base64!"}, id, ts, exTime)
		if err != nil {
			return
		}
		v.Write([]byte(body))
		valid := v.Valid(header)
		want, _ := Sign(exSecret, id, exTime, []byte(body))
		if valid && ts == "1614265330" && !strings.Contains(header, want) {
			t.Fatalf("a header without the signature was taken: %q", header)
		}
	})
}

func BenchmarkVerifier(b *testing.B) {
	body := []byte(strings.Repeat(`{"from": {"id": "u-17"}, "text": "hello"}`, 100))
	sig, _ := Sign(exSecret, exID, exTime, body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		v, _ := NewVerifier([]string{exSecret}, exID, exTS, exTime)
		v.Write(body)
		if !v.Valid(sig) {
			b.Fatal("invalid")
		}
	}
}
