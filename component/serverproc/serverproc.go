package serverproc

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// Proc is a running server process.
type Proc struct {
	name   string
	cmd    *exec.Cmd
	exited chan struct{}
}

// Start starts cmd in a session of its own, with its output appended to
// out. cmd.SysProcAttr may already carry credentials.
func Start(name string, cmd *exec.Cmd, out string) (*Proc, error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setsid, cmd.SysProcAttr.Pdeathsig = true, syscall.SIGTERM
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: start: %w", name, err)
	}
	p := &Proc{name: name, cmd: cmd, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		f.Close()
		close(p.exited)
	}()
	return p, nil
}

// WaitPorts returns once every address answers, or fails when the process
// exits first, ctx ends or limit passes (stopping it then); log says what
// the server wrote, for the error.
func (p *Proc) WaitPorts(ctx context.Context, addrs []string, limit time.Duration, log func() string) error {
	deadline := time.Now().Add(limit)
	for _, addr := range addrs {
		for {
			conn, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				conn.Close()
				break
			}
			select {
			case <-p.exited:
				return fmt.Errorf("%s: exited at start-up; log:\n%s", p.name, log())
			case <-ctx.Done():
				p.Stop(10 * time.Second)
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				p.Stop(10 * time.Second)
				return fmt.Errorf("%s: %s did not answer within %v; log:\n%s", p.name, addr, limit, log())
			}
		}
	}
	return nil
}

// Stop terminates the process and waits for it, with SIGKILL after grace.
func (p *Proc) Stop(grace time.Duration) {
	if p == nil {
		return
	}
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// Pid is the process id, for CPU accounting.
func (p *Proc) Pid() int {
	if p == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// FreePorts reserves n free TCP ports on loopback and releases them.
func FreePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Pick returns want when it is free on loopback, else fallback.
func Pick(want, fallback int) int {
	if want == 0 {
		return fallback
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(want))
	if err != nil {
		return fallback
	}
	l.Close()
	return want
}
