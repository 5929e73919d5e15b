package main

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"text/template"
	"time"

	"switchboard/component"
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
	var buf bytes.Buffer
	err = template.Must(template.New("dev").Parse(devTemplate)).Execute(&buf, map[string]string{
		"ComponentAddr": srv.ComponentAddr(), "Secret": secret, "HTTPAddr": httpAddr, "Token": token,
		"StorePath": filepath.Join(abs, "switchboard.db"),
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

Metrics       http://%s/metrics   (also /healthz, /readyz, /api/v1/status)
API token     %s
Records       switchboard conversations list -config %s
              switchboard conversations show -config %s 1
Files         %s (config, database, logs)
`, srv.c2s, srv.c2s, srv.c2s, httpAddr, token, filepath.Join(dir, "switchboard.toml"), filepath.Join(dir, "switchboard.toml"), dir)
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
