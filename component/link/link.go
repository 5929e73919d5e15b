package link

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"mellium.im/xmpp"
	"mellium.im/xmpp/mux"

	"switchboard/component/wire"
)

// Handler receives what the server sends. Its methods run on the link's
// reading goroutine and must not block for long: hand the work to an
// actor.
type Handler interface {
	// Stanzas gets the messages and presence that arrived in one read
	// from the connection, in order.
	Stanzas(batch []*wire.Stanza)
	// Request gets an IQ the component answers (with Send).
	Request(r wire.Request)
	// Connected and Disconnected tell when a session starts and ends.
	Connected()
	Disconnected()
	// Undecodable tells of input that could not be read.
	Undecodable(start string, err error)
}

// Options configure a Link.
type Options struct {
	Address string // the server's component listener, host:port
	Domain  string // the component's domain
	Secret  string
	Logger  *slog.Logger
	// Registerer receives the link's metrics; nil registers none.
	Registerer prometheus.Registerer
	// XMLLog receives a copy of the XML stream when set (-vv).
	XMLLog func(in bool, data []byte)
	// Echo is the id prefix of the groupchat messages the component
	// posts itself: the rooms' copies of them are dropped on arrival,
	// undecoded. Empty drops nothing.
	Echo string
}

// Link is the component's session with the server.
type Link struct {
	o       Options
	h       Handler
	log     *slog.Logger
	metrics *metrics
	mux     *mux.ServeMux
	out     *outbox

	mu   sync.Mutex
	sess *xmpp.Session

	// unposted are stanzas read and not yet handed over; the reading
	// goroutine's own.
	unposted []*wire.Stanza
}

// New prepares a link; Run connects it.
func New(o Options, h Handler) *Link {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	l := &Link{o: o, h: h, log: o.Logger.With("component", "link"), metrics: newMetrics(o.Registerer)}
	l.out = newOutbox(l.log, l.metrics)
	l.metrics.queued(o.Registerer, func() float64 { return float64(len(l.out.ch)) })
	l.mux = l.iqMux()
	return l
}

const (
	minBackoff = 200 * time.Millisecond
	maxBackoff = 30 * time.Second
)

// Run keeps a session up until ctx ends: dial, handshake, serve, and on any
// failure dial again with exponential backoff. The send queue is written
// to whichever session is up.
func (l *Link) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); l.out.run(ctx) }()
	defer wg.Wait()
	backoff := minBackoff
	for ctx.Err() == nil {
		sess, err := l.dial(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			l.metrics.connectFailures.Inc()
			l.log.Warn("connect to server failed", "address", l.o.Address, "err", err, "retry_in", backoff)
			sleep(ctx, jitter(backoff))
			backoff = min(backoff*2, maxBackoff)
			continue
		}
		backoff = minBackoff
		l.setSession(sess)
		l.log.Info("connected to server", "address", l.o.Address, "domain", l.o.Domain)
		l.metrics.connected.Set(1)
		l.h.Connected()
		l.out.attach(sess)
		err = sess.Serve(xmpp.HandlerFunc(l.handle))
		l.out.detach(sess)
		l.metrics.connected.Set(0)
		l.setSession(nil)
		l.h.Disconnected()
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("connection to server lost", "err", err)
		sleep(ctx, jitter(minBackoff))
	}
}

func (l *Link) setSession(s *xmpp.Session) {
	l.mu.Lock()
	l.sess = s
	l.mu.Unlock()
}

// session returns the live session, or nil.
func (l *Link) session() *xmpp.Session {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sess
}

// Send queues stanzas to be written in order. What cannot be written
// waits for the next session: nothing queued is dropped.
func (l *Link) Send(raw ...string) { l.out.enqueue(raw...) }

// Queued returns how many stanzas wait to be written.
func (l *Link) Queued() int { return len(l.out.ch) }

// Close writes what is queued and then last (room leaves, unavailable
// presence), and ends the stream. Run returns once its context ends.
func (l *Link) Close(last []string) {
	sess := l.session()
	if sess == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.out.drain(sess)
	for _, r := range last {
		if err := sess.Send(ctx, wire.Tokens(r)); err != nil {
			break
		}
	}
	_ = sess.Close()
	// Give the server a moment to close its side, then stop reading.
	// (Session.SetCloseDeadline races with Serve in mellium v0.22.)
	_ = sess.Conn().SetReadDeadline(time.Now().Add(2 * time.Second))
}
