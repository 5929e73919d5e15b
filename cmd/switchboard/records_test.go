package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/component"
	"switchboard/component/config"
	"switchboard/component/prosody"
	"switchboard/store"
)

const recordsConfig = `
[xmpp]
address = "127.0.0.1:1"
domain = "help.localhost"
secret = "s"
muc_service = "conference.localhost"

[http]
listen = "127.0.0.1:%d"
api_token = "t0ken"

[store]
path = "sb.db"

[[entry]]
localpart = "support"
dialog = "main"

[[queue]]
name = "billing"
skills = { billing = 3 }

[dialogs.main.start]
say = "Hello!"
queue = "billing"
`

// TestRecordsCLI reads records and exports the store from the file when
// no daemon runs, and through the daemon's API while it runs.
func TestRecordsCLI(t *testing.T) {
	dir, cfgFile := seeded(t)

	cli := func(args ...string) (string, error) { return cli(t, args...) }
	check := func(mode string) {
		t.Helper()
		out, err := cli("conversations", "list", "-config", cfgFile, "-status", "closed")
		if err != nil || !strings.Contains(out, "ID") || !strings.Contains(out, "1   closed  billing  xmpp     customer@localhost  alice@localhost") {
			t.Errorf("%s: list = %q, %v", mode, out, err)
		}
		out, err = cli("conversations", "show", "-config", cfgFile, "case-1")
		for _, part := range []string{"Conversation 1 (case-1@conference.localhost)", "rating    4/5", "[x] #1 call the bank",
			"Timeline (3)", "alice@localhost     assigned", "Transcript (3)", "alice@localhost (private)  check the invoice"} {
			if err != nil || !strings.Contains(out, part) {
				t.Errorf("%s: show lacks %q:\n%s%v", mode, part, out, err)
			}
		}
		if mode == "file" {
			t.Logf("switchboard conversations show 1:\n%s", out)
		}
		if _, err := cli("conversations", "show", "-config", cfgFile, "99"); err == nil || !strings.Contains(err.Error(), "no conversation 99") {
			t.Errorf("%s: show 99: %v", mode, err)
		}
		if _, err := cli("conversations", "list", "-config", cfgFile, "-status", "bogus"); err == nil || !strings.Contains(err.Error(), "is not one of") {
			t.Errorf("%s: list -status bogus: %v", mode, err)
		}
		out, err = cli("report", "-config", cfgFile, "-from", "2026-11-01", "-to", "2026-11-30", "-by", "agent")
		for _, part := range []string{"by agent", "alice@localhost", "4.00 (1)", "ratings 1–5: [0 0 0 1 0]"} {
			if err != nil || !strings.Contains(out, part) {
				t.Errorf("%s: report lacks %q:\n%s%v", mode, part, out, err)
			}
		}
		if mode == "file" {
			t.Logf("switchboard report -by agent:\n%s", out)
		}
		out, err = cli("report", "-config", cfgFile, "-from", "2026-11-23", "-to", "2026-11-23", "-by", "day", "-json")
		if err != nil || !strings.Contains(out, `"key": "2026-11-23"`) || !strings.Contains(out, `"ended": 1`) {
			t.Errorf("%s: report -json = %s %v", mode, out, err)
		}
		for _, bad := range []struct{ args, want string }{
			{"-from 2026-12-01 -to 2026-11-01", "from must be before to"},
			{"-from 2016-01-01 -to 2026-01-01", "at most 366 days"},
			{"-from yesterday", `"yesterday" is not a day`},
			{"-by customer", "by: want queue, agent or day"},
		} {
			if _, err := cli(append([]string{"report", "-config", cfgFile}, strings.Fields(bad.args)...)...); err == nil || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("%s: report %s: %v", mode, bad.args, err)
			}
		}
		backup := filepath.Join(dir, mode+".db")
		out, err = cli("export", "-config", cfgFile, "-o", backup)
		if err != nil || !strings.Contains(out, "wrote "+backup) {
			t.Fatalf("%s: export = %q, %v", mode, out, err)
		}
		st, err := store.Open(backup, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("%s: the export does not open: %v", mode, err)
		}
		st.View(func(tx *store.Tx) error {
			if c, err := tx.Conversation(1); err != nil || c.Rating != 4 {
				t.Errorf("%s: exported conversation = %+v, %v", mode, c, err)
			}
			return nil
		})
		st.Close()
	}
	check("file")

	// With the daemon running (it holds the file's lock), the same
	// commands go through its API.
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	stop := serve(t, cfg)
	check("api")
	stop()
}

// serve runs the daemon of cfg until stop.
func serve(t *testing.T, cfg *config.Config) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- component.Serve(ctx, cfg, component.ServeOptions{Logger: quietLog(), Started: func(string) { close(started) }})
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("daemon did not start")
	}
	return func() { cancel(); <-done }
}

// seeded makes a directory with a configuration (recordsConfig, on a free
// HTTP port) and a store holding one closed conversation.
func seeded(t *testing.T) (dir, cfgFile string) {
	t.Helper()
	dir = t.TempDir()
	ports, err := prosody.FreePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	cfgFile = filepath.Join(dir, "switchboard.toml")
	if err := os.WriteFile(cfgFile, []byte(fmt.Sprintf(recordsConfig, ports[0])), 0o600); err != nil {
		t.Fatal(err)
	}
	seed(t, filepath.Join(dir, "sb.db"))
	return dir, cfgFile
}

// seed writes one closed conversation, and leaves path as a desk killed
// right after would: the write in the log, not yet in the database file
// (the commands apply the log first).
func seed(t *testing.T, path string) {
	live := filepath.Join(t.TempDir(), "live.db")
	st, err := store.Open(live, store.Options{ApplyEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	defer crashImage(t, live, path)
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, time.Local)
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		c := &store.Conversation{ID: 1, Status: store.StatusClosed, Kind: store.KindChat, Entry: "support", Customer: "customer@localhost",
			Queue: "billing", Agent: "alice@localhost", Room: "case-1@conference.localhost", Rating: 4, Resolution: "refund sent",
			Answers: map[string]string{"order": "123456"}, Tags: []string{"refund"}, Todos: []store.Todo{{Text: "call the bank", Done: true}},
			Client: store.Client{Name: "Profanity", Version: "0.13.1", OS: "Linux"}, Created: at, Closed: at.Add(5 * time.Minute)}
		if err := tx.PutConversation(c); err != nil {
			return err
		}
		for _, ev := range []store.Event{
			{At: at, Actor: "customer@localhost", Action: "opened", Detail: "entry support@help.localhost"},
			{At: at.Add(time.Minute), Actor: "alice@localhost", Action: "assigned", Detail: "longest-idle: alice@localhost chosen (idle 12s, load 0/3)"},
			{At: at.Add(5 * time.Minute), Actor: "alice@localhost", Action: "closed", Detail: "refund sent"},
		} {
			if err := tx.AppendEvent(1, ev); err != nil {
				return err
			}
		}
		for _, m := range []store.Message{
			{At: at, From: "customer", Body: "my invoice is wrong"},
			{At: at.Add(2 * time.Minute), From: "alice@localhost", Body: "check the invoice", Private: true},
			{At: at.Add(3 * time.Minute), From: "alice@localhost", Body: "Refund is on its way."},
		} {
			if err := tx.AppendMessage(1, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// crashImage copies the files of the open store at src to dst.
func crashImage(t *testing.T, src, dst string) {
	t.Helper()
	copyTo := func(from, to string) {
		b, err := os.ReadFile(from)
		if err == nil {
			err = os.WriteFile(to, b, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	copyTo(src, dst)
	segs, _ := filepath.Glob(filepath.Join(store.LogDir(src), "*.wal"))
	if len(segs) == 0 {
		t.Fatal("no log")
	}
	os.MkdirAll(store.LogDir(dst), 0o700)
	for _, seg := range segs {
		copyTo(seg, filepath.Join(store.LogDir(dst), filepath.Base(seg)))
	}
	if _, err := store.Open(dst, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrUnapplied) {
		t.Fatalf("a read-only open of the crash image: %v", err)
	}
}

// cli runs a switchboard command and returns what it printed; an error
// carries what it printed on stderr.
func cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb, nil)
	if err != nil {
		err = fmt.Errorf("%v: %s", err, errb.String())
	}
	return out.String(), err
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
