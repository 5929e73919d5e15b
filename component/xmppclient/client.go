package xmppclient

import (
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"mellium.im/sasl"
	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"

	"switchboard/component/wire"
)

// Options configure a client.
type Options struct {
	// Features are answered to disco#info queries.
	Features []string
	// Name and Version are answered to software version queries.
	Name, Version string
	// NoPresence skips the initial presence.
	NoPresence bool
	// Presence is extra XML inside the initial presence (e.g. a <show/>).
	Presence string
	// Buffer is how many stanzas may wait unread (default 1024); more are
	// dropped and counted.
	Buffer int
	// Watch, when set, sees every message and presence received, before
	// it is queued (tests use it to check what a session ever got).
	Watch func(wire.Stanza)
}

// Client is a logged-in c2s session.
type Client struct {
	JID     jid.JID
	session *xmpp.Session
	opts    Options
	in      chan wire.Stanza
	done    chan struct{}
	err     error
	mu      sync.Mutex
	dropped int
	online  chan struct{} // closed when the server reflected our presence
	once    sync.Once
}

// Dial logs in as user (a full or bare JID) at addr with password, using
// SCRAM-SHA-1 or PLAIN over a plaintext loopback connection.
func Dial(ctx context.Context, addr, user, password string, o Options) (*Client, error) {
	j, err := jid.Parse(user)
	if err != nil {
		return nil, err
	}
	if o.Buffer == 0 {
		o.Buffer = 1024
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	// Loopback only: the session starts as Secure so that SASL is offered
	// without TLS.
	s, err := xmpp.NewSession(ctx, j.Domain(), j, conn, xmpp.Secure, xmpp.NewNegotiator(func(*xmpp.Session, *xmpp.StreamConfig) xmpp.StreamConfig {
		return xmpp.StreamConfig{Features: []xmpp.StreamFeature{
			xmpp.SASL("", password, sasl.ScramSha1, sasl.Plain),
			xmpp.BindResource(),
		}}
	}))
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("xmppclient: login %s: %w", user, err)
	}
	c := &Client{JID: s.LocalAddr(), session: s, opts: o, in: make(chan wire.Stanza, o.Buffer), done: make(chan struct{}), online: make(chan struct{})}
	go func() {
		c.err = s.Serve(xmpp.HandlerFunc(c.handle))
		close(c.done)
	}()
	if !o.NoPresence {
		if err := c.Send(ctx, "<presence>"+o.Presence+"</presence>"); err != nil {
			c.Close()
			return nil, err
		}
		// Until the server has our presence, messages to the bare JID
		// are not delivered to this resource.
		select {
		case <-c.online:
		case <-c.done:
			return nil, fmt.Errorf("xmppclient: %s: session ended at login: %v", user, c.err)
		case <-ctx.Done():
			c.Close()
			return nil, ctx.Err()
		}
	}
	return c, nil
}

// Send writes one raw stanza.
func (c *Client) Send(ctx context.Context, raw string) error {
	return c.session.Send(ctx, wire.Tokens(raw))
}

// Message sends a chat message with body to.
func (c *Client) Message(ctx context.Context, to, body string) error {
	return c.Send(ctx, wire.Message{To: to, Type: "chat", Body: body}.String())
}

// MessageIn sends a chat message with body to, saying it is in language
// lang (xml:lang).
func (c *Client) MessageIn(ctx context.Context, to, lang, body string) error {
	return c.Send(ctx, wire.Message{To: to, Type: "chat", Lang: lang, Body: body}.String())
}

// Groupchat sends a groupchat message to a room.
func (c *Client) Groupchat(ctx context.Context, room, body string) error {
	return c.Send(ctx, wire.Message{To: room, Type: "groupchat", Body: body}.String())
}

// Join enters a MUC room as nick without history.
func (c *Client) Join(ctx context.Context, room, nick string) error {
	return c.Send(ctx, wire.JoinRoom("", room+"/"+nick))
}

// Decline declines a mediated invitation to room from inviter.
func (c *Client) Decline(ctx context.Context, room, inviter, reason string) error {
	return c.Send(ctx, wire.Decline("", room, inviter, reason))
}

// Presence sends an available presence with show (may be "").
func (c *Client) Presence(ctx context.Context, show string) error {
	p := wire.Presence{Show: show}
	return c.Send(ctx, p.String())
}

// In is the channel of every message and presence received.
func (c *Client) In() <-chan wire.Stanza { return c.in }

// Done is closed when the session ends.
func (c *Client) Done() <-chan struct{} { return c.done }

// Dropped returns how many stanzas were dropped because In was not read.
func (c *Client) Dropped() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped
}

// Close ends the session.
func (c *Client) Close() error {
	err := c.session.Close()
	select {
	case <-c.done:
	case <-time.After(2 * time.Second):
		c.session.Conn().Close()
	}
	return err
}

// Expect waits for the first stanza that match accepts, discarding others,
// and fails after timeout.
func (c *Client) Expect(timeout time.Duration, what string, match func(wire.Stanza) bool) (wire.Stanza, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	var seen []string
	for {
		select {
		case s := <-c.in:
			if match(s) {
				return s, nil
			}
			if len(seen) < 20 {
				seen = append(seen, fmt.Sprintf("%s from=%s type=%s body=%.60q", s.XMLName.Local, s.From, s.Type, s.Body))
			}
		case <-t.C:
			return wire.Stanza{}, fmt.Errorf("%s: no %s within %v; saw %d other stanzas: %s", c.JID, what, timeout, len(seen), strings.Join(seen, " | "))
		case <-c.done:
			return wire.Stanza{}, fmt.Errorf("%s: session ended waiting for %s: %v", c.JID, what, c.err)
		}
	}
}

// Drain discards everything received so far.
func (c *Client) Drain() {
	for {
		select {
		case <-c.in:
		default:
			return
		}
	}
}

func (c *Client) handle(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	if start.Name.Local == "iq" {
		return c.handleIQ(t, start)
	}
	var s wire.Stanza
	if err := xml.NewTokenDecoder(xmlstream.MultiReader(xmlstream.Token(*start), t)).Decode(&s); err != nil {
		return err
	}
	if s.XMLName.Local == "presence" && s.Type == "" && s.From == c.JID.String() {
		c.once.Do(func() { close(c.online) })
	}
	if c.opts.Watch != nil {
		c.opts.Watch(s)
	}
	if s.XMLName.Local == "presence" && s.Type == "subscribe" {
		// A stock client asks its user; these approve at once.
		reply := wire.Presence{To: wire.Bare(s.From), Type: "subscribed"}.String()
		if err := encodeRaw(t, reply); err != nil {
			return err
		}
	}
	select {
	case c.in <- s:
	default:
		c.mu.Lock()
		c.dropped++
		c.mu.Unlock()
	}
	return nil
}

func (c *Client) handleIQ(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	var iq struct {
		From, ID, Type string
		Query          struct{ XMLName xml.Name } `xml:",any"`
	}
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "from":
			iq.From = a.Value
		case "id":
			iq.ID = a.Value
		case "type":
			iq.Type = a.Value
		}
	}
	if err := xml.NewTokenDecoder(xmlstream.MultiReader(xmlstream.Token(*start), t)).Decode(&iq); err != nil {
		return err
	}
	if iq.Type != "get" && iq.Type != "set" {
		return nil
	}
	var answer string
	switch iq.Query.XMLName.Space {
	case wire.NSDiscoInfo:
		answer = wire.DiscoInfo("", iq.From, iq.ID, "", wire.Identity{Category: "client", Type: "pc", Name: c.opts.Name},
			append([]string{wire.NSDiscoInfo, wire.NSVersion}, c.opts.Features...))
	case wire.NSVersion:
		answer = wire.Version("", iq.From, iq.ID, c.opts.Name, c.opts.Version)
	case wire.NSPing:
		answer = wire.IQResult("", iq.From, iq.ID)
	default:
		answer = wire.IQError("", iq.From, iq.ID, wire.ErrUnavailable)
	}
	return encodeRaw(t, answer)
}

// encodeRaw writes a raw stanza through a handler's encoder.
func encodeRaw(t xmlstream.TokenReadEncoder, raw string) error {
	_, err := xmlstream.Copy(t, wire.Tokens(raw))
	return err
}

// IQ sends a raw IQ and returns the answer as XML.
func (c *Client) IQ(ctx context.Context, raw string) (string, error) {
	r, err := c.session.SendIQ(ctx, wire.Tokens(raw))
	if err != nil {
		return "", err
	}
	defer r.Close()
	var b strings.Builder
	e := xml.NewEncoder(&b)
	if _, err := xmlstream.Copy(e, r); err != nil {
		return "", err
	}
	if err := e.Flush(); err != nil {
		return "", err
	}
	return b.String(), nil
}
