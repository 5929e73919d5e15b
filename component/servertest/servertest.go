package servertest

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"switchboard/component/ejabberd"
	"switchboard/component/prosody"
)

// Server is a running XMPP server with a MUC service and a component
// listener for the desk.
type Server interface {
	Register(user, password string) error
	RegisterMany(users []string, password string) error
	C2SAddr() string
	ComponentAddr() string
	// Restart stops the server and starts it again on the same ports and
	// data, with its configuration as it is now.
	Restart(ctx context.Context) error
	// AllowRooms changes, for the next Restart, whether the MUC service
	// lets the component create rooms.
	AllowRooms(allow bool) error
	Log() string
	LogPath() string
}

// Config is what a test asks of the server.
type Config struct {
	MUCAdmins []string // users with owner rights in every room
	NoRooms   bool     // the MUC service refuses the component's rooms
	Offline   bool     // the server keeps messages for offline users
}

// Kind is the server the tests run on: "prosody" or "ejabberd".
func Kind() string {
	if k := os.Getenv("SWITCHBOARD_TEST_SERVER"); k != "" {
		return k
	}
	return "prosody"
}

// Start starts the server for a test; it stops in t.Cleanup, and its log
// is printed when the test failed.
func Start(t testing.TB, c Config) Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var s Server
	var stop func() error
	var err error
	switch k := Kind(); k {
	case "prosody":
		need(t, prosody.Installed())
		var p *prosody.Server
		p, err = prosody.Start(ctx, prosody.Config{Dir: t.TempDir(), MUCAdmins: c.MUCAdmins, NoRooms: c.NoRooms, Offline: c.Offline})
		s, stop = prosodyServer{p}, func() error { return p.Stop() }
	case "ejabberd":
		need(t, ejabberd.Installed())
		var e *ejabberd.Server
		e, err = ejabberd.Start(ctx, ejabberd.Config{Dir: t.TempDir(), MUCAdmins: c.MUCAdmins, NoRooms: c.NoRooms, Offline: c.Offline})
		s, stop = ejabberdServer{e}, func() error { return e.Stop() }
	default:
		t.Fatalf("SWITCHBOARD_TEST_SERVER=%q: want prosody or ejabberd", k)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("%s log (%s):\n%s", Kind(), s.LogPath(), s.Log())
		}
	})
	return s
}

// need skips the test without the server, or fails it under CI.
func need(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("integration test needs %s under CI: %v", Kind(), err)
	}
	if errors.Is(err, prosody.ErrMissing) || errors.Is(err, ejabberd.ErrMissing) {
		t.Skipf("skipping integration test: %v", err)
	}
	t.Fatal(err)
}

type prosodyServer struct{ *prosody.Server }

func (p prosodyServer) AllowRooms(allow bool) error {
	return p.Reconfigure(func(c *prosody.Config) { c.NoRooms = !allow })
}

type ejabberdServer struct{ *ejabberd.Server }

func (e ejabberdServer) AllowRooms(allow bool) error {
	return e.Reconfigure(func(c *ejabberd.Config) { c.NoRooms = !allow })
}
