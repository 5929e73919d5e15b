package ejabberd

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/template"
	"time"

	"switchboard/component/serverproc"
)

//go:embed ejabberd.yml.tmpl
var cfgTemplate string

var tmpl = template.Must(template.New("ejabberd").Parse(cfgTemplate))

// Config describes the server to start. Zero fields get defaults.
type Config struct {
	Dir       string   // where config, spool and logs live; required
	Domain    string   // the virtual host, "localhost"
	MUC       string   // the MUC service, "conference.localhost"
	Component string   // the component's domain, "help.localhost"
	Secret    string   // the component secret
	MUCAdmins []string // users with owner rights in every room (tests)
	// NoRooms lets nobody create rooms: the desk's joins are refused (an
	// operator's missing access_create).
	NoRooms bool
	// Offline keeps messages for users who are offline (mod_offline).
	Offline  bool
	LogLevel string // "info"
	// C2SPort and ComponentPort are tried first when set; a port in use
	// falls back to a free one.
	C2SPort, ComponentPort int
}

// Server is a running ejabberd.
type Server struct {
	Config   // with the ports in use
	HTTPPort int
	proc     *serverproc.Proc
}

// erl is the Erlang runtime Debian's ejabberd runs on.
const erl = "/usr/bin/erl"

// ErrMissing is returned when ejabberd is not installed.
var ErrMissing = errors.New("ejabberd is not installed (Debian: apt-get install ejabberd)")

// Installed reports whether ejabberd (Debian's package) can be run.
func Installed() error {
	if _, err := exec.LookPath("ejabberdctl"); err != nil {
		return ErrMissing
	}
	if _, err := os.Stat(erl); err != nil {
		return ErrMissing
	}
	return nil
}

// Start renders the config, picks free loopback ports and starts ejabberd,
// returning once its ports answer.
func Start(ctx context.Context, c Config) (*Server, error) {
	if err := Installed(); err != nil {
		return nil, err
	}
	if c.Dir == "" {
		return nil, errors.New("ejabberd: no directory given")
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
	ports, err := serverproc.FreePorts(3)
	if err != nil {
		return nil, err
	}
	s.C2SPort, s.ComponentPort, s.HTTPPort = serverproc.Pick(c.C2SPort, ports[0]), serverproc.Pick(c.ComponentPort, ports[1]), ports[2]
	for _, d := range []string{"db", "log"} {
		if err := os.MkdirAll(filepath.Join(c.Dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("ejabberd: %w", err)
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
		return fmt.Errorf("ejabberd: render config: %w", err)
	}
	if err := os.WriteFile(s.ConfigPath(), buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("ejabberd: %w", err)
	}
	return s.own()
}

// own gives the directory to the ejabberd user when we are root: the
// server runs as that user.
func (s *Server) own() error {
	u, err := s.runAs()
	if err != nil || u == nil {
		return err
	}
	if err := reachable(s.Dir); err != nil {
		return err
	}
	return filepath.Walk(s.Dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(u.Uid), int(u.Gid))
	})
}

// reachable lets the ejabberd user reach dir: the directories above it
// that only we may enter (a test's temporary directory) get the search
// bit for others, under the temporary directory only; elsewhere such a
// directory is an error.
func reachable(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	tmp := filepath.Clean(os.TempDir())
	for p := filepath.Dir(abs); p != "/" && p != "."; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if st.Mode().Perm()&0o001 != 0 {
			continue
		}
		if !strings.HasPrefix(p, tmp+"/") {
			return fmt.Errorf("ejabberd: the ejabberd user cannot reach %s (%s is closed to others): use a directory under %s", dir, p, tmp)
		}
		if err := os.Chmod(p, st.Mode().Perm()|0o011); err != nil {
			return err
		}
	}
	return nil
}

// runAs is the ejabberd user when we are root, else nil (ourselves).
func (s *Server) runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("ejabberd")
	if err != nil {
		return nil, fmt.Errorf("ejabberd: as root the server runs as the ejabberd user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// ConfigPath is the rendered config file.
func (s *Server) ConfigPath() string { return filepath.Join(s.Dir, "ejabberd.yml") }

// LogPath is ejabberd's log file.
func (s *Server) LogPath() string { return filepath.Join(s.Dir, "log", "ejabberd.log") }

// C2SAddr is the client listener.
func (s *Server) C2SAddr() string { return "127.0.0.1:" + strconv.Itoa(s.C2SPort) }

// ComponentAddr is the component listener.
func (s *Server) ComponentAddr() string { return "127.0.0.1:" + strconv.Itoa(s.ComponentPort) }

// start runs the Erlang VM with ejabberd directly (what ejabberdctl
// foreground runs, without its su and without Erlang distribution), so
// that the process is ours to stop.
func (s *Server) start(ctx context.Context) error {
	cmd := exec.Command(erl, "+K", "true", "+P", "250000", "-noinput", "-mnesia", "dir", strconv.Quote(filepath.Join(s.Dir, "db")), "-s", "ejabberd")
	cmd.Dir = s.Dir
	cmd.Env = []string{
		"HOME=" + s.Dir, // the Erlang cookie goes here
		"PATH=/usr/bin:/bin",
		"EJABBERD_CONFIG_PATH=" + s.ConfigPath(),
		"EJABBERD_LOG_PATH=" + s.LogPath(),
		"EJABBERD_PID_PATH=" + filepath.Join(s.Dir, "ejabberd.pid"),
		"ERL_LIBS=/usr/lib/x86_64-linux-gnu",
		"ERL_CRASH_DUMP_BYTES=0",
		"CONTRIB_MODULES_CONF_DIR=" + filepath.Join(s.Dir, "modules.d"),
	}
	cred, err := s.runAs()
	if err != nil {
		return err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	p, err := serverproc.Start("ejabberd", cmd, filepath.Join(s.Dir, "ejabberd.out"))
	if err != nil {
		return err
	}
	s.proc = p
	return p.WaitPorts(ctx, []string{s.C2SAddr(), s.ComponentAddr(), "127.0.0.1:" + strconv.Itoa(s.HTTPPort)}, 30*time.Second, s.Log)
}

// Register creates a user on the virtual host (through the HTTP API on
// loopback: one request, where ejabberdctl would start a VM per user).
func (s *Server) Register(user, password string) error {
	body, _ := json.Marshal(map[string]string{"user": user, "host": s.Domain, "password": password})
	resp, err := http.Post("http://127.0.0.1:"+strconv.Itoa(s.HTTPPort)+"/api/register", "application/json", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("ejabberd: register %s: %w", user, err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ejabberd: register %s: %s: %s", user, resp.Status, strings.TrimSpace(b.String()))
	}
	return nil
}

// RegisterMany creates many users.
func (s *Server) RegisterMany(users []string, password string) error {
	for _, u := range users {
		if err := s.Register(u, password); err != nil {
			return err
		}
	}
	return nil
}

// Pid is the server's process id, for CPU accounting.
func (s *Server) Pid() int { return s.proc.Pid() }

// Stop terminates ejabberd and waits for it to exit (SIGKILL after 15s).
func (s *Server) Stop() error {
	s.proc.Stop(15 * time.Second)
	return nil
}

// Restart stops ejabberd and starts it again on the same ports and data,
// with the config as it is now.
func (s *Server) Restart(ctx context.Context) error {
	if err := s.Stop(); err != nil {
		return err
	}
	return s.start(ctx)
}

// Reconfigure renders the config again after change; it takes effect at
// the next Restart.
func (s *Server) Reconfigure(change func(*Config)) error {
	change(&s.Config)
	return s.render()
}

// Log returns the server's log so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.LogPath())
	o, _ := os.ReadFile(filepath.Join(s.Dir, "ejabberd.out"))
	return string(b) + string(o)
}
