package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"maps"
	"net"
	"net/url"
	"slices"
)

// Sign is the X-Twilio-Signature of a request to the URL u with the POST
// parameters params: base64 of HMAC-SHA1 with the auth token over the URL
// and, by the parameters' names in byte order, each name and value (a
// repeated name's values in byte order too).
func Sign(token, u string, params url.Values) string {
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(u))
	for _, k := range slices.Sorted(maps.Keys(params)) {
		for _, v := range slices.Sorted(slices.Values(params[k])) {
			m.Write([]byte(k))
			m.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Valid reports whether signature is the request's, for u as it is and
// with its default port added or removed: the provider is not
// consistent about the port it signs.
func Valid(token, u string, params url.Values, signature string) bool {
	if signature == "" || token == "" {
		return false
	}
	ok := false
	for _, candidate := range portForms(u) {
		// Every form is computed and compared in constant time.
		if subtle.ConstantTimeCompare([]byte(Sign(token, candidate, params)), []byte(signature)) == 1 {
			ok = true
		}
	}
	return ok
}

// portForms is u, and u with its default port added (when it has none)
// or removed (when it has the default one).
func portForms(u string) []string {
	p, err := url.Parse(u)
	if err != nil {
		return []string{u}
	}
	def := map[string]string{"https": "443", "http": "80"}[p.Scheme]
	host, port := p.Hostname(), p.Port()
	other := *p
	switch {
	case port == "" && def != "" && host != "":
		other.Host = net.JoinHostPort(host, def)
	case port != "" && port == def:
		other.Host = host
		if p.Port() == "" {
			return []string{u}
		}
	default:
		return []string{u}
	}
	return []string{u, other.String()}
}
