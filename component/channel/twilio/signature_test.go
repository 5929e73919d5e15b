package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"testing"
)

// The documented example: token 12345, the URL with its query string,
// and these POST parameters sign as 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
var example = url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"}, "From": {"+12349013030"}, "To": {"+18005551212"}}

func TestSignDocumentedExample(t *testing.T) {
	const u = "https://mycompany.com/myapp.php?foo=1&bar=2"
	if got := Sign("12345", u, example); got != "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" {
		t.Fatalf("Sign = %s", got)
	}
	for _, tc := range []struct {
		url, sig string
		want     bool
	}{
		{u, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", true},
		{"https://mycompany.com:443/myapp.php?foo=1&bar=2", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", true}, // signed without the port
		{"https://mycompany.com/myapp.php?foo=1&bar=3", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", false},    // the query counts
		{u, "0/KCTR6DLpKmkAf8muzZqo1nDgQ", false},
		{u, "", false},
	} {
		if got := Valid("12345", tc.url, example, tc.sig); got != tc.want {
			t.Errorf("Valid(%s, %s) = %v", tc.url, tc.sig, got)
		}
	}
	// Signed with the port, checked without it.
	withPort := Sign("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", example)
	if !Valid("12345", u, example, withPort) {
		t.Error("a signature made with the default port is refused")
	}
	changed := url.Values{}
	for k, v := range example {
		changed[k] = v
	}
	changed.Set("Digits", "1235")
	if Valid("12345", u, changed, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=") {
		t.Error("a changed parameter passes")
	}
	if Valid("", u, example, Sign("", u, example)) {
		t.Error("an empty token passes")
	}
}

// Parameters are ordered by name, not by name and value: Body before
// BodyX whatever their values.
func TestSignOrder(t *testing.T) {
	p := url.Values{"BodyX": {"val"}, "Body": {"hello"}, "MediaUrl": {"b", "a"}}
	m := hmac.New(sha1.New, []byte("t"))
	m.Write([]byte("https://x/" + "Bodyhello" + "BodyXval" + "MediaUrla" + "MediaUrlb"))
	if want := base64.StdEncoding.EncodeToString(m.Sum(nil)); Sign("t", "https://x/", p) != want {
		t.Fatal("parameters not in the documented order")
	}
}

func FuzzValid(f *testing.F) {
	f.Add("https://mycompany.com/myapp.php?foo=1&bar=2", "Digits", "1234", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
	f.Add("http://[::1]:80/x", "", "", "")
	f.Add("%zz", "a", "b", "c")
	f.Fuzz(func(t *testing.T, u, k, v, sig string) {
		p := url.Values{k: {v}}
		if Valid("12345", u, p, sig) && sig != Sign("12345", u, p) {
			for _, c := range portForms(u) {
				if Sign("12345", c, p) == sig {
					return
				}
			}
			t.Fatalf("Valid(%q) with a signature of none of its forms", u)
		}
	})
}

// An SMS's parameters, as the provider sends them.
func BenchmarkValid(b *testing.B) {
	p := url.Values{"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "AccountSid": {"AC0123"}, "From": {"+49301234567"}, "To": {"+4930123456"},
		"Body": {"my invoice is wrong, can you have a look please"}, "NumMedia": {"0"}, "NumSegments": {"1"}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"}}
	const u = "https://help.example.com/hooks/twilio/sms/sms"
	sig := Sign("token", u, p)
	b.ReportAllocs()
	for b.Loop() {
		if !Valid("token", u, p, sig) {
			b.Fatal("invalid")
		}
	}
}
