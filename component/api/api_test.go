package api_test

import (
	"net/url"
	"testing"

	"switchboard/component/api"
)

func FuzzListQuery(f *testing.F) {
	for _, s := range []string{"status=open&limit=10", "before=5", "agent=a@b", "customer=%00", "limit=-1", "x=y", "status=open&status=closed"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		_, _, limit, err := api.ParseListQuery(q)
		if err == nil && (limit < 1 || limit > api.MaxPage) {
			t.Fatalf("%q: limit %d accepted", raw, limit)
		}
	})
}
