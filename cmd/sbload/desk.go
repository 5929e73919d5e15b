package main

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"switchboard/component"
	"switchboard/component/config"
)

// runDesk is the child process: the switchboard daemon itself.
func runDesk(path string) int {
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Stop when the parent closes our stdin.
		bufio.NewReader(os.Stdin).ReadString('\n')
		cancel()
	}()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if os.Getenv("SBLOAD_DESK_HEAPPROFILE") != "" {
		runtime.MemProfileRate = 64 // fine-grained, for the heap profile sbload saves
	}
	if p := os.Getenv("SBLOAD_DESK_CPUPROFILE"); p != "" {
		// The parent signals the measured relay phases: SIGUSR1 starts
		// the profile, SIGUSR2 (or the end) stops it.
		sig := make(chan os.Signal, 2)
		signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
		go func() {
			for s := range sig {
				if s == syscall.SIGUSR2 {
					pprof.StopCPUProfile()
					return
				}
				if f, err := os.Create(p); err == nil {
					pprof.StartCPUProfile(f)
				}
			}
		}()
		defer func() {
			signal.Stop(sig)
			pprof.StopCPUProfile()
		}()
	}
	if err := component.Serve(ctx, cfg, component.ServeOptions{Logger: log}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// desk is the child process from the parent's side.
type desk struct {
	cmd   *exec.Cmd
	stdin interface{ Close() error }
	http  string
}

func startDesk(ctx context.Context, cfgPath, httpAddr, logPath string) (*desk, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-desk", cfgPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	d := &desk{cmd: cmd, stdin: in, http: httpAddr}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + httpAddr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return d, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			d.stop()
			return nil, fmt.Errorf("desk not ready within 20s (log: %s)", logPath)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (d *desk) stop() {
	d.stdin.Close()
	done := make(chan struct{})
	go func() { d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		d.cmd.Process.Kill()
		<-done
	}
}

// procStat is a process's CPU time so far and resident memory.
type procStat struct {
	cpu     time.Duration // user and system
	sys     time.Duration // of which system (syscalls: socket I/O, page writes, fdatasync)
	rss     int64         // bytes
	rssAnon int64         // of which anonymous memory (the rest maps files: bbolt's)
	rssPeak int64         // the most it has been resident (VmHWM)
}

// readProc reads /proc/PID/stat (utime+stime) and /proc/PID/status (VmRSS).
func readProc(pid int) (procStat, error) {
	var st procStat
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return st, err
	}
	// Fields after the command name, which is in parentheses.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return st, fmt.Errorf("short /proc stat")
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const hz = 100 // USER_HZ on Linux
	st.cpu = time.Duration(utime+stime) * time.Second / hz
	st.sys = time.Duration(stime) * time.Second / hz
	b, err = os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return st, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			st.rss = kb * 1024
		case "RssAnon:":
			st.rssAnon = kb * 1024
		case "VmHWM:":
			st.rssPeak = kb * 1024
		}
	}
	return st, nil
}
