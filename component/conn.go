package component

import (
	"context"
	"crypto/rand"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"sync"
	"time"

	"mellium.im/xmpp"
	xmppcomponent "mellium.im/xmpp/component"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/mux"

	"switchboard/component/wire"
)

// conn keeps the XEP-0114 connection to the server up: dial, handshake,
// serve, and on any failure dial again with exponential backoff.
type conn struct {
	d      *Desk
	mux    *mux.ServeMux
	xmlLog func(in bool, data []byte)

	mu   sync.Mutex
	sess *xmpp.Session
}

func newConn(d *Desk, xmlLog func(bool, []byte)) *conn {
	return &conn{d: d, mux: d.iqMux(), xmlLog: xmlLog}
}

const (
	minBackoff = 200 * time.Millisecond
	maxBackoff = 30 * time.Second
)

func (c *conn) run(ctx context.Context) {
	backoff := minBackoff
	for ctx.Err() == nil {
		sess, err := c.dial(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.d.metrics.connectFailures.Inc()
			c.d.log.Warn("connect to server failed", "address", c.d.cfg.XMPP.Address, "err", err, "retry_in", backoff)
			sleep(ctx, jitter(backoff))
			backoff = min(backoff*2, maxBackoff)
			continue
		}
		backoff = minBackoff
		c.mu.Lock()
		c.sess = sess
		c.mu.Unlock()
		c.d.log.Info("connected to server", "address", c.d.cfg.XMPP.Address, "domain", c.d.cfg.XMPP.Domain)
		c.d.metrics.connected.Set(1)
		c.d.out.attach(sess)
		c.d.post(c.d.onConnected)
		err = sess.Serve(xmpp.HandlerFunc(c.d.handle))
		c.d.out.detach(sess)
		c.d.metrics.connected.Set(0)
		c.mu.Lock()
		c.sess = nil
		c.mu.Unlock()
		c.d.post(c.d.onDisconnected)
		if ctx.Err() != nil {
			return
		}
		c.d.log.Warn("connection to server lost", "err", err)
		sleep(ctx, jitter(minBackoff))
	}
}

func (c *conn) dial(ctx context.Context) (*xmpp.Session, error) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var nd net.Dialer
	nc, err := nd.DialContext(dctx, "tcp", c.d.cfg.XMPP.Address)
	if err != nil {
		return nil, err
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	var under net.Conn = nc
	if c.xmlLog != nil {
		under = teeConn{Conn: nc, log: c.xmlLog}
	}
	// Messages and presence bypass the session's XML decoder (see
	// wire.Splitter); the session reads the rest.
	var rw io.ReadWriter = splitConn{Conn: under, split: wire.NewSplitter(under, c.d.stanza, c.d.flushStanzas)}
	addr, err := jid.Parse(c.d.cfg.XMPP.Domain)
	if err != nil {
		nc.Close()
		return nil, err
	}
	sess, err := xmppcomponent.NewSession(dctx, addr, []byte(c.d.cfg.XMPP.Secret), rw)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return sess, nil
}

// closeWith writes the last stanzas (room leaves, unavailable presence)
// and closes the stream.
func (c *conn) closeWith(raw []string) {
	c.mu.Lock()
	sess := c.sess
	c.mu.Unlock()
	if sess == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.d.out.drain(ctx, sess)
	for _, r := range raw {
		if err := sess.Send(ctx, wire.Tokens(r)); err != nil {
			break
		}
	}
	_ = sess.Close()
	// Give the server a moment to close its side, then stop reading.
	// (Session.SetCloseDeadline races with Serve in mellium v0.22.)
	_ = sess.Conn().SetReadDeadline(time.Now().Add(2 * time.Second))
}

// session returns the live session, or nil.
func (c *conn) session() *xmpp.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess
}

// sendIQ sends a raw IQ and decodes the answer into v; it must not run on
// the Serve goroutine or the actor.
func (c *conn) sendIQ(ctx context.Context, raw string, v any) error {
	sess := c.session()
	if sess == nil {
		return errors.New("not connected")
	}
	r, err := sess.SendIQ(ctx, wire.Tokens(raw))
	if err != nil {
		return err
	}
	defer r.Close()
	var iq iqReply
	iq.Payload = v
	if err := xml.NewTokenDecoder(r).Decode(&iq); err != nil {
		return err
	}
	if iq.Type == "error" {
		if iq.Error != nil {
			return &stanzaError{Condition: iq.Error.Condition(), Text: iq.Error.Text}
		}
		return &stanzaError{Condition: "undefined-condition"}
	}
	return nil
}

type iqReply struct {
	Type    string      `xml:"type,attr"`
	Error   *wire.Error `xml:"error"`
	Payload any         `xml:",any"`
}

type stanzaError struct{ Condition, Text string }

func (e *stanzaError) Error() string {
	if e.Text != "" {
		return e.Condition + ": " + e.Text
	}
	return e.Condition
}

// sender writes outgoing stanzas in order, waiting out disconnections.
type sender struct {
	log     *slog.Logger
	metrics *metrics
	ch      chan string

	mu      sync.Mutex
	sess    *xmpp.Session
	changed chan struct{} // closed and replaced whenever sess changes
}

func newSender(log *slog.Logger, m *metrics) *sender {
	return &sender{log: log, metrics: m, ch: make(chan string, 1<<16), changed: make(chan struct{})}
}

func (s *sender) enqueue(raw ...string) {
	for _, r := range raw {
		if r != "" {
			s.ch <- r
		}
	}
}

func (s *sender) attach(sess *xmpp.Session) {
	s.mu.Lock()
	s.sess = sess
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

func (s *sender) detach(sess *xmpp.Session) {
	s.mu.Lock()
	if s.sess == sess {
		s.sess = nil
		close(s.changed)
		s.changed = make(chan struct{})
	}
	s.mu.Unlock()
}

func (s *sender) current() (*xmpp.Session, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sess, s.changed
}

func (s *sender) run(ctx context.Context) {
	buf := make([]byte, 0, 64<<10)
	for {
		select {
		case <-ctx.Done():
			return
		case raw := <-s.ch:
			// Write everything queued so far in one go: one syscall for a
			// burst of stanzas.
			buf = append(buf[:0], raw...)
			n := 1
		fill:
			for len(buf) < 60<<10 {
				select {
				case raw := <-s.ch:
					buf = append(buf, raw...)
					n++
				default:
					break fill
				}
			}
			s.write(ctx, buf, n)
		}
	}
}

// write sends a batch of stanzas, waiting for a session while there is
// none; a batch whose write failed is written again on the next session.
//
// The bytes go to the connection directly, under the session's own write
// lock (taken with TokenWriter), so that they never interleave with what
// mellium writes (IQ answers, queries) and skip re-encoding stanzas the
// desk rendered already.
func (s *sender) write(ctx context.Context, buf []byte, n int) {
	for attempt := 0; attempt < 3; attempt++ {
		sess, changed := s.current()
		for sess == nil {
			select {
			case <-ctx.Done():
				return
			case <-changed:
			}
			sess, changed = s.current()
		}
		err := writeLocked(sess, buf)
		if err == nil {
			s.metrics.stanzasOut.Add(float64(n))
			return
		}
		s.log.Warn("send failed; waiting for the connection", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
	s.log.Error("dropping outgoing stanzas after 3 attempts", "stanzas", n)
}

// writeLocked writes raw bytes to the session's connection while holding
// the session's write lock.
func writeLocked(sess *xmpp.Session, buf []byte) error {
	w := sess.TokenWriter()
	defer w.Close()
	conn := sess.Conn()
	for tries := 0; len(buf) > 0; {
		n, err := conn.Write(buf)
		buf = buf[n:]
		if err == nil {
			continue
		}
		// mellium cancels a finished Send's context by setting a write
		// deadline in the past for an instant; a write caught in that
		// instant times out and is simply tried again.
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && tries < 20 {
			tries++
			time.Sleep(time.Millisecond)
			continue
		}
		return err
	}
	return nil
}

// drain writes whatever is queued, for a clean shutdown.
func (s *sender) drain(ctx context.Context, sess *xmpp.Session) {
	var buf []byte
	for {
		select {
		case raw := <-s.ch:
			buf = append(buf, raw...)
		default:
			if len(buf) > 0 {
				_ = writeLocked(sess, buf)
			}
			return
		}
	}
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
	return d/2 + time.Duration(n.Int64())*1
}
