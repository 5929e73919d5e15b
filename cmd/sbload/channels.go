package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/component/channel/twilio/twiliofake"
	"switchboard/component/prosody"
	"switchboard/component/wire"
)

// channelsRun measures the SMS channel against a fake provider: signed
// SMS from o.customers numbers at o.rate a second, timed to the
// provider's answer (durable) and to the agent's client in the room;
// agents' answers at the same rate, timed to the provider's request; and
// 1,000 answers written while the provider is down, timed from its
// return until each has reached it, once.
func channelsRun(ctx context.Context, o options, log *slog.Logger) error {
	rate := o.rate
	if rate <= 0 {
		rate = 200
	}
	agentNames := names("a", o.agents)
	dir, srv, done, err := startServer(ctx, o, agentNames)
	if err != nil {
		return err
	}
	defer done()

	// The provider, in this process: what it takes is timed here.
	var outMu sync.Mutex
	outSent := map[string]time.Time{} // body → when the agent posted it
	var outLat []time.Duration
	taken := map[string]int{}
	provider := &twiliofake.Provider{AccountSID: "ACload", AuthToken: "load-token", Taken: func(m twiliofake.Message) {
		now := time.Now()
		outMu.Lock()
		defer outMu.Unlock()
		taken[m.Body]++ // the bodies timed are each sent once, to one number
		if at, ok := outSent[m.Body]; ok && taken[m.Body] == 1 {
			outLat = append(outLat, now.Sub(at))
		}
	}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ps := &http.Server{Handler: provider, ReadHeaderTimeout: 10 * time.Second}
	go ps.Serve(ln)
	defer ps.Close()

	ports, err := prosody.FreePorts(1)
	if err != nil {
		return err
	}
	httpAddr := fmt.Sprintf("127.0.0.1:%d", ports[0])
	cfgPath := filepath.Join(dir, "switchboard.toml")
	maxChats := (o.customers+o.agents-1)/o.agents + 1
	cfg := deskConfig(srv, httpAddr, filepath.Join(dir, "sb.db"), agentNames, maxChats, o.applyEvery, o.linger, 0) + fmt.Sprintf(`
[[channel]]
name = "sms"
kind = "twilio"
queue = "load"
number = "+4930123456"
account_sid = "ACload"
auth_token = "load-token"
api_url = "http://%s"
public_url = "http://%s"
max_attempts = 100
`, ln.Addr(), httpAddr)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		return err
	}
	d, err := startDesk(ctx, cfgPath, httpAddr, filepath.Join(dir, "desk.log"))
	if err != nil {
		return err
	}
	defer d.stop()
	agents, err := loginAll(ctx, srv, agentNames)
	if err != nil {
		return err
	}
	defer closeAll(agents)
	if err := waitAgents(ctx, httpAddr, o.agents); err != nil {
		return err
	}
	caller := &twiliofake.Caller{PublicURL: "http://" + httpAddr, Channel: "sms", AccountSID: "ACload", AuthToken: "load-token", Number: "+4930123456",
		Client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}

	// Every number opens a conversation; an agent takes each.
	phones := make([]string, o.customers)
	index := map[string]int{}
	for i := range phones {
		phones[i] = fmt.Sprintf("+4930%07d", 1000000+i)
		index["tel:"+phones[i]] = i
	}
	rooms := make([]string, len(phones))
	owner := make([]*client, len(phones))
	var roomMu sync.Mutex
	var joined atomic.Int64
	var inMu sync.Mutex
	inSent := map[string]time.Time{}
	var roomLat []time.Duration
	for _, a := range agents {
		a.on(func(s wire.Stanza) {
			switch {
			case s.MUCUser != nil && s.MUCUser.Invite != nil:
				f := strings.Fields(s.MUCUser.Invite.Reason) // "New conversation case-N from tel:+49… (queue load)"
				if len(f) < 5 {
					return
				}
				i, ok := index[f[4]]
				if !ok {
					return
				}
				roomMu.Lock()
				rooms[i], owner[i] = wire.Bare(s.From), a
				roomMu.Unlock()
				go func() {
					if a.Join(context.Background(), wire.Bare(s.From), a.name) == nil {
						joined.Add(1)
					}
				}()
			case s.Type == "groupchat" && s.Delay == nil && strings.HasPrefix(s.Body, "in "):
				now := time.Now()
				inMu.Lock()
				if at, ok := inSent[s.Body]; ok {
					roomLat = append(roomLat, now.Sub(at))
					delete(inSent, s.Body)
				}
				inMu.Unlock()
			}
		})
	}
	var seq atomic.Int64
	sid := func() string { return fmt.Sprintf("SM%032d", seq.Add(1)) }
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for _, p := range phones {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			caller.SMS(ctx, sid(), p, "hello")
		}()
	}
	wg.Wait()
	for deadline := time.Now().Add(2 * time.Minute); joined.Load() < int64(len(phones)); {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("only %d of %d SMS conversations taken", joined.Load(), len(phones))
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(time.Second) // the recaps posted
	log.Info("SMS conversations open", "n", len(phones))

	// Inbound at rate: the provider's answer, then the room.
	secs := max(1, int(o.phase.Seconds()))
	n := rate * secs
	ackLat := make([]time.Duration, 0, n)
	var ackMu sync.Mutex
	var failed atomic.Int64
	pace(ctx, rate, n, func(k int) {
		body := "in " + strconv.Itoa(k)
		start := time.Now()
		inMu.Lock()
		inSent[body] = start
		inMu.Unlock()
		a, err := caller.SMS(ctx, sid(), phones[k%len(phones)], body)
		if err != nil || a.Status != http.StatusOK {
			failed.Add(1)
			return
		}
		ackMu.Lock()
		ackLat = append(ackLat, time.Since(start))
		ackMu.Unlock()
	})
	waitFor(func() bool { inMu.Lock(); defer inMu.Unlock(); return len(roomLat) >= n-int(failed.Load()) }, 30*time.Second)

	// Outbound at rate: the agent's line to the provider's request.
	pace(ctx, rate, n, func(k int) {
		i := k % len(phones)
		body := "out " + strconv.Itoa(k)
		outMu.Lock()
		outSent[body] = time.Now()
		outMu.Unlock()
		owner[i].Groupchat(ctx, rooms[i], body)
	})
	waitFor(func() bool { outMu.Lock(); defer outMu.Unlock(); return len(outLat) >= n }, 30*time.Second)

	// 1,000 answers while the provider is down.
	const queued = 1000
	provider.Fail(func(int) *twiliofake.Failure {
		return &twiliofake.Failure{Status: 503, Code: 20503, Message: "Service Unavailable"}
	})
	for k := range queued {
		i := k % len(phones)
		owner[i].Groupchat(ctx, rooms[i], "down "+strconv.Itoa(k))
	}
	waitFor(func() bool { return scrape(httpAddr)["switchboard_outbox_pending"] >= queued }, 30*time.Second)
	pending := scrape(httpAddr)["switchboard_outbox_pending"]
	time.Sleep(10 * time.Second) // down a while: the retries back off
	provider.Fail(nil)
	back := time.Now()
	delivered := func() int {
		outMu.Lock()
		defer outMu.Unlock()
		c := 0
		for k := range queued {
			if taken["down "+strconv.Itoa(k)] > 0 {
				c++
			}
		}
		return c
	}
	waitFor(func() bool { return delivered() == queued }, 2*time.Minute)
	allIn := time.Since(back)
	time.Sleep(2 * time.Second) // nothing more comes
	dups, got := 0, delivered()
	outMu.Lock()
	for body, c := range taken {
		// The desk's own texts go to every number alike; what the agents
		// wrote is unique.
		if c > 1 && (strings.HasPrefix(body, "out ") || strings.HasPrefix(body, "down ")) {
			dups += c - 1
			log.Warn("delivered more than once", "body", body, "times", c)
		}
	}
	outMu.Unlock()

	fmt.Printf("sbload -channels: %d SMS senders, %d agents, %d requests/s for %ds each way\n", len(phones), len(agents), rate, secs)
	fmt.Printf("inbound SMS, the provider answered (durable): %s (%d failed)\n", pct(ackLat), failed.Load())
	fmt.Printf("inbound SMS, posted in the agent's room:      %s\n", pct(roomLat))
	fmt.Printf("agent's line to the provider's request:       %s\n", pct(outLat))
	fmt.Printf("provider down: %.0f answers pending; back: %d of %d delivered %.1fs after its return, %d more than once\n",
		pending, got, queued, allIn.Seconds(), dups)
	return nil
}

// pace calls fn(k) for k < n, at rate a second, each on its own goroutine,
// and waits for them.
func pace(ctx context.Context, rate, n int, fn func(k int)) {
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	for k := 0; k < n && ctx.Err() == nil; k++ {
		<-tick.C
		wg.Add(1)
		go func() { defer wg.Done(); fn(k) }()
	}
	wg.Wait()
}

// waitFor polls cond until it holds or d has passed.
func waitFor(cond func() bool, d time.Duration) {
	for deadline := time.Now().Add(d); !cond() && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
}
