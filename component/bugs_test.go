package component_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

// Lines a queued customer writes while the agent joins reach the agent
// exactly once and in order: in the recap or live, never in neither.
func TestLinesDuringJoin(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	cust := e.login("customer", xmppclient.Options{})
	billingQuestion(t, cust, "123456")
	room := expectInvite(t, alice)

	const lines = 40
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := 1; i <= lines; i++ {
			if err := cust.Message(ctx(), entry, fmt.Sprintf("line-%02d", i)); err != nil {
				t.Error(err)
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	time.Sleep(20 * time.Millisecond)
	if err := alice.Join(ctx(), room, "Alice"); err != nil {
		t.Fatal(err)
	}
	<-sent

	// Everything the agent sees of the customer's lines, in order: the
	// recap's transcript lines and the customer's messages in the room.
	lineRE := regexp.MustCompile(`line-\d\d`)
	var seen []string
	deadline := time.Now().Add(wait)
	for len(seen) < lines && time.Now().Before(deadline) {
		s, err := alice.Expect(time.Until(deadline), "room traffic", func(s wire.Stanza) bool {
			return s.Type == "groupchat" && wire.Bare(s.From) == room
		})
		if err != nil {
			break
		}
		if wire.Resource(s.From) == "customer" {
			seen = append(seen, lineRE.FindAllString(s.Body, -1)...)
		} else if strings.Contains(s.Body, "Recap") {
			seen = append(seen, lineRE.FindAllString(s.Body, -1)...)
		}
	}
	var want []string
	for i := 1; i <= lines; i++ {
		want = append(want, fmt.Sprintf("line-%02d", i))
	}
	if strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Fatalf("the agent saw %d of %d lines:\n%s", len(seen), lines, strings.Join(seen, " "))
	}
}

// An attachment the customer sends while queued makes the conversation
// need an agent whose client takes file links.
func TestAttachmentWhileQueued(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7", "bob": "billing = 7"}, "customer")
	e.startDesk()
	cust := e.login("customer", xmppclient.Options{})
	billingQuestion(t, cust, "123456")
	expectChat(t, cust, entry, "number 1 in the queue")
	if err := cust.Send(ctx(), wire.Message{To: entry, Type: "chat", Body: "the screenshot", URL: "https://files.example/shot.png"}.String()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the attachment stored", func() bool {
		code, body := e.api("GET", "/api/v1/conversations/1", "t0ken", "")
		return code == 200 && strings.Contains(string(body), "shot.png")
	})
	alice := e.login("alice", xmppclient.Options{}) // no jabber:x:oob
	subscribed(t, alice)
	noMessage(t, alice, 2*time.Second, "invitation without file links", func(s wire.Stanza) bool {
		return s.MUCUser != nil && s.MUCUser.Invite != nil
	})
	bob := e.login("bob", xmppclient.Options{Features: []string{wire.NSOOB}})
	subscribed(t, bob)
	expectInvite(t, bob)
}

// Declines are remembered across a restart: the agent who declined is not
// offered the conversation first again.
func TestRejectionsSurviveRestart(t *testing.T) {
	e := newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 0", "30s", map[string]string{"alice": "billing = 7", "bob": "billing = 7"}, "customer")
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	bob := e.login("bob", xmppclient.Options{})
	subscribed(t, bob)
	cust := e.login("customer", xmppclient.Options{})
	billingQuestion(t, cust, "123456")
	first, room, err := invited(alice, bob)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Decline(ctx(), room, "desk@help.localhost", "busy"); err != nil {
		t.Fatal(err)
	}
	other := bob
	if first == bob {
		other = alice
	}
	if _, err := other.Expect(wait, "the offer after the decline", isInvite); err != nil {
		t.Fatal(err)
	}
	e.stopDesk()
	e.startDesk()
	// After the restart the one who has not declined is offered it again,
	// and the one who declined is not.
	if _, err := other.Expect(wait, "the offer after the restart", isInvite); err != nil {
		t.Fatal(err)
	}
	noMessage(t, first, 2*time.Second, "an offer to the agent who declined", isInvite)
}

func isInvite(s wire.Stanza) bool { return s.MUCUser != nil && s.MUCUser.Invite != nil }

// invited waits for an invitation to either client and returns which
// and the room.
func invited(a, b *xmppclient.Client) (*xmppclient.Client, string, error) {
	s, err := waitEither(a, b)
	if err != nil {
		return nil, "", err
	}
	if wire.Bare(s.To) == a.JID.Bare().String() {
		return a, wire.Bare(s.From), nil
	}
	return b, wire.Bare(s.From), nil
}

// SIGHUP reloads the configuration; the desk keeps running. A good file
// takes effect at once, a broken one changes nothing and is logged with
// its file and line.
func TestSIGHUPKeepsRunning(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	p := e.startProc()
	hup := func() {
		t.Helper()
		if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	orig, err := os.ReadFile(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	bob := "\n[[agent]]\njid = \"bob@localhost\"\nskills = { sales = 5 }\n"
	if err := os.WriteFile(e.cfgPath, append(orig, bob...), 0o600); err != nil {
		t.Fatal(err)
	}
	hup()
	waitFor(t, "bob added by the reload", func() bool {
		code, body := e.get("/api/v1/agents/bob@localhost")
		return code == 200 && strings.Contains(string(body), `"sales": 5`)
	})
	if err := os.WriteFile(e.cfgPath, append(orig, "\n[[agent]]\njid = \"carol@localhost\"\nskills = { cooking = 5 }\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	hup()
	waitFor(t, "the broken file logged", func() bool {
		return strings.Contains(p.output(), "switchboard.toml:") && strings.Contains(p.output(), "unknown skill")
	})
	code, body := e.get("/api/v1/agents")
	if code != 200 || !strings.Contains(string(body), "bob@localhost") || strings.Contains(string(body), "carol") {
		t.Fatalf("agents after a broken reload: %d %s", code, body)
	}
	resp, err := http.Get("http://" + e.httpAddr + "/metrics")
	if err != nil {
		t.Fatalf("the desk stopped on SIGHUP: %v", err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`switchboard_config_reloads_total{result="ok"} 1`, `switchboard_config_reloads_total{result="invalid"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	e.waitReady()
}
