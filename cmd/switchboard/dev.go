package main

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"text/template"
	"time"

	"switchboard/component"
	"switchboard/component/channel/twilio/twiliofake"
	"switchboard/component/config"
	"switchboard/component/prosody"
)

//go:embed dev.toml.tmpl
var devTemplate string

// demoUsers are registered on the demo server.
var demoUsers = []struct{ name, role string }{
	{"customer", "a customer"},
	{"alice", "agent: billing, tech"},
	{"bob", "agent: sales"},
}

func cmdDev(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", ".run", "directory for the demo server, config and database (wiped at start)")
	server := fs.String("server", "prosody", "the demo's XMPP server: prosody or ejabberd")
	c2s := fs.Int("c2s-port", 5222, "client port to try first")
	httpPort := fs.Int("http-port", 9470, "HTTP port to try first")
	var lf logFlags
	lf.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	for _, sub := range []string{"prosody", "ejabberd", "switchboard.db"} {
		if err := os.RemoveAll(filepath.Join(abs, sub)); err != nil {
			return err
		}
	}
	secret, password, token := randomHex(12), randomHex(6), randomHex(12)
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	srv, err := startServer(sctx, *server, abs, secret, *c2s)
	cancel()
	if err != nil {
		return err
	}
	defer srv.Stop()
	for _, u := range demoUsers {
		if err := srv.Register(u.name, password); err != nil {
			return err
		}
	}
	httpAddr := "127.0.0.1:" + strconv.Itoa(freeOr(*httpPort))
	provider, err := startProvider(stdout)
	if err != nil {
		return err
	}
	defer provider.stop()
	var buf bytes.Buffer
	err = template.Must(template.New("dev").Parse(devTemplate)).Execute(&buf, map[string]string{
		"ComponentAddr": srv.ComponentAddr(), "Secret": secret, "HTTPAddr": httpAddr, "Token": token,
		"StorePath": filepath.Join(abs, "switchboard.db"), "ProviderURL": provider.url, "SMSToken": provider.p.AuthToken,
		"HookSecret": "whsec_" + base64.StdEncoding.EncodeToString([]byte(randomHex(16))),
	})
	if err != nil {
		return err
	}
	cfgPath := filepath.Join(abs, "switchboard.toml")
	if err := os.WriteFile(cfgPath, buf.Bytes(), 0o600); err != nil {
		return err
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(abs, "switchboard.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := lf.logger(io.MultiWriter(logFile, stderr))
	if !lf.v && !lf.vv {
		log = lf.logger(logFile)
	}
	return component.Serve(ctx, cfg, component.ServeOptions{Logger: log, XMLLog: lf.xmlLog(log), Started: func(addr string) {
		printDemo(stdout, srv, password, addr, token, abs)
	}})
}

func printDemo(w io.Writer, srv demoServer, password, httpAddr, token, dir string) {
	fmt.Fprintf(w, `
switchboard dev is running on %s (Ctrl-C stops the desk and the server).

XMPP server   127.0.0.1:%d, domain "localhost", plain connection (no TLS) on loopback
Users         password %s
`, srv.name, srv.c2s, password)
	for _, u := range demoUsers {
		fmt.Fprintf(w, "              %s@localhost   (%s)\n", u.name, u.role)
	}
	fmt.Fprintf(w, `
As the customer   write to support@help.localhost and answer the menu.
As an agent       log in as alice or bob and accept the subscription request from
                  desk@help.localhost; the desk invites you into the conversation's
                  room (case-N@conference.localhost): join to take it, decline to pass.
                  In the room, lines starting with // are private; /help lists commands;
                  /replies lists canned replies, "/reply refund amount=12.50" sends one.
                  Chat "pause", "ready" or "status" to desk@help.localhost, or use
                  its ad-hoc commands (alice is also a desk admin).
Waiting           a customer queued while the agents are busy is told place and wait,
                  and "status" tells it again. Menu 5 leaves a message, menu 6 asks
                  sales for a call back (a number like +49 30 1234567, then "now",
                  "14:30" or "tomorrow 10:00", weekdays 09:00-17:00 Berlin time);
                  /called records an attempt. Sales is closed outside those hours:
                  try menu 3 in the evening.

With profanity (apt-get install profanity), in two terminals:
  /connect customer@localhost server 127.0.0.1 port %d tls disable
  /connect alice@localhost server 127.0.0.1 port %d tls disable
Clients with an account dialog (Gajim, Dino...): server 127.0.0.1, port %d,
allow plaintext (unencrypted) connections.

By SMS            switchboard simulate sms -config %s -from +49301234567 "my invoice is wrong"
                  posts what the provider would; the desk's SMS answers print here.
                  "simulate voicemail -from … TEXT" leaves a voicemail (its transcript),
                  "simulate hook -from ada TEXT" sends a form (channel "forms").

Metrics       http://%s/metrics   (also /healthz, /readyz, /api/v1/status)
API token     %s
Records       switchboard conversations list -config %s
              switchboard conversations show -config %s 1
Files         %s (config, database, logs)
`, srv.c2s, srv.c2s, srv.c2s, filepath.Join(dir, "switchboard.toml"), httpAddr, token, filepath.Join(dir, "switchboard.toml"), filepath.Join(dir, "switchboard.toml"), dir)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// freeOr returns port when it is free on loopback, else a free one.
func freeOr(port int) int {
	if l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
		l.Close()
		return port
	}
	ports, err := prosody.FreePorts(1)
	if err != nil {
		return port
	}
	return ports[0]
}

// provider is the demo's fake SMS provider, on loopback.
type provider struct {
	p    *twiliofake.Provider
	url  string
	stop func()
}

// startProvider serves a fake Twilio-compatible provider that prints
// what the desk sends.
func startProvider(stdout io.Writer) (*provider, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &twiliofake.Provider{AccountSID: "ACdemo", AuthToken: randomHex(16), Print: prefixed{stdout, "[sms provider] "}}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return &provider{p: p, url: "http://" + ln.Addr().String(), stop: func() { srv.Close() }}, nil
}

// prefixed writes each write with a prefix.
type prefixed struct {
	w      io.Writer
	prefix string
}

func (p prefixed) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, p.prefix+string(b)); err != nil {
		return 0, err
	}
	return len(b), nil
}
