package prosody

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/template"
	"time"
)

//go:embed prosody.cfg.lua.tmpl
var cfgTemplate string

var tmpl = template.Must(template.New("prosody").Parse(cfgTemplate))

// Config describes the server to start. Zero fields get defaults.
type Config struct {
	Dir       string   // where config, data and log live; required
	Domain    string   // the virtual host, "localhost"
	MUC       string   // the MUC service, "conference.localhost"
	Component string   // the component's domain, "help.localhost"
	Secret    string   // the component secret
	MUCAdmins []string // users with owner rights in every room (tests)
	NoNagle   bool     // network_settings = { nagle = false }
	// NoRooms leaves the component out of the MUC service's admins: the
	// service refuses to let it create rooms (an operator's missing line).
	NoRooms  bool
	LogLevel string // "info"
	// C2SPort and ComponentPort are tried first when set; a port in use
	// falls back to a free one.
	C2SPort, ComponentPort int
}

// Server is a running Prosody.
type Server struct {
	Config // with the ports in use
	cmd    *exec.Cmd
	exited chan struct{}
}

// ErrMissing is returned when no prosody binary is installed.
var ErrMissing = errors.New("prosody is not installed (Debian: apt-get install prosody)")

// Installed reports whether prosody and prosodyctl can be run.
func Installed() error {
	for _, bin := range []string{"prosody", "prosodyctl"} {
		if _, err := exec.LookPath(bin); err != nil {
			return ErrMissing
		}
	}
	return nil
}

// Start renders the config, picks free loopback ports and starts Prosody,
// returning once its c2s and component ports answer.
func Start(ctx context.Context, c Config) (*Server, error) {
	if err := Installed(); err != nil {
		return nil, err
	}
	if c.Dir == "" {
		return nil, errors.New("prosody: no directory given")
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Domain, "localhost")
	def(&c.MUC, "conference."+c.Domain)
	def(&c.Component, "help."+c.Domain)
	def(&c.Secret, "s3cret")
	def(&c.LogLevel, "info")
	s := &Server{Config: c}
	ports, err := FreePorts(2)
	if err != nil {
		return nil, err
	}
	s.C2SPort, s.ComponentPort = pick(c.C2SPort, ports[0]), pick(c.ComponentPort, ports[1])
	for _, d := range []string{"data", "certs"} {
		if err := os.MkdirAll(filepath.Join(c.Dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("prosody: %w", err)
		}
	}
	if err := s.render(); err != nil {
		return nil, err
	}
	return s, s.start(ctx)
}

func (s *Server) render() error {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, s); err != nil {
		return fmt.Errorf("prosody: render config: %w", err)
	}
	if err := os.WriteFile(s.ConfigPath(), buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("prosody: %w", err)
	}
	return nil
}

// Reconfigure renders the config again after change; it takes effect at
// the next Restart (Prosody 0.12 reads a MUC component's admins when the
// module loads, so a SIGHUP would not do).
func (s *Server) Reconfigure(change func(*Config)) error {
	change(&s.Config)
	return s.render()
}

// ConfigPath is the rendered config file.
func (s *Server) ConfigPath() string { return filepath.Join(s.Dir, "prosody.cfg.lua") }

// LogPath is Prosody's log file.
func (s *Server) LogPath() string { return filepath.Join(s.Dir, "prosody.log") }

// C2SAddr is the client listener.
func (s *Server) C2SAddr() string { return "127.0.0.1:" + strconv.Itoa(s.C2SPort) }

// ComponentAddr is the component listener.
func (s *Server) ComponentAddr() string { return "127.0.0.1:" + strconv.Itoa(s.ComponentPort) }

func (s *Server) start(ctx context.Context) error {
	cmd := exec.Command("prosody", "-F", "--config", s.ConfigPath())
	cmd.Dir = s.Dir
	// Its own session keeps Ctrl-C in a terminal from reaching it before
	// we stop it cleanly; Pdeathsig stops it if we die without doing so.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGTERM}
	out, err := os.OpenFile(filepath.Join(s.Dir, "prosody.out"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("prosody: %w", err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return fmt.Errorf("prosody: start: %w", err)
	}
	s.cmd = cmd
	s.exited = make(chan struct{})
	go func() {
		cmd.Wait()
		out.Close()
		close(s.exited)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for _, addr := range []string{s.C2SAddr(), s.ComponentAddr()} {
		for {
			conn, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				conn.Close()
				break
			}
			select {
			case <-s.exited:
				return fmt.Errorf("prosody: exited at start-up; log:\n%s", s.Log())
			case <-ctx.Done():
				s.Stop()
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				s.Stop()
				return fmt.Errorf("prosody: %s did not answer within 20s; log:\n%s", addr, s.Log())
			}
		}
	}
	return nil
}

// Register creates a user on the virtual host.
func (s *Server) Register(user, password string) error {
	out, err := exec.Command("prosodyctl", "--config", s.ConfigPath(), "register", user, s.Domain, password).CombinedOutput()
	if err != nil {
		return fmt.Errorf("prosody: register %s: %v: %s", user, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// RegisterMany creates many users at once by writing Prosody's internal
// account files, for load tests (prosodyctl takes a process per user).
// Only plain localparts (letters, digits, - and _) are accepted.
func (s *Server) RegisterMany(users []string, password string) error {
	dir := filepath.Join(s.Dir, "data", strings.ReplaceAll(s.Domain, ".", "%2e"), "accounts")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("prosody: %w", err)
	}
	if strings.ContainsAny(password, "\\\"\n") {
		return errors.New("prosody: RegisterMany: password needs quoting")
	}
	for _, u := range users {
		for _, r := range u {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return fmt.Errorf("prosody: RegisterMany: %q is not a plain localpart", u)
			}
		}
		body := "return {\n\t[\"password\"] = \"" + password + "\";\n};\n"
		if err := os.WriteFile(filepath.Join(dir, u+".dat"), []byte(body), 0o600); err != nil {
			return fmt.Errorf("prosody: %w", err)
		}
	}
	return nil
}

// Pid is the server's process id, for CPU accounting.
func (s *Server) Pid() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Stop terminates Prosody and waits for it to exit (SIGKILL after 10s).
func (s *Server) Stop() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	select {
	case <-s.exited:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	return nil
}

// Restart stops Prosody and starts it again on the same ports and data.
func (s *Server) Restart(ctx context.Context) error {
	if err := s.Stop(); err != nil {
		return err
	}
	return s.start(ctx)
}

// Log returns the server's log so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.LogPath())
	o, _ := os.ReadFile(filepath.Join(s.Dir, "prosody.out"))
	return string(b) + string(o)
}

// pick returns want when it is free on loopback, else fallback.
func pick(want, fallback int) int {
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
			return nil, fmt.Errorf("prosody: free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
