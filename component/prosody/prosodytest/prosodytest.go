package prosodytest

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"switchboard/component/prosody"
)

// Start starts a Prosody for a test: a missing binary skips the test, or
// fails it when $CI is "true". The server stops in t.Cleanup, and its log is
// printed when the test failed.
func Start(t testing.TB, c prosody.Config) *prosody.Server {
	t.Helper()
	if err := prosody.Installed(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("integration test needs Prosody under CI: %v", err)
		}
		t.Skipf("skipping integration test: %v", err)
	}
	if c.Dir == "" {
		c.Dir = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := prosody.Start(ctx, c)
	if err != nil {
		if errors.Is(err, prosody.ErrMissing) {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("prosody log (%s):\n%s", s.LogPath(), s.Log())
		}
	})
	return s
}
