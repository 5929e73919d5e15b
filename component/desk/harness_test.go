package desk

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/config"
	"switchboard/component/desk/core"
	"switchboard/component/wire"
	"switchboard/routing"
	"switchboard/routing/hours"
	"switchboard/store"
)

// The desk's decisions, tested without a server: a fake link records what
// the desk sends and plays a MUC service that lets the desk into its
// rooms; the store is real, in a temp dir; the clock is fake, and the test
// runs the actor itself, one event at a time.

const harnessConfig = `
[xmpp]
address = "127.0.0.1:5347"
domain = "help.localhost"
secret = "s3cret"
muc_service = "conference.localhost"

[store]
path = "sb.db"

[desk]
admins = ["boss@localhost"]
supervisors = ["sue@localhost"]
vip = ["*@vip.example"]
rate_limit = 0
domain_rate_limit = 0
reopen_window = "30m"

[[entry]]
localpart = "support"
dialog = "main"

[[queue]]
name = "billing"
skills = { billing = 3 }
offer_timeout = "30s"
max_wait = "10m"
overflow = "general"
first_reply = "2m"
reply = "5m"

[[queue]]
name = "general"
max_wait = "10m"

[[queue]]
name = "sales"
skills = { sales = 3 }

%s

[replies]
refund = "Your refund of {amount} is on its way, {customer}."
hello = "Hi {customer}, {agent} here."

[dialogs.main.start]
say = "Hello! How can we help?"
options = [
  { key = "1", label = "Billing", queue = "billing" },
  { key = "2", label = "Sales", queue = "sales" },
  { key = "3", label = "Leave a message", action = "message", queue = "billing" },
  { key = "4", label = "Call me back", action = "callback", queue = "billing" },
]
`

const harnessAgents = `
[[agent]]
jid = "alice@localhost"
skills = { billing = 7 }

[[agent]]
jid = "bob@localhost"
skills = { billing = 5, sales = 5 }
`

// fakeLink records what the desk sends and answers round trips.
type fakeLink struct {
	mu       sync.Mutex
	sent     []string
	features map[string][]string // full JID → disco features
}

func (f *fakeLink) Send(raw ...string) {
	f.mu.Lock()
	f.sent = append(f.sent, raw...)
	f.mu.Unlock()
}

func (f *fakeLink) ConfigureRoom(context.Context, string, string, []wire.Field) error { return nil }

func (f *fakeLink) Discover(_ context.Context, _, to string, _ bool) (wire.ClientInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return wire.ClientInfo{Name: "fake", Features: f.features[to]}, nil
}

// fakeClock is the desk's clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness runs one desk.
type harness struct {
	t     testing.TB
	dir   string
	cfg   *config.Config
	clock *fakeClock
	link  *fakeLink
	st    *store.Store
	d     *Desk
	read  int // how much of link.sent the test has looked at
	muc   int // how much of link.sent the fake MUC has looked at
	seq   int // ids of the stanzas the test sends
	// starting is what a restart does before the desk routes.
	starting []func()
	// closedMUC holds the desk's joins unanswered (a server slow to
	// answer) until it is cleared; refuse, when set, is the condition the
	// MUC refuses them with.
	closedMUC bool
	refuse    string
	// occupants are who is in each room besides the desk (room → nick →
	// agent): a join of the desk lists them first, as a MUC does.
	occupants map[string]map[string]string
}

func newHarness(t testing.TB, agents string) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), clock: &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
		link: &fakeLink{features: map[string][]string{}}, occupants: map[string]map[string]string{}}
	h.cfg = h.config(agents)
	h.start()
	t.Cleanup(func() { h.st.Close() })
	return h
}

func (h *harness) config(agents string) *config.Config {
	h.t.Helper()
	path := filepath.Join(h.dir, "switchboard.toml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(harnessConfig, agents)), 0o600); err != nil {
		h.t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		h.t.Fatal(err)
	}
	return cfg
}

// start opens the store and a desk over it, connected.
func (h *harness) start() {
	h.t.Helper()
	st, err := store.Open(h.cfg.Store.Path, store.Options{})
	if err != nil {
		h.t.Fatal(err)
	}
	var w io.Writer = io.Discard
	if testing.Verbose() {
		w = os.Stderr
	}
	d, err := New(h.cfg, st, h.link, Options{Logger: slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: h.clock.Now, Echo: "sbtest-", Trace: testing.Verbose()})
	if err != nil {
		h.t.Fatal(err)
	}
	h.st, h.d = st, d
	h.d.handle(core.EvConnected{})
	h.settle()
	if len(h.starting) == 0 {
		h.advance(core.PresenceSettle)
	}
}

// restart stops the desk as a crash would (nothing said to the server)
// and starts another over the same store.
func (h *harness) restart(before ...func()) {
	h.t.Helper()
	h.settle()
	h.st.Close()
	h.closedMUC = len(before) > 0
	h.starting = before
	h.start()
	for _, fn := range before {
		fn()
	}
	h.starting = nil
	h.closedMUC = false
	h.advance(core.PresenceSettle)
}

// settle runs the actor until nothing is left to do: every write
// committed, every job's result handled, every room joined.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for h.st.Pending() > 0 {
			time.Sleep(50 * time.Microsecond)
		}
		if h.answerJoins() {
			continue
		}
		select {
		case ev := <-h.d.Events:
			h.d.handle(ev)
			continue
		default:
		}
		if h.d.Running == 0 && h.st.Pending() == 0 && len(h.d.Events) == 0 {
			return
		}
		time.Sleep(100 * time.Microsecond)
	}
	h.t.Fatal("the desk did not settle")
}

// answerJoins plays the MUC service: the desk's join of a room succeeds.
func (h *harness) answerJoins() bool {
	if h.closedMUC {
		return false
	}
	h.link.mu.Lock()
	sent := h.link.sent[h.muc:]
	h.muc = len(h.link.sent)
	h.link.mu.Unlock()
	any := false
	for _, raw := range sent {
		s, err := wire.Decode([]byte(raw))
		if err != nil || s.XMLName.Local != "presence" || wire.Domain(s.To) != "conference.localhost" {
			continue
		}
		if s.Type != "" {
			continue
		}
		any = true
		if h.refuse != "" {
			h.d.handle(core.EvStanzas{h.stanza(fmt.Sprintf(`<presence from='%s' to='%s' type='error'><error type='cancel'><%s xmlns='%s'/><text xmlns='%s'>refused by the test</text></error></presence>`,
				s.To, s.From, h.refuse, wire.NSStanzas, wire.NSStanzas))})
			continue
		}
		room := wire.Bare(s.To)
		var batch core.EvStanzas
		for nick, agent := range h.occupants[room] {
			batch = append(batch, h.stanza(fmt.Sprintf(`<presence from='%s/%s' to='%s'><x xmlns='%s'><item affiliation='member' role='participant' jid='%s/desk'/></x></presence>`, room, nick, s.From, wire.NSMUCUser, agent)))
		}
		batch = append(batch, h.stanza(fmt.Sprintf(`<presence from='%s' to='%s'><x xmlns='%s'><item affiliation='owner' role='moderator' jid='%s'/><status code='110'/></x></presence>`,
			s.To, s.From, wire.NSMUCUser, s.From)))
		h.d.handle(batch)
	}
	return any
}

func (h *harness) stanza(raw string) *wire.Stanza {
	h.t.Helper()
	s, err := wire.Decode([]byte(raw))
	if err != nil {
		h.t.Fatalf("%s: %v", raw, err)
	}
	return s
}

// in hands the desk a stanza from the server and settles.
func (h *harness) in(format string, args ...any) {
	h.t.Helper()
	h.d.handle(core.EvStanzas{h.stanza(fmt.Sprintf(format, args...))})
	h.settle()
}

// advance moves the clock on, fires what is due and ticks.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	for step := time.Second; d > 0; d -= step {
		h.clock.add(min(step, d))
		h.d.fire(h.clock.Now())
		h.d.handle(core.EvTick{})
		h.settle()
	}
}

const customer = "customer@localhost/phone"

// say sends a chat from the customer to the entry point.
func (h *harness) say(body string) {
	h.t.Helper()
	h.sayFrom(customer, body)
}

// expectTold has the customer say body and fails unless what they were
// told in answer begins with want.
func (h *harness) expectTold(body, want string) {
	h.t.Helper()
	h.say(body)
	if got := h.told(); !strings.HasPrefix(got, want) {
		h.t.Fatalf("%q: told %q, want %q", body, got, want)
	}
}

// sayFrom sends chats from another customer (a full JID) to the entry
// point, one after the other.
func (h *harness) sayFrom(from string, bodies ...string) {
	h.t.Helper()
	for _, body := range bodies {
		h.seq++
		h.in(`<message from='%s' to='support@help.localhost' type='chat' id='m%d'><body>%s</body></message>`, from, h.seq, wire.Escape(body))
	}
}

// online brings an agent's client online with the given features.
func (h *harness) online(agent string, features ...string) {
	h.t.Helper()
	full := agent + "/desk"
	h.link.mu.Lock()
	h.link.features[full] = features
	h.link.mu.Unlock()
	h.in(`<presence from='%s' to='desk@help.localhost'/>`, full)
}

// join has an agent enter a room under nick.
func (h *harness) join(room, agent, nick string) {
	h.t.Helper()
	if h.occupants[room] == nil {
		h.occupants[room] = map[string]string{}
	}
	h.occupants[room][nick] = agent
	h.in(`<presence from='%s/%s' to='help.localhost/switchboard'><x xmlns='%s'><item affiliation='member' role='participant' jid='%s/desk'/></x></presence>`, room, nick, wire.NSMUCUser, agent)
}

// leave has an agent leave a room.
func (h *harness) leave(room, agent, nick string) {
	h.t.Helper()
	delete(h.occupants[room], nick)
	h.in(`<presence from='%s/%s' to='help.localhost/switchboard' type='unavailable'><x xmlns='%s'><item affiliation='member' role='none' jid='%s/desk'/></x></presence>`, room, nick, wire.NSMUCUser, agent)
}

// decline has an agent decline the invitation to room.
func (h *harness) decline(room, agent string) {
	h.t.Helper()
	h.in(`<message from='%s' to='help.localhost/switchboard'><x xmlns='%s'><decline from='%s/desk'><reason>busy</reason></decline></x></message>`, room, wire.NSMUCUser, agent)
}

// post has an occupant write in a room.
func (h *harness) post(room, nick, body string) {
	h.t.Helper()
	h.seq++
	h.in(`<message from='%s/%s' to='help.localhost/switchboard' type='groupchat' id='g%d'><body>%s</body></message>`, room, nick, h.seq, wire.Escape(body))
}

// out returns what the desk sent since the last look, decoded.
func (h *harness) out() []*wire.Stanza {
	h.link.mu.Lock()
	sent := h.link.sent[h.read:]
	h.read = len(h.link.sent)
	h.link.mu.Unlock()
	var list []*wire.Stanza
	for _, raw := range sent {
		list = append(list, h.stanza(raw))
	}
	return list
}

// invited returns the agents invited since the last look, in order.
func (h *harness) invited() []string {
	var who []string
	for _, s := range h.out() {
		if s.MUCUser != nil && s.MUCUser.Invite != nil {
			who = append(who, s.MUCUser.Invite.To)
		}
	}
	return who
}

// expectInvite checks that exactly agent was invited since the last look.
func (h *harness) expectInvite(agent string) {
	h.t.Helper()
	if got := h.invited(); len(got) != 1 || got[0] != agent {
		h.t.Fatalf("invited %v, want [%s]", got, agent)
	}
}

// told returns what the customer was told since the last look.
func (h *harness) told() string {
	var b []string
	for _, s := range h.out() {
		if s.XMLName.Local == "message" && wire.Bare(s.To) == wire.Bare(customer) && s.Body != "" {
			b = append(b, s.Body)
		}
	}
	return strings.Join(b, "\n")
}

// roomSaid returns what the desk posted in rooms since the last look, and
// fails the test if the customer got anything meanwhile.
func (h *harness) roomSaid() string {
	h.t.Helper()
	var b []string
	for _, s := range h.out() {
		if wire.Bare(s.To) == wire.Bare(customer) && s.Body != "" {
			h.t.Fatalf("the customer got %q", s.Body)
		}
		if s.Type == "groupchat" {
			b = append(b, s.Body)
		}
	}
	return strings.Join(b, "\n")
}

// conv returns the live conversation id.
func (h *harness) conv(id uint64) *core.Conv {
	h.t.Helper()
	c := h.d.Convs[id]
	if c == nil {
		h.t.Fatalf("no conversation %d", id)
	}
	return c
}

// stored reads conversation id and its timeline's actions from the store.
func (h *harness) stored(id uint64) (*store.Conversation, []string) {
	h.t.Helper()
	h.settle()
	var rec *store.Conversation
	var actions []string
	err := h.st.View(func(tx *store.Tx) error {
		var err error
		if rec, err = tx.Conversation(id); err != nil {
			return err
		}
		ev, err := tx.Timeline(id)
		for _, e := range ev {
			actions = append(actions, e.Action)
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return rec, actions
}

// alicesConversation brings alice online and walks the customer to her:
// she joins the room of conversation 1.
func (h *harness) alicesConversation() {
	h.t.Helper()
	h.online("alice@localhost")
	h.queued()
	h.join(room, "alice@localhost", "Alice")
}

// queued walks the customer into the billing queue and returns the room.
func (h *harness) queued() string {
	h.t.Helper()
	h.say("hello")
	h.say("1")
	return "case-1@conference.localhost"
}

// ringAll makes billing a ring-all queue.
func (h *harness) ringAll() {
	qs := slices.Clone(h.cfg.Queues)
	for i := range qs {
		if qs[i].Name == "billing" {
			qs[i].Strategy = routing.RingAll
		}
	}
	h.d.Router.SetQueues(qs)
}

// officeHours puts the support entry point and the billing queue on
// weekday hours in UTC and restarts the desk with them.
func (h *harness) officeHours(weekdays string) {
	h.t.Helper()
	days := map[string]string{}
	for _, d := range hours.Days[:5] {
		days[d] = weekdays
	}
	s, err := hours.Parse("office", "UTC", days, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	h.cfg.Hours = map[string]*hours.Schedule{"office": s}
	h.cfg.Entries[0].Hours = "office"
	for i := range h.cfg.Queues {
		if h.cfg.Queues[i].Name == "billing" {
			h.cfg.Queues[i].Hours = "office"
		}
	}
	h.restart()
	h.out()
}

// posted returns what was posted in rooms since the last look, the
// customer's chats left out.
func (h *harness) posted() string {
	var b strings.Builder
	for _, s := range h.out() {
		if s.Type == "groupchat" {
			b.WriteString(s.Body)
		}
	}
	return b.String()
}

// chatsTo returns the bodies of the messages sent to jid (bare) since
// the last look.
func (h *harness) chatsTo(jid string) []string {
	var out []string
	for _, s := range h.out() {
		if wire.Bare(s.To) == jid && s.Body != "" {
			out = append(out, s.Body)
		}
	}
	return out
}
