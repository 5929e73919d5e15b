package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"switchboard/component/prosody"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

const password = "load"

// client is a logged-in session whose stanzas go to the current handler.
type client struct {
	*xmppclient.Client
	name    string
	handler atomic.Pointer[func(wire.Stanza)]
}

func (c *client) on(h func(wire.Stanza)) { c.handler.Store(&h) }

func (c *client) read() {
	for {
		select {
		case s := <-c.In():
			if h := c.handler.Load(); h != nil {
				(*h)(s)
			}
		case <-c.Done():
			return
		}
	}
}

// startServer makes a directory for the run and starts Prosody in it with
// users registered; done stops it and removes the directory (unless
// -keep).
func startServer(ctx context.Context, o options, users []string) (dir string, srv *prosody.Server, done func(), err error) {
	dir, err = os.MkdirTemp("", "sbload-")
	if err != nil {
		return "", nil, nil, err
	}
	rm := func() { os.RemoveAll(dir) }
	if o.keep {
		fmt.Println("files kept in", dir)
		rm = func() {}
	}
	srv, err = prosody.Start(ctx, prosody.Config{Dir: filepath.Join(dir, "prosody"), NoNagle: !o.nagle, LogLevel: "warn"})
	if err != nil {
		rm()
		return "", nil, nil, err
	}
	done = func() { srv.Stop(); rm() }
	if err := srv.RegisterMany(users, password); err != nil {
		done()
		return "", nil, nil, err
	}
	return dir, srv, done, nil
}

func run(ctx context.Context, o options, log *slog.Logger) error {
	custNames, agentNames := names("c", o.customers), names("a", o.agents)
	users := append(append([]string{}, custNames...), agentNames...)
	if o.flood > 0 {
		users = append(users, "flooder")
	}
	dir, srv, done, err := startServer(ctx, o, users)
	if err != nil {
		return err
	}
	defer done()
	ports, err := prosody.FreePorts(1)
	if err != nil {
		return err
	}
	httpAddr := fmt.Sprintf("127.0.0.1:%d", ports[0])
	cfgPath := filepath.Join(dir, "switchboard.toml")
	rateLimit := 0 // off: every customer sends as fast as it may
	if o.flood > 0 {
		rateLimit = floodLimit
	}
	maxChats := (o.customers+o.agents-1)/o.agents + 1
	if err := os.WriteFile(cfgPath, []byte(deskConfig(srv, httpAddr, filepath.Join(dir, "sb.db"), agentNames, maxChats, o.applyEvery, o.linger, rateLimit)), 0o600); err != nil {
		return err
	}
	d, err := startDesk(ctx, cfgPath, httpAddr, filepath.Join(dir, "desk.log"))
	if err != nil {
		return err
	}
	defer d.stop()
	log.Info("desk up", "pid", d.cmd.Process.Pid)

	agents, err := loginAll(ctx, srv, agentNames)
	if err != nil {
		return err
	}
	customers, err := loginAll(ctx, srv, custNames)
	if err != nil {
		return err
	}
	defer closeAll(agents)
	defer closeAll(customers)
	if err := waitAgents(ctx, httpAddr, o.agents); err != nil {
		return err
	}
	log.Info("sessions up", "customers", len(customers), "agents", len(agents))

	// Both paths are warmed up first, unmeasured: the first messages
	// between two sessions cost the server more than the rest.
	warm := o
	warm.messages, warm.rate = 5, 0

	// The server's own limit: the same sessions, client to client.
	if _, err := measure(ctx, warm, customers, agents, directRoute); err != nil {
		return fmt.Errorf("direct warm-up: %w", err)
	}
	settle(httpAddr)
	idle, _ := readProc(d.cmd.Process.Pid)
	heap0 := liveHeap(httpAddr)
	// Conversations are opened in two halves, the desk left idle after
	// each: the first half's growth includes what a desk grows once, when
	// it first gets busy; the second half's is what one more idle open
	// conversation costs.
	half := len(customers) / 2
	rooms, err := openConversations(ctx, customers[:half], agents)
	if err != nil {
		return fmt.Errorf("opening conversations: %w", err)
	}
	settle(httpAddr)
	mid, _ := readProc(d.cmd.Process.Pid)
	more, err := openConversations(ctx, customers[half:], agents)
	if err != nil {
		return fmt.Errorf("opening conversations: %w", err)
	}
	rooms = append(rooms, more...)
	// Idle open conversations: what an idle desk comes down to.
	settle(httpAddr)
	opened, _ := readProc(d.cmd.Process.Pid)
	heap1 := liveHeap(httpAddr)
	log.Info("conversations open", "n", len(rooms))
	if p := os.Getenv("SBLOAD_DESK_HEAPPROFILE"); p != "" {
		saveHeapProfile(httpAddr, p)
	}
	if _, err := measure(ctx, warm, customers, agents, relayRoute(rooms)); err != nil {
		return fmt.Errorf("relay warm-up: %w", err)
	}
	if o.flood > 0 {
		flooder, err := loginAll(ctx, srv, []string{"flooder"})
		if err != nil {
			return err
		}
		defer closeAll(flooder)
		return floodRun(ctx, o, customers, agents, rooms, flooder[0], httpAddr)
	}

	// The two paths take turns, so that drift on a shared machine falls
	// on both alike.
	var direct, relayed phase
	per := o
	per.messages = max(1, o.messages/o.rounds)
	if os.Getenv("SBLOAD_DESK_CPUPROFILE") != "" {
		// Profile the desk from here to the end of the phases only.
		d.cmd.Process.Signal(syscall.SIGUSR1)
		defer d.cmd.Process.Signal(syscall.SIGUSR2)
	}
	for r := 0; r < o.rounds; r++ {
		if err := direct.run(ctx, per, customers, agents, directRoute, srv.Pid(), d.cmd.Process.Pid, httpAddr); err != nil {
			return fmt.Errorf("direct phase: %w", err)
		}
		if err := relayed.run(ctx, per, customers, agents, relayRoute(rooms), srv.Pid(), d.cmd.Process.Pid, httpAddr); err != nil {
			return fmt.Errorf("relay phase: %w", err)
		}
		log.Info("round done", "round", r+1)
	}

	if p := os.Getenv("SBLOAD_DESK_ALLOCPROFILE"); p != "" {
		// Everything allocated since the start, for -sample_index=alloc_space.
		saveHeapProfile(httpAddr, p)
	}
	nagle := "off (network_settings = { nagle = false })"
	if o.nagle {
		nagle = "on (Prosody's default)"
	}
	pace := "as fast as possible"
	if o.rate > 0 {
		pace = fmt.Sprintf("paced at %d msg/s", o.rate)
	}
	fmt.Printf("sbload: %d customers, %d agents, %d messages each way per pair in %d rounds, window %d, %s, Prosody Nagle %s\n",
		o.customers, o.agents, per.messages*o.rounds, o.rounds, o.window, pace, nagle)
	fmt.Printf("direct   %s\n", direct.res)
	fmt.Printf("relayed  %s\n", relayed.res)
	fmt.Printf("ratio relayed/direct = %.2f\n", relayed.res.rate()/direct.res.rate())
	fmt.Printf("desk CPU per relayed message: %.1f µs (durable write included; %.1f µs of it in the kernel)\n", perMsg(relayed.desk, relayed.res.count), perMsg(relayed.deskSys, relayed.res.count))
	fmt.Printf("Prosody CPU per message: direct %.1f µs, relayed %.1f µs\n", perMsg(direct.server, direct.res.count), perMsg(relayed.server, relayed.res.count))
	fmt.Printf("sbload's own CPU per message (its clients): direct %.1f µs, relayed %.1f µs\n", perMsg(direct.self, direct.res.count), perMsg(relayed.self, relayed.res.count))
	rm := func(name string) float64 { return relayed.metrics[name] / float64(relayed.res.count) }
	fmt.Printf("desk stanzas per relayed message: %.2f in (+%.2f room echoes dropped), %.2f out; %.2f writes per commit\n",
		rm("switchboard_stanzas_in_total"), rm("switchboard_room_echoes_total"), rm("switchboard_stanzas_out_total"),
		relayed.metrics["switchboard_store_writes_per_commit_sum"]/max(1, relayed.metrics["switchboard_store_writes_per_commit_count"]))
	kib := func(from, to int64, n int) float64 { return float64(to-from) / 1024 / float64(max(n, 1)) }
	fmt.Printf("desk RSS per idle open conversation: %.1f KiB for each of the last %d (%.1f KiB anonymous); %.1f KiB over all %d, the desk's first growth included (%.1f KiB anonymous; RSS %.1f MiB before, %.1f MiB after); live Go heap %.1f KiB per conversation\n",
		kib(mid.rss, opened.rss, len(more)), len(more), kib(mid.rssAnon, opened.rssAnon, len(more)),
		kib(idle.rss, opened.rss, len(rooms)), len(rooms), kib(idle.rssAnon, opened.rssAnon, len(rooms)),
		float64(idle.rss)/(1<<20), float64(opened.rss)/(1<<20), (heap1-heap0)/1024/float64(len(rooms)))
	if end, err := readProc(d.cmd.Process.Pid); err == nil {
		fmt.Printf("desk peak RSS: %.1f MiB (under load; an idle desk gives memory back)\n", float64(end.rssPeak)/(1<<20))
	}
	return nil
}

// phase accumulates the rounds of one path.
type phase struct {
	res                result
	server, self, desk time.Duration
	deskSys            time.Duration
	metrics            map[string]float64 // desk counter increases
}

// run measures one round of a path and adds it up.
func (p *phase) run(ctx context.Context, o options, customers, agents []*client, mk func(customers, agents []*client) route, serverPid, deskPid int, httpAddr string) error {
	s0, _ := readProc(serverPid)
	me0, _ := readProc(os.Getpid())
	d0, _ := readProc(deskPid)
	m0 := scrape(httpAddr)
	r, err := measure(ctx, o, customers, agents, mk)
	if err != nil {
		return err
	}
	s1, _ := readProc(serverPid)
	me1, _ := readProc(os.Getpid())
	d1, _ := readProc(deskPid)
	m1 := scrape(httpAddr)
	p.res.count += r.count
	p.res.elapsed += r.elapsed
	p.res.toAgent = append(p.res.toAgent, r.toAgent...)
	p.res.toCust = append(p.res.toCust, r.toCust...)
	p.server += s1.cpu - s0.cpu
	p.self += me1.cpu - me0.cpu
	p.desk += d1.cpu - d0.cpu
	p.deskSys += d1.sys - d0.sys
	if p.metrics == nil {
		p.metrics = map[string]float64{}
	}
	for k, v := range m1 {
		p.metrics[k] += v - m0[k]
	}
	return nil
}

// scrape reads the desk's metrics without labels.
func scrape(httpAddr string) map[string]float64 {
	out := map[string]float64{}
	resp, err := http.Get("http://" + httpAddr + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && !strings.HasPrefix(line, "#") {
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				out[f[0]] = v
			}
		}
	}
	return out
}

// settle waits for the desk to come to where an idle one comes by itself:
// quiet for a few seconds, it gives free memory back to the system
// (switchboard_memory_releases_total counts it). It has the desk collect
// garbage first, so that the live heap reads true even when the desk had
// released already and nothing happened since.
func settle(httpAddr string) {
	const releases = "switchboard_memory_releases_total"
	before := scrape(httpAddr)[releases]
	saveHeapProfile(httpAddr, os.DevNull)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		if scrape(httpAddr)[releases] > before {
			break
		}
	}
}

// liveHeap is the desk's heap right after a collection: settle's own
// scrapes leave garbage behind.
func liveHeap(httpAddr string) float64 {
	saveHeapProfile(httpAddr, os.DevNull)
	return scrape(httpAddr)["go_memstats_heap_alloc_bytes"]
}

// saveHeapProfile fetches the desk's heap profile (after a GC).
func saveHeapProfile(httpAddr, path string) {
	req, _ := http.NewRequest("GET", "http://"+httpAddr+"/debug/pprof/heap?gc=1", nil)
	req.Header.Set("Authorization", "Bearer sbload")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	io.Copy(f, resp.Body)
}

func perMsg(d time.Duration, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(n)
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%05d", prefix, i)
	}
	return out
}

func deskConfig(srv *prosody.Server, httpAddr, store string, agents []string, maxChats int, applyEvery, linger time.Duration, rateLimit int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `[xmpp]
address = %q
domain = %q
secret = %q
muc_service = %q

[http]
listen = %q
api_token = "sbload"

[store]
path = %q
apply_every = %q
linger = %q

[desk]
rate_limit = %d
domain_rate_limit = 0

[[entry]]
localpart = "support"
dialog = "main"

[[queue]]
name = "load"
skills = { load = 1 }
offer_timeout = "60s"

[dialogs.main.start]
say = "Load test desk"
options = [ { key = "1", label = "Talk to someone", queue = "load" } ]
`, srv.ComponentAddr(), srv.Component, srv.Secret, srv.MUC, httpAddr, store, applyEvery.String(), linger.String(), rateLimit)
	for _, a := range agents {
		fmt.Fprintf(&b, "\n[[agent]]\njid = \"%s@%s\"\nskills = { load = 5 }\nmax_chats = %d\n", a, srv.Domain, maxChats)
	}
	return b.String()
}

// loginAll logs sessions in, a few at a time.
func loginAll(ctx context.Context, srv *prosody.Server, users []string) ([]*client, error) {
	out := make([]*client, len(users))
	errs := make(chan error, len(users))
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			lctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			c, err := xmppclient.Dial(lctx, srv.C2SAddr(), u+"@"+srv.Domain, password, xmppclient.Options{Name: "sbload", Version: "1", Buffer: 1 << 15})
			if err != nil {
				errs <- err
				return
			}
			out[i] = &client{Client: c, name: u}
			go out[i].read()
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		closeAll(out)
		return nil, err
	}
	return out, nil
}

func closeAll(cs []*client) {
	for _, c := range cs {
		if c != nil {
			c.Close()
		}
	}
}

// waitAgents waits until the desk sees every agent available.
func waitAgents(ctx context.Context, httpAddr string, n int) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var st struct {
			Queues []struct {
				Available int `json:"agents_available"`
			} `json:"queues"`
		}
		resp, err := http.Get("http://" + httpAddr + "/api/v1/status")
		if err == nil {
			json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if len(st.Queues) > 0 && st.Queues[0].Available == n {
				return nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("the desk did not see all %d agents available", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
