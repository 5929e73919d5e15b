package prosody

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"

	"switchboard/component/serverproc"
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
	NoRooms bool
	// Offline keeps messages for users who are offline (mod_offline), as
	// a stock server does; off, they are dropped.
	Offline  bool
	LogLevel string // "info"
	// C2SPort and ComponentPort are tried first when set; a port in use
	// falls back to a free one.
	C2SPort, ComponentPort int
}

// Server is a running Prosody.
type Server struct {
	Config // with the ports in use
	proc   *serverproc.Proc
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
	s.C2SPort, s.ComponentPort = serverproc.Pick(c.C2SPort, ports[0]), serverproc.Pick(c.ComponentPort, ports[1])
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
	p, err := serverproc.Start("prosody", cmd, filepath.Join(s.Dir, "prosody.out"))
	if err != nil {
		return err
	}
	s.proc = p
	return p.WaitPorts(ctx, []string{s.C2SAddr(), s.ComponentAddr()}, 20*time.Second, s.Log)
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
func (s *Server) Pid() int { return s.proc.Pid() }

// Stop terminates Prosody and waits for it to exit (SIGKILL after 10s).
func (s *Server) Stop() error {
	s.proc.Stop(10 * time.Second)
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

// FreePorts reserves n free TCP ports on loopback and releases them.
func FreePorts(n int) ([]int, error) { return serverproc.FreePorts(n) }
