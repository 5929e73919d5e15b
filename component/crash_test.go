package component_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/api"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
	"switchboard/store"
)

// tally records what one client saw.
type tally struct {
	mu       sync.Mutex
	receipts map[string]int // message id → receipts received
	bodies   map[string]int // body → times received
	recapped map[string]bool
}

func newTally() *tally { return &tally{receipts: map[string]int{}, bodies: map[string]int{}} }

// agentLoop joins every room the agent is invited to and counts the
// customer messages it sees there.
func agentLoop(a *xmppclient.Client, nick string, tl *tally, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case s := <-a.In():
			if s.MUCUser != nil && s.MUCUser.Invite != nil {
				go a.Join(ctx(), wire.Bare(s.From), nick)
				continue
			}
			if s.Type != "groupchat" || s.Delay != nil || wire.Resource(s.From) == nick {
				continue
			}
			tl.mu.Lock()
			if strings.HasPrefix(s.Body, "k") {
				tl.bodies[s.Body]++
			} else if strings.HasPrefix(s.Body, "[desk] Recap") {
				// Messages an agent sees in a recap count as seen (once).
				for _, line := range strings.Split(s.Body, "\n") {
					if f := strings.Fields(line); len(f) == 3 && strings.HasPrefix(f[2], "k") {
						if tl.recapped == nil {
							tl.recapped = map[string]bool{}
						}
						tl.recapped[f[2]] = true
					}
				}
			}
			tl.mu.Unlock()
		}
	}
}

// customerLoop counts receipts.
func customerLoop(c *xmppclient.Client, tl *tally, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case s := <-c.In():
			if id := s.Received(); id != "" {
				tl.mu.Lock()
				tl.receipts[id]++
				tl.mu.Unlock()
			}
		}
	}
}

// TestKillLoop SIGKILLs the desk at random points while customers write,
// start conversations and wait in the queue, and checks that nothing the
// desk accepted (acknowledged with a receipt) was lost or stored twice,
// that no conversation was opened twice and that every conversation ends
// up assigned. SWITCHBOARD_LONG=1 runs 100 kills instead of 5.
func TestKillLoop(t *testing.T) {
	kills := 5
	if os.Getenv("SWITCHBOARD_LONG") != "" {
		kills = 100
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("seed %d, %d kills", seed, kills)
	var users []string
	for i := 0; i < 4+kills; i++ {
		users = append(users, fmt.Sprintf("k%02d", i))
	}
	e := newEnv(t, "5s", map[string]string{"alice": "billing = 7; 100", "bob": "billing = 7; 100"})
	if err := e.srv.RegisterMany(users, password); err != nil {
		t.Fatal(err)
	}
	p := e.startProc()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	agentTally := newTally()
	for _, name := range []string{"alice", "bob"} {
		a := e.login(name, xmppclient.Options{})
		wg.Add(1)
		go func() { defer wg.Done(); agentLoop(a, strings.ToUpper(name[:1])+name[1:], agentTally, stop) }()
	}
	custTally := newTally()
	// Every kill adds a customer writing until the end: past 50 kills they
	// write less often, so that the server is not what the test measures.
	pace := time.Duration(max(1, kills/50))
	var sent sync.Map // id → struct{}
	start := func(i int) {
		c := e.login(users[i], xmppclient.Options{})
		wg.Add(2)
		go func() { defer wg.Done(); customerLoop(c, custTally, stop) }()
		go func() {
			defer wg.Done()
			for _, b := range []string{"hello", "1", "123456"} {
				c.Message(ctx(), entry, b)
			}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				case <-time.After(pace * time.Duration(20+rand.IntN(30)) * time.Millisecond): // rng is not for goroutines
				}
				id := fmt.Sprintf("%s-%d", users[i], n)
				sent.Store(id, struct{}{})
				c.Send(ctx(), `<message to='`+entry+`' type='chat' id='`+id+`'><body>`+id+`</body><request xmlns='urn:xmpp:receipts'/></message>`)
			}
		}()
	}
	for i := 0; i < 4; i++ {
		start(i)
	}
	var downtime time.Duration
	for k := 0; k < kills; k++ {
		start(4 + k) // a customer in the dialog or the queue when the kill comes
		time.Sleep(time.Duration(100+rng.IntN(500)) * time.Millisecond)
		p.kill(t)
		before := time.Now()
		p = e.startProc()
		downtime += time.Since(before)
	}
	// Let the last offers be taken (after many kills every conversation
	// is offered again at the end) and messages land.
	time.Sleep(3 * time.Second)
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		var page api.ListPage
		code, body := e.get("/api/v1/conversations?status=open&limit=" + strconv.Itoa(api.MaxPage))
		if code != 200 || json.Unmarshal(body, &page) != nil {
			continue
		}
		n := 0
		for _, c := range page.Conversations {
			if c.Agent != "" {
				n++
			}
		}
		if n >= 4+kills {
			break
		}
	}
	close(stop)
	wg.Wait()
	p.cmd.Process.Signal(os.Interrupt)
	p.cmd.Wait()

	st, err := store.Open(e.cfg.Store.Path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored := map[string]int{}
	perCustomer := map[string]int{}
	unassigned := 0
	st.View(func(tx *store.Tx) error {
		return tx.Conversations(func(c *store.Conversation) bool {
			perCustomer[c.Customer]++
			if c.Status != store.StatusOpen || c.Agent == "" {
				unassigned++
				t.Logf("conversation %d of %s is %s (agent %q)", c.ID, c.Customer, c.Status, c.Agent)
			}
			msgs, _ := tx.Transcript(c.ID)
			for _, m := range msgs {
				if m.From == "customer" && strings.HasPrefix(m.Body, "k") {
					stored[m.Body]++
				}
			}
			return true
		})
	})
	accepted, lost, duplicated, relayed, relayedTwice := 0, 0, 0, 0, 0
	custTally.mu.Lock()
	for id := range custTally.receipts {
		accepted++
		if stored[id] == 0 {
			lost++
			t.Errorf("message %s was acknowledged but is not stored", id)
		}
	}
	custTally.mu.Unlock()
	for body, n := range stored {
		if n > 1 {
			duplicated++
			t.Errorf("message %s stored %d times", body, n)
		}
	}
	recapOnly := 0
	agentTally.mu.Lock()
	for _, n := range agentTally.bodies {
		relayed++
		if n > 1 {
			relayedTwice++
		}
	}
	for body := range agentTally.recapped {
		if agentTally.bodies[body] == 0 {
			recapOnly++
		}
	}
	agentTally.mu.Unlock()
	for _, u := range users {
		if n := perCustomer[u+"@localhost"]; n != 1 {
			t.Errorf("customer %s has %d conversations, want 1", u, n)
		}
	}
	if unassigned > 0 {
		t.Errorf("%d conversations not assigned after the kills", unassigned)
	}
	n := 0
	sent.Range(func(any, any) bool { n++; return true })
	t.Logf("kills %d (mean restart to ready %v), conversations %d, messages sent %d, accepted %d, stored %d, lost %d, duplicated %d; reached an agent %d as messages (twice: %d) and %d more in recaps",
		kills, (downtime / time.Duration(kills)).Round(time.Millisecond), len(perCustomer), n, accepted, len(stored), lost, duplicated, relayed, relayedTwice, recapOnly)
	if accepted == 0 {
		t.Fatal("no message was accepted at all")
	}
}
