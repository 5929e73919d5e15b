package link

import (
	"context"
	"crypto/rand"
	"io"
	"math/big"
	"net"
	"time"

	"mellium.im/xmpp"
	xmppcomponent "mellium.im/xmpp/component"
	"mellium.im/xmpp/jid"

	"switchboard/component/wire"
)

// dial connects and shakes hands (XEP-0114).
func (l *Link) dial(ctx context.Context) (*xmpp.Session, error) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var nd net.Dialer
	nc, err := nd.DialContext(dctx, "tcp", l.o.Address)
	if err != nil {
		return nil, err
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	var under net.Conn = nc
	if l.o.XMLLog != nil {
		under = teeConn{Conn: nc, log: l.o.XMLLog}
	}
	// Messages and presence bypass the session's XML decoder (see
	// wire.Splitter); the session reads the rest.
	var rw io.ReadWriter = splitConn{Conn: under, split: wire.NewSplitter(under, l.stanza, l.flush)}
	addr, err := jid.Parse(l.o.Domain)
	if err != nil {
		nc.Close()
		return nil, err
	}
	sess, err := xmppcomponent.NewSession(dctx, addr, []byte(l.o.Secret), rw)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return sess, nil
}

// splitConn is the connection as the session sees it: reads go through
// the Splitter.
type splitConn struct {
	net.Conn
	split *wire.Splitter
}

func (s splitConn) Read(b []byte) (int, error) { return s.split.Read(b) }

// teeConn copies the XML stream to a logger (-vv).
type teeConn struct {
	net.Conn
	log func(in bool, data []byte)
}

func (t teeConn) Read(b []byte) (int, error) {
	n, err := t.Conn.Read(b)
	if n > 0 {
		t.log(true, b[:n])
	}
	return n, err
}

func (t teeConn) Write(b []byte) (int, error) {
	t.log(false, b)
	return t.Conn.Write(b)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func jitter(d time.Duration) time.Duration {
	n, err := rand.Int(rand.Reader, big.NewInt(int64(d/2)+1))
	if err != nil {
		return d
	}
	return d/2 + time.Duration(n.Int64())
}
