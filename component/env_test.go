package component_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchboard/component"
	"switchboard/component/config"
	"switchboard/component/prosody"
	"switchboard/component/servertest"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
	"switchboard/store"
)

const password = "pw"

// testConfig is the desk the integration tests run. %s placeholders are
// filled by env: component address, store path, offer timeout, agents.
const testConfig = `
[xmpp]
address = "%s"
domain = "help.localhost"
secret = "s3cret"
muc_service = "conference.localhost"

[http]
listen = "%s"
api_token = "t0ken"

[store]
path = "%s"

[desk]
max_body_bytes = 1000
%s

[[entry]]
localpart = "support"
dialog = "main"

[[queue]]
name = "billing"
skills = { billing = 3 }
offer_timeout = "%s"

[[queue]]
name = "sales"
skills = { sales = 3 }

%s

[replies]
thanks = "Thanks, {customer}! {agent} will sort out order {order}."

[dialogs.main.start]
say = "Hello! How can we help?"
options = [
  { key = "1", label = "Billing question", keywords = ["bill", "invoice"], next = "order" },
  { key = "2", label = "Sales", keywords = ["buy"], queue = "sales" },
  { key = "3", label = "How busy are you?", action = "status" },
  { key = "4", label = "Nothing", keywords = ["bye"], action = "end" },
  { key = "5", label = "Leave a message", action = "message", queue = "billing" },
  { key = "6", label = "Call me back", action = "callback", queue = "billing" },
]

[dialogs.main.order]
say = "What is your order number? (6 digits)"
field = "order"
pattern = "^[0-9]{6}$"
hint = "An order number has 6 digits."
next = "thanks"

[dialogs.main.thanks]
say = "Thanks, looking for someone in billing."
queue = "billing"
`

// agentsConfig renders [[agent]] tables: name → "skills; max".
func agentsConfig(agents map[string]string) string {
	var b strings.Builder
	for _, name := range sorted(agents) {
		skills, max, _ := strings.Cut(agents[name], ";")
		if max == "" {
			max = "3"
		}
		fmt.Fprintf(&b, "[[agent]]\njid = \"%s@localhost\"\nname = \"%s\"\nskills = { %s }\nmax_chats = %s\n\n", name, strings.ToUpper(name[:1])+name[1:], skills, strings.TrimSpace(max))
	}
	return b.String()
}

func sorted(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

// env is one Prosody with users and a desk config.
type env struct {
	t        *testing.T
	srv      servertest.Server
	dir      string
	cfgPath  string
	cfg      *config.Config
	httpAddr string
	apiSrv   *httptest.Server
	desk     *component.Daemon
	reg      *prometheus.Registry

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
	st     *store.Store
}

func newEnv(t *testing.T, offerTimeout string, agents map[string]string, users ...string) *env {
	t.Helper()
	return newEnvDesk(t, "rate_limit = 0\ndomain_rate_limit = 0", offerTimeout, agents, users...)
}

// newEnvDesk is newEnv with the given lines in the [desk] table.
func newEnvDesk(t *testing.T, desk, offerTimeout string, agents map[string]string, users ...string) *env {
	t.Helper()
	return newEnvServer(t, servertest.Config{}, desk, offerTimeout, agents, users...)
}

// newEnvServer is newEnvDesk on a server configured as sc says.
func newEnvServer(t *testing.T, sc servertest.Config, desk, offerTimeout string, agents map[string]string, users ...string) *env {
	t.Helper()
	sc.MUCAdmins = append(sc.MUCAdmins, "auditor@localhost")
	srv := servertest.Start(t, sc)
	e := &env{t: t, srv: srv, dir: t.TempDir()}
	for _, u := range append(users, "auditor") {
		if err := srv.Register(u, password); err != nil {
			t.Fatal(err)
		}
	}
	for name := range agents {
		if err := srv.Register(name, password); err != nil {
			t.Fatal(err)
		}
	}
	e.cfgPath = filepath.Join(e.dir, "switchboard.toml")
	ports, err := prosody.FreePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	e.httpAddr = fmt.Sprintf("127.0.0.1:%d", ports[0])
	text := fmt.Sprintf(testConfig, srv.ComponentAddr(), e.httpAddr, filepath.Join(e.dir, "sb.db"), desk, offerTimeout, agentsConfig(agents))
	if err := os.WriteFile(e.cfgPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	e.cfg = cfg
	t.Cleanup(e.stopDesk)
	return e
}

// startDesk runs the desk in this process until stopDesk.
func (e *env) startDesk() {
	e.t.Helper()
	st, err := store.Open(e.cfg.Store.Path, store.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	var w io.Writer = testWriter{e.t}
	if os.Getenv("SWITCHBOARD_TEST_QUIET") != "" {
		w = io.Discard
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	reg := prometheus.NewRegistry()
	o := component.Options{Logger: log, Registerer: reg}
	if p := os.Getenv("SWITCHBOARD_TEST_XML"); p != "" {
		// A copy of the component's stream, for a look at what the
		// server really sends.
		f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			e.t.Fatal(err)
		}
		e.t.Cleanup(func() { f.Close() })
		var mu sync.Mutex
		o.XMLLog = func(in bool, b []byte) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(f, "%v %s\n", map[bool]string{true: "RECV", false: "SEND"}[in], b)
		}
	}
	d, err := component.New(e.cfg, st, component.Options{Logger: log, Registerer: reg, XMLLog: o.XMLLog})
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	e.mu.Lock()
	e.cancel, e.done, e.st, e.desk, e.reg = cancel, done, st, d, reg
	e.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for !d.Ready() {
		if time.Now().After(deadline) {
			e.t.Fatal("desk did not connect within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) stopDesk() {
	e.mu.Lock()
	cancel, done, st := e.cancel, e.done, e.st
	e.cancel = nil
	if e.apiSrv != nil {
		e.apiSrv.Close()
		e.apiSrv = nil
	}
	e.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	st.Close()
}

// api calls the running desk's HTTP API with the given bearer token
// ("" for none) and returns the status code and body.
func (e *env) api(method, path, token, body string) (int, []byte) {
	e.t.Helper()
	e.mu.Lock()
	if e.apiSrv == nil {
		e.apiSrv = httptest.NewServer(e.desk.Handler(e.reg))
		e.t.Cleanup(e.apiSrv.Close)
	}
	base := e.apiSrv.URL
	e.mu.Unlock()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// record reads a conversation from the store after the desk stopped.
func (e *env) record(id uint64) (*store.Conversation, []store.Event, []store.Message) {
	e.t.Helper()
	st, err := store.Open(e.cfg.Store.Path, store.Options{ReadOnly: true, LockTimeout: 5 * time.Second})
	if err != nil {
		e.t.Fatal(err)
	}
	defer st.Close()
	var c *store.Conversation
	var ev []store.Event
	var msgs []store.Message
	err = st.View(func(tx *store.Tx) error {
		var err error
		if c, err = tx.Conversation(id); err != nil {
			return err
		}
		if ev, err = tx.Timeline(id); err != nil {
			return err
		}
		msgs, err = tx.Transcript(id)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c, ev, msgs
}

// metric returns the value of a desk counter or gauge with the given
// label value (or none).
func (e *env) metric(name, label string) float64 {
	e.t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if label != "" && (len(m.GetLabel()) == 0 || m.GetLabel()[0].GetValue() != label) {
				continue
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// login connects a user.
func (e *env) login(user string, o xmppclient.Options) *xmppclient.Client {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if o.Name == "" {
		o.Name, o.Version = "sbtest", "1.0"
	}
	c, err := xmppclient.Dial(ctx, e.srv.C2SAddr(), user+"@localhost", password, o)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	return c
}

const wait = 10 * time.Second

func ctx() context.Context { return context.Background() }

const entry = "support@help.localhost"

// say sends a chat message to the entry point.
func say(t *testing.T, c *xmppclient.Client, body string) {
	t.Helper()
	if err := c.Message(ctx(), entry, body); err != nil {
		t.Fatal(err)
	}
}

// post sends a groupchat message to room.
func post(t *testing.T, c *xmppclient.Client, room, body string) {
	t.Helper()
	if err := c.Groupchat(ctx(), room, body); err != nil {
		t.Fatal(err)
	}
}

// expectChat waits for a chat from from whose body contains part.
func expectChat(t *testing.T, c *xmppclient.Client, from, part string) wire.Stanza {
	t.Helper()
	s, err := c.Expect(wait, fmt.Sprintf("chat from %s containing %q", from, part), func(s wire.Stanza) bool {
		return s.XMLName.Local == "message" && wire.Bare(s.From) == from && strings.Contains(s.Body, part)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// expectInvite waits for a mediated invitation and returns the room.
func expectInvite(t *testing.T, c *xmppclient.Client) string {
	t.Helper()
	s, err := c.Expect(wait, "room invitation", func(s wire.Stanza) bool {
		return s.MUCUser != nil && s.MUCUser.Invite != nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return wire.Bare(s.From)
}

// expectOffer waits for an offer: the invitation and the desk's chat
// with the summary, which servers deliver in either order. It returns the
// room and the summary.
func expectOffer(t *testing.T, c *xmppclient.Client) (room, summary string) {
	t.Helper()
	for room == "" || summary == "" {
		s, err := c.Expect(wait, "the invitation and the offer's summary", func(s wire.Stanza) bool {
			return isInvite(s) || wire.Bare(s.From) == "desk@help.localhost" && strings.Contains(s.Body, "New conversation for you")
		})
		if err != nil {
			t.Fatal(err)
		}
		if isInvite(s) {
			room = wire.Bare(s.From)
		} else {
			summary = s.Body
		}
	}
	return room, summary
}

// expectRoom waits for a groupchat in room whose body contains part.
func expectRoom(t *testing.T, c *xmppclient.Client, room, part string) wire.Stanza {
	t.Helper()
	s, err := c.Expect(wait, fmt.Sprintf("groupchat in %s containing %q", room, part), func(s wire.Stanza) bool {
		return s.Type == "groupchat" && wire.Bare(s.From) == room && strings.Contains(s.Body, part)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// join enters a room as nick and waits for the self-presence.
func join(t *testing.T, c *xmppclient.Client, room, nick string) {
	t.Helper()
	if err := c.Join(ctx(), room, nick); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Expect(wait, "self-presence in "+room, func(s wire.Stanza) bool {
		return s.XMLName.Local == "presence" && s.From == room+"/"+nick && s.Type == ""
	}); err != nil {
		t.Fatal(err)
	}
}

// subscribed waits until the desk's subscription request reached the agent
// (the client approves it) and the agent's presence had time to arrive.
func subscribed(t *testing.T, c *xmppclient.Client) {
	t.Helper()
	if _, err := c.Expect(wait, "subscription request from the desk", func(s wire.Stanza) bool {
		return s.XMLName.Local == "presence" && s.Type == "subscribe" && wire.Bare(s.From) == "desk@help.localhost"
	}); err != nil {
		t.Fatal(err)
	}
}

// billingQuestion walks a customer through the test dialog into the
// billing queue with an order number.
func billingQuestion(t *testing.T, c *xmppclient.Client, order string) {
	t.Helper()
	say(t, c, "hi")
	say(t, c, "1")
	say(t, c, order)
}

// assigned starts the desk with alice online and a customer whose
// billing question alice took; it returns both and the room.
func assigned(t *testing.T, e *env) (alice, cust *xmppclient.Client, room string) {
	t.Helper()
	return assignedWatching(t, e, nil)
}

// assignedWatching is assigned with watch seeing every stanza the
// customer's session gets.
func assignedWatching(t *testing.T, e *env, watch func(wire.Stanza)) (alice, cust *xmppclient.Client, room string) {
	t.Helper()
	e.startDesk()
	alice = e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	cust = e.login("customer", xmppclient.Options{Watch: watch})
	billingQuestion(t, cust, "123456")
	room = expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectChat(t, cust, entry, "chatting with Alice")
	return alice, cust, room
}

// noMessage fails if a message matching match arrives within d.
func noMessage(t *testing.T, c *xmppclient.Client, d time.Duration, what string, match func(wire.Stanza) bool) {
	t.Helper()
	if s, err := c.Expect(d, what, match); err == nil {
		t.Fatalf("%s: unexpected %s: %+v", c.JID, what, s)
	}
}
