package component_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

// binary builds cmd/switchboard once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "switchboard-bin")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "switchboard")
		out, err := exec.Command("go", "build", "-o", binPath, "switchboard/cmd/switchboard").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// proc is the desk as a separate process, so that it can be killed.
type proc struct {
	cmd *exec.Cmd
	out *syncBuffer
}

// syncBuffer is the process's output, read while it writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// output is what the process wrote so far.
func (p *proc) output() string { return p.out.String() }

func (e *env) startProc() *proc {
	e.t.Helper()
	cmd := exec.Command(binary(e.t), "run", "-config", e.cfgPath)
	p := &proc{cmd: cmd, out: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if e.t.Failed() {
			e.t.Logf("desk process output:\n%s", p.out)
		}
	})
	e.waitReady()
	return p
}

func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

// get calls the desk process's HTTP API with the test token.
func (e *env) get(path string) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest("GET", "http://"+e.httpAddr+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t0ken")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// waitReady polls /readyz.
func (e *env) waitReady() time.Duration {
	e.t.Helper()
	start := time.Now()
	for time.Since(start) < 20*time.Second {
		resp, err := http.Get("http://" + e.httpAddr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Since(start)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.t.Fatal("desk not ready within 20s")
	return 0
}

// waiting returns the public status's waiting count of a queue.
func (e *env) waiting(queue string) int {
	e.t.Helper()
	resp, err := http.Get("http://" + e.httpAddr + "/api/v1/status")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Queues []struct {
			Queue   string `json:"queue"`
			Waiting int    `json:"waiting"`
		} `json:"queues"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		e.t.Fatal(err)
	}
	for _, q := range st.Queues {
		if q.Queue == queue {
			return q.Waiting
		}
	}
	return -1
}

func TestKilledWhileQueued(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	p := e.startProc()
	cust := e.login("customer", xmppclient.Options{})
	billingQuestion(t, cust, "123456")
	expectChat(t, cust, entry, "number 1 in the queue")
	say(t, cust, "still there?")
	waitFor(t, "queued in billing", func() bool { return e.waiting("billing") == 1 })

	p.kill(t)
	e.startProc()
	waitFor(t, "queued after restart", func() bool { return e.waiting("billing") == 1 })

	alice := e.login("alice", xmppclient.Options{})
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectChat(t, cust, entry, "You are now chatting with Alice.")
	post(t, alice, room, "sorry for the wait")
	expectChat(t, cust, entry, "sorry for the wait")
}

func TestServerRestart(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	_, _, room := assigned(t, e)

	ctx2, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.srv.Restart(ctx2); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	waitFor(t, "desk reconnected", func() bool { return e.desk.Ready() })
	t.Logf("desk reconnected %v after Prosody answered again", time.Since(restarted).Round(time.Millisecond))

	// Stock clients reconnect and rejoin by themselves; these do it here.
	alice := e.login("alice", xmppclient.Options{})
	cust := e.login("customer", xmppclient.Options{})
	join(t, alice, room, "Alice")
	say(t, cust, "back again")
	expectRoom(t, alice, room, "back again")
	post(t, alice, room, "welcome back")
	expectChat(t, cust, entry, "welcome back")
	_ = wire.Bare
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
