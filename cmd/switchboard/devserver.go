package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"switchboard/component/ejabberd"
	"switchboard/component/prosody"
)

// demoServer is the throwaway XMPP server of `switchboard dev`.
type demoServer struct {
	name          string
	c2s           int
	Register      func(user, password string) error
	ComponentAddr func() string
	Stop          func() error
}

// startServer starts the demo's server of the given kind in dir.
func startServer(ctx context.Context, kind, dir, secret string, c2s int) (demoServer, error) {
	if kind != "prosody" && kind != "ejabberd" {
		return demoServer{}, fmt.Errorf("-server %q: want prosody or ejabberd", kind)
	}
	sub := filepath.Join(dir, kind)
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return demoServer{}, err
	}
	switch kind {
	case "prosody":
		if err := prosody.Installed(); err != nil {
			return demoServer{}, fmt.Errorf("%w\n  as root: apt-get update && apt-get install -y prosody   (make run does this)", err)
		}
		srv, err := prosody.Start(ctx, prosody.Config{Dir: sub, Domain: "localhost", MUC: "conference.localhost", Component: "help.localhost",
			Secret: secret, NoNagle: true, C2SPort: c2s, ComponentPort: 5347})
		if err != nil {
			return demoServer{}, err
		}
		return demoServer{name: "Prosody", c2s: srv.C2SPort, Register: srv.Register, ComponentAddr: srv.ComponentAddr, Stop: srv.Stop}, nil
	case "ejabberd":
		if err := ejabberd.Installed(); err != nil {
			return demoServer{}, fmt.Errorf("%w\n  as root: apt-get update && apt-get install -y ejabberd", err)
		}
		srv, err := ejabberd.Start(ctx, ejabberd.Config{Dir: sub, Domain: "localhost", MUC: "conference.localhost", Component: "help.localhost",
			Secret: secret, C2SPort: c2s, ComponentPort: 5347})
		if err != nil {
			return demoServer{}, err
		}
		return demoServer{name: "ejabberd", c2s: srv.C2SPort, Register: srv.Register, ComponentAddr: srv.ComponentAddr, Stop: srv.Stop}, nil
	}
	return demoServer{}, fmt.Errorf("-server %q: want prosody or ejabberd", kind)
}
