package channel

import (
	"encoding/json"
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
