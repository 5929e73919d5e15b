package channel

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/nyaruka/phonenumbers"
)

// Error answers a channel's request with a JSON error.
func Error(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// Phone returns s as an E.164 number ("+49301234567") and whether it is
// one: a number with its country code, as providers send them.
func Phone(s string) (string, bool) {
	n, err := phonenumbers.Parse(s, "")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return s, false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// Refuse answers a channel's request that is not taken, counts it and
// logs why: a 5xx at error level, with a Retry-After for a 503.
func Refuse(w http.ResponseWriter, m *Metrics, log *slog.Logger, channel string, code int, result, why string) {
	m.Count(channel, result)
	if code >= 500 {
		if code == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "5")
		}
		log.Error("channel request not taken; the sender should try again", "channel", channel, "status", code, "why", why)
	} else {
		log.Info("channel request refused", "channel", channel, "status", code, "why", why)
	}
	Error(w, code, why)
}
