package link

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"mellium.im/xmpp"
)

// outbox writes outgoing stanzas in order, waiting out disconnections.
// Nothing queued is dropped: a batch that could not be written is written
// again, from its first stanza not wholly written, on the next session.
type outbox struct {
	log     *slog.Logger
	metrics *metrics
	ch      chan string

	mu      sync.Mutex
	sess    *xmpp.Session
	changed chan struct{} // closed and replaced whenever sess changes
}

func newOutbox(log *slog.Logger, m *metrics) *outbox {
	return &outbox{log: log, metrics: m, ch: make(chan string, 1<<16), changed: make(chan struct{})}
}

func (o *outbox) enqueue(raw ...string) {
	for _, r := range raw {
		if r != "" {
			o.ch <- r
		}
	}
}

func (o *outbox) attach(sess *xmpp.Session) {
	o.mu.Lock()
	o.sess = sess
	close(o.changed)
	o.changed = make(chan struct{})
	o.mu.Unlock()
}

func (o *outbox) detach(sess *xmpp.Session) {
	o.mu.Lock()
	if o.sess == sess {
		o.sess = nil
		close(o.changed)
		o.changed = make(chan struct{})
	}
	o.mu.Unlock()
}

func (o *outbox) current() (*xmpp.Session, chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.sess, o.changed
}

// maxBatch is about how many bytes go to the connection in one write.
const maxBatch = 60 << 10

func (o *outbox) run(ctx context.Context) {
	buf := make([]byte, 0, 64<<10)
	var ends []int // where each stanza of buf ends
	for {
		select {
		case <-ctx.Done():
			return
		case raw := <-o.ch:
			// Write everything queued so far in one go: one syscall for a
			// burst of stanzas.
			buf = append(buf[:0], raw...)
			ends = append(ends[:0], len(buf))
		fill:
			for len(buf) < maxBatch {
				select {
				case raw := <-o.ch:
					buf = append(buf, raw...)
					ends = append(ends, len(buf))
				default:
					break fill
				}
			}
			o.write(ctx, buf, ends)
		}
	}
}

// write sends a batch of stanzas, waiting for a session while there is
// none. A failed write is tried again on the next session, from the first
// stanza it did not write whole (a stanza written whole may still have
// been lost with the connection: the server never read it).
//
// The bytes go to the connection directly, under the session's own write
// lock (taken with TokenWriter), so that they never interleave with what
// mellium writes (IQ round trips) and skip re-encoding stanzas rendered
// already.
func (o *outbox) write(ctx context.Context, buf []byte, ends []int) {
	for {
		sess, changed := o.current()
		for sess == nil {
			select {
			case <-ctx.Done():
				return
			case <-changed:
			}
			sess, changed = o.current()
		}
		n, err := writeLocked(sess, buf)
		if err == nil {
			o.metrics.stanzasOut.Add(float64(len(ends)))
			return
		}
		whole := 0
		for whole < len(ends) && ends[whole] <= n {
			whole++
		}
		o.metrics.stanzasOut.Add(float64(whole))
		from := 0
		if whole > 0 {
			from = ends[whole-1]
		}
		buf = buf[from:]
		for i := range ends[whole:] {
			ends[whole+i] -= from
		}
		ends = ends[whole:]
		o.log.Warn("send failed; the stanzas wait for the next connection", "err", err, "stanzas", len(ends))
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// writeLocked writes raw bytes to the session's connection while holding
// the session's write lock, and returns how many it wrote.
func writeLocked(sess *xmpp.Session, buf []byte) (int, error) {
	w := sess.TokenWriter()
	defer w.Close()
	conn := sess.Conn()
	total := 0
	for tries := 0; total < len(buf); {
		n, err := conn.Write(buf[total:])
		total += n
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
		return total, err
	}
	return total, nil
}

// drain writes whatever is queued, for a clean shutdown.
func (o *outbox) drain(sess *xmpp.Session) {
	var buf []byte
	for {
		select {
		case raw := <-o.ch:
			buf = append(buf, raw...)
		default:
			if len(buf) > 0 {
				_, _ = writeLocked(sess, buf)
			}
			return
		}
	}
}
