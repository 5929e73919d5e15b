package config

import (
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/component/texts"
	"switchboard/routing"
)

type validator struct {
	file   string
	dir    string
	lines  lineIndex
	getenv func(string) string
	errs   Errors
}

func (v *validator) errorf(path, format string, args ...any) {
	v.errs = append(v.errs, Error{File: v.file, Line: v.lines.line(path), Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) duration(path string, s *string, dst *time.Duration) {
	if s == nil {
		return
	}
	d, err := time.ParseDuration(*s)
	if err != nil || d < 0 {
		v.errorf(path, "%s: bad duration %q (use e.g. \"30s\", \"15m\", \"2h\")", path, *s)
		return
	}
	*dst = d
}

// durationIn is duration with a range.
func (v *validator) durationIn(path string, s *string, dst *time.Duration, lo, hi time.Duration) {
	old := *dst
	v.duration(path, s, dst)
	if *dst != old && (*dst < lo || *dst > hi) {
		v.errorf(path, "%s: %s is out of range (%s to %s)", path, *dst, short(lo), short(hi))
	}
}

// short renders a duration without zero units: 1h, 5s, 2m30s.
func short(d time.Duration) string {
	s := d.String()
	for _, z := range []string{"0s", "0m"} {
		if len(s) > 2 && strings.HasSuffix(s, z) {
			s = s[:len(s)-2]
		}
	}
	return s
}

func str(dst *string, s *string) {
	if s != nil {
		*dst = *s
	}
}

// secret picks a secret from the file, a file it names, or the environment.
func (v *validator) secret(path string, inline, file *string, env string) string {
	switch {
	case inline != nil && file != nil:
		v.errorf(path, "%s and %s_file are both set; keep one", path, path)
	case inline != nil:
		return *inline
	case file != nil && strings.HasPrefix(*file, "env:"):
		name := strings.TrimPrefix(*file, "env:")
		val := v.getenv(name)
		if val == "" {
			v.errorf(path+"_file", "%s_file: $%s is not set", path, name)
		}
		return val
	case file != nil:
		p := *file
		if !filepath.IsAbs(p) {
			p = filepath.Join(v.dir, p)
		}
		b, err := readSecret(p)
		if err != nil {
			v.errorf(path+"_file", "%s_file: %v", path, err)
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	return v.getenv(env)
}

// readSecret reads a small regular file: a secret file that is a device
// or huge is a mistake, and must not hang or exhaust `switchboard check`.
func readSecret(path string) ([]byte, error) {
	// Stat before opening: opening a FIFO would wait for a writer.
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	const max = 64 << 10
	if st.Size() > max {
		return nil, fmt.Errorf("%s is larger than %d bytes; a secret file holds just the secret", path, max)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max))
}

var localpartRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (v *validator) build(raw *rawConfig) *Config {
	c := Defaults()
	c.File = v.file

	x := raw.XMPP
	str(&c.XMPP.Address, x.Address)
	str(&c.XMPP.Domain, x.Domain)
	str(&c.XMPP.MUCService, x.MUCService)
	str(&c.XMPP.RoomPrefix, x.RoomPrefix)
	c.XMPP.Secret = v.secret("xmpp.secret", x.Secret, x.SecretFile, "SWITCHBOARD_SECRET")
	if _, _, err := net.SplitHostPort(c.XMPP.Address); err != nil {
		v.errorf("xmpp.address", "xmpp.address: want host:port of the server's component listener, got %q", c.XMPP.Address)
	}
	if !validDomain(c.XMPP.Domain) {
		v.errorf("xmpp.domain", "xmpp.domain: want the component's domain, got %q", c.XMPP.Domain)
	}
	if c.XMPP.Secret == "" {
		v.errorf("xmpp", "xmpp.secret is missing (set secret, secret_file or $SWITCHBOARD_SECRET)")
	}
	if !validDomain(c.XMPP.MUCService) {
		v.errorf("xmpp.muc_service", "xmpp.muc_service: want the server's MUC domain, got %q", c.XMPP.MUCService)
	}
	if c.XMPP.RoomPrefix == "" || !localpartRE.MatchString(c.XMPP.RoomPrefix) {
		v.errorf("xmpp.room_prefix", "xmpp.room_prefix: %q is not usable in a room name (lower-case letters, digits, . _ -)", c.XMPP.RoomPrefix)
	}

	h := raw.HTTP
	str(&c.HTTP.Listen, h.Listen)
	c.HTTP.APIToken = v.secret("http.api_token", h.APIToken, h.APITokenFile, "SWITCHBOARD_API_TOKEN")
	if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
		v.errorf("http.listen", "http.listen: want host:port, got %q", c.HTTP.Listen)
	}
	c.HTTP.PublicURL = "http://" + c.HTTP.Listen
	if h.PublicURL != nil {
		c.HTTP.PublicURL = strings.TrimRight(*h.PublicURL, "/")
		v.url("http.public_url", c.HTTP.PublicURL, "http", "public_url")
	}

	str(&c.Store.Path, raw.Store.Path)
	if c.Store.Path != "" && !filepath.IsAbs(c.Store.Path) {
		c.Store.Path = filepath.Join(v.dir, c.Store.Path)
	}
	v.duration("store.keep_closed", raw.Store.KeepClosed, &c.Store.KeepClosed)
	v.duration("store.purge_every", raw.Store.PurgeEvery, &c.Store.PurgeEvery)
	if c.Store.PurgeEvery < time.Minute {
		v.errorf("store.purge_every", "store.purge_every: %s is too often (at least 1m)", c.Store.PurgeEvery)
	}
	if raw.Store.CommitDelay != nil {
		v.errorf("store.commit_delay", "store.commit_delay is gone: a write is durable in the store's write-ahead log within a millisecond; remove the line (store.apply_every sets how often the database file takes the log)")
	}
	v.duration("store.linger", raw.Store.Linger, &c.Store.Linger)
	if c.Store.Linger > 5*time.Millisecond {
		v.errorf("store.linger", "store.linger: %s is too long (at most 5ms: while the desk is busy every message waits for it)", c.Store.Linger)
	}
	v.duration("store.apply_every", raw.Store.ApplyEvery, &c.Store.ApplyEvery)
	if c.Store.ApplyEvery < 10*time.Millisecond || c.Store.ApplyEvery > 10*time.Second {
		v.errorf("store.apply_every", "store.apply_every: %s is out of range (10ms to 10s)", c.Store.ApplyEvery)
	}
	for _, k := range []struct {
		key string
		src *int
		dst *int
	}{{"store.keep_consumed", raw.Store.KeepConsumed, &c.Store.KeepConsumed}, {"store.keep_unconsumed", raw.Store.KeepUnconsumed, &c.Store.KeepUnconsumed}} {
		if k.src == nil {
			continue
		}
		if *k.dst = *k.src; *k.src < 0 {
			v.errorf(k.key, "%s: must not be negative (0 keeps everything)", k.key)
		}
	}

	d := raw.Desk
	str(&c.Desk.PrivatePrefix, d.PrivatePrefix)
	str(&c.Desk.Localpart, d.Localpart)
	v.duration("desk.reopen_window", d.ReopenWindow, &c.Desk.ReopenWindow)
	v.duration("desk.customer_timeout", d.CustomerTimeout, &c.Desk.CustomerTimeout)
	v.durationIn("desk.update_every", d.UpdateEvery, &c.Desk.UpdateEvery, 5*time.Second, time.Hour)
	v.durationIn("desk.agent_grace", d.AgentGrace, &c.Desk.AgentGrace, 0, time.Hour)
	if d.Rating != nil {
		c.Desk.Rating = *d.Rating
	}
	if d.KeepRooms != nil {
		c.Desk.KeepRooms = *d.KeepRooms
	}
	if d.MaxBodyBytes != nil {
		c.Desk.MaxBodyBytes = *d.MaxBodyBytes
		if c.Desk.MaxBodyBytes < 1 || c.Desk.MaxBodyBytes > 400000 {
			v.errorf("desk.max_body_bytes", "desk.max_body_bytes: %d is out of range 1–400000", c.Desk.MaxBodyBytes)
		}
	}
	if d.RateLimit != nil {
		c.Desk.RateLimit = *d.RateLimit
		if c.Desk.RateLimit < 0 {
			v.errorf("desk.rate_limit", "desk.rate_limit: must not be negative (0 turns it off)")
		}
	}
	if d.DomainRateLimit != nil {
		c.Desk.DomainRateLimit = *d.DomainRateLimit
		if c.Desk.DomainRateLimit < 0 {
			v.errorf("desk.domain_rate_limit", "desk.domain_rate_limit: must not be negative (0 turns it off)")
		}
	}
	if c.Desk.PrivatePrefix == "" || c.Desk.PrivatePrefix == "/" {
		v.errorf("desk.private_prefix", "desk.private_prefix: %q cannot be told apart from a /command", c.Desk.PrivatePrefix)
	}
	if !localpartRE.MatchString(c.Desk.Localpart) {
		v.errorf("desk.localpart", "desk.localpart: %q is not a valid localpart", c.Desk.Localpart)
	}
	if d.UnroutableShows != nil {
		c.Desk.UnroutableShows = d.UnroutableShows
		for i, s := range d.UnroutableShows {
			if s != "away" && s != "xa" && s != "dnd" && s != "chat" {
				v.errorf("desk.unavailable_shows."+strconv.Itoa(i), "desk.unavailable_shows: %q is not a show (away, xa, dnd, chat)", s)
			}
		}
	}
	for i, a := range d.Admins {
		if !validBareJID(a) {
			v.errorf("desk.admins."+strconv.Itoa(i), "desk.admins: %q is not a bare JID", a)
		}
	}
	c.Desk.Admins = d.Admins
	for i, a := range d.Supervisors {
		if !validBareJID(a) {
			v.errorf("desk.supervisors."+strconv.Itoa(i), "desk.supervisors: %q is not a bare JID", a)
		}
	}
	c.Desk.Supervisors = d.Supervisors
	for i, a := range d.VIP {
		a = strings.ToLower(a)
		if domain, ok := strings.CutPrefix(a, "*@"); !(ok && validDomain(domain)) && !validBareJID(a) {
			v.errorf("desk.vip."+strconv.Itoa(i), "desk.vip: %q is neither a bare JID nor *@domain", a)
		}
		c.Desk.VIP = append(c.Desk.VIP, a)
	}

	v.hours(raw, &c)
	v.queues(raw, &c)
	v.agents(raw, &c)
	v.dialogs(raw, &c)
	v.texts(raw, &c)
	v.entries(raw, &c)
	v.channels(raw, &c)
	str(&c.Desk.Language, d.Language)
	if c.Desk.Language != "" {
		if err := texts.CheckLanguage(c.Desk.Language); err != nil {
			v.errorf("desk.language", "desk.language: %v", err)
		} else if _, ok := c.Texts.Match(c.Desk.Language); !ok {
			v.errorf("desk.language", "desk.language: there are no texts in %q ([texts.%s])", c.Desk.Language, c.Desk.Language)
		}
	}
	return &c
}

func (v *validator) queues(raw *rawConfig, c *Config) {
	seen := map[string]bool{}
	for i, q := range raw.Queue {
		p := "queue." + strconv.Itoa(i)
		if !localpartRE.MatchString(q.Name) {
			v.errorf(p+".name", "queue name %q: use lower-case letters, digits, . _ -", q.Name)
		}
		if seen[q.Name] {
			v.errorf(p+".name", "duplicate queue %q", q.Name)
		}
		seen[q.Name] = true
		rq := routing.Queue{Name: q.Name, Skills: q.Skills, Overflow: q.Overflow, MatchLanguage: q.MatchLanguage,
			RequireFeatures: q.RequireFeatures, OfferTimeout: 30 * time.Second, MaxWait: 15 * time.Minute, Hours: q.Hours}
		if q.Hours != "" && c.Hours[q.Hours] == nil {
			v.errorf(p+".hours", "queue %q: unknown hours %q (no [hours.%s])", q.Name, q.Hours, q.Hours)
		}
		for s, l := range q.Skills {
			if l < 1 || l > 10 {
				v.errorf(p+".skills."+s, "queue %q: skill %s level %d is out of range 1–10", q.Name, s, l)
			}
		}
		st, err := routing.ParseStrategy(q.Strategy)
		if err != nil {
			v.errorf(p+".strategy", "queue %q: %v", q.Name, err)
		}
		rq.Strategy = st
		v.duration(p+".offer_timeout", q.OfferTimeout, &rq.OfferTimeout)
		v.duration(p+".max_wait", q.MaxWait, &rq.MaxWait)
		if rq.OfferTimeout < time.Second {
			v.errorf(p+".offer_timeout", "queue %q: offer_timeout must be at least 1s", q.Name)
		}
		v.duration(p+".aging", q.Aging, &rq.Aging)
		if q.Aging != nil && (rq.Aging < time.Second || rq.Aging > 24*time.Hour) {
			v.errorf(p+".aging", "queue %q: aging %s is out of range (1s to 24h a priority level)", q.Name, rq.Aging)
		}
		var rt ReplyTimes
		v.duration(p+".first_reply", q.FirstReply, &rt.First)
		v.duration(p+".reply", q.Reply, &rt.Later)
		for _, x := range []struct {
			key string
			d   time.Duration
		}{{"first_reply", rt.First}, {"reply", rt.Later}} {
			if x.d != 0 && (x.d < 10*time.Second || x.d > 24*time.Hour) {
				v.errorf(p+"."+x.key, "queue %q: %s %s is out of range (10s to 24h, or 0 for none)", q.Name, x.key, x.d)
			}
		}
		if c.ReplyTimes == nil {
			c.ReplyTimes = map[string]ReplyTimes{}
		}
		c.ReplyTimes[q.Name] = rt
		c.Queues = append(c.Queues, rq)
	}
	for i, q := range c.Queues {
		if q.Overflow != "" && q.Overflow != "message" && !seen[q.Overflow] {
			v.errorf("queue."+strconv.Itoa(i)+".overflow", "queue %q: overflow to unknown queue %q", q.Name, q.Overflow)
		}
		if q.Overflow == q.Name {
			v.errorf("queue."+strconv.Itoa(i)+".overflow", "queue %q overflows into itself", q.Name)
		}
	}
	if len(c.Queues) == 0 {
		v.errorf("", "no [[queue]] is configured")
	}
}

func (v *validator) agents(raw *rawConfig, c *Config) {
	seen := map[string]bool{}
	for i, a := range raw.Agent {
		p := "agent." + strconv.Itoa(i)
		ra := routing.Agent{JID: a.JID, Name: a.Name, Skills: a.Skills, Languages: a.Languages}
		if a.MaxChats != nil {
			ra.MaxChats = *a.MaxChats
		}
		for _, e := range c.CheckAgent(&ra, a.MaxChats != nil) {
			v.errorf(p+"."+e.Field, "%s", e.Msg)
		}
		if seen[ra.JID] {
			v.errorf(p+".jid", "duplicate agent %q", a.JID)
		}
		seen[ra.JID] = true
		c.Agents = append(c.Agents, ra)
	}
}

// FieldError is a problem with one field of a record.
type FieldError struct {
	Field string // e.g. "jid", "skills.billing"
	Msg   string
}

func (e FieldError) Error() string { return e.Msg }

// CheckAgent normalizes an agent (lower-case JID, name from the JID,
// max_chats 3 unless set) and returns what is wrong with it. The config
// file's agents and agents changed at runtime follow the same rules.
func (c *Config) CheckAgent(a *routing.Agent, maxChatsSet bool) []FieldError {
	var errs []FieldError
	orig := a.JID
	a.JID = strings.ToLower(a.JID)
	if !validBareJID(a.JID) {
		errs = append(errs, FieldError{"jid", fmt.Sprintf("agent jid %q is not a bare JID (user@domain)", orig)})
	}
	if a.Name == "" {
		a.Name, _, _ = strings.Cut(a.JID, "@")
	}
	if !maxChatsSet {
		a.MaxChats = 3
	} else if a.MaxChats < 1 || a.MaxChats > 100 {
		errs = append(errs, FieldError{"max_chats", fmt.Sprintf("agent %q: max_chats %d is out of range 1–100", orig, a.MaxChats)})
	}
	known := map[string]bool{}
	for _, q := range c.Queues {
		for s := range q.Skills {
			known[s] = true
		}
	}
	for _, s := range slices.Sorted(maps.Keys(a.Skills)) {
		if !known[s] {
			errs = append(errs, FieldError{"skills." + s, fmt.Sprintf("agent %q: unknown skill %q (no queue asks for it)", orig, s)})
		} else if l := a.Skills[s]; l < 1 || l > 10 {
			errs = append(errs, FieldError{"skills." + s, fmt.Sprintf("agent %q: skill %s level %d is out of range 1–10", orig, s, l)})
		}
	}
	return errs
}

func (v *validator) entries(raw *rawConfig, c *Config) {
	seen := map[string]bool{c.Desk.Localpart: true}
	for i, e := range raw.Entry {
		p := "entry." + strconv.Itoa(i)
		if !localpartRE.MatchString(e.Localpart) {
			v.errorf(p+".localpart", "entry localpart %q: use lower-case letters, digits, . _ -", e.Localpart)
		} else if seen[e.Localpart] {
			v.errorf(p+".localpart", "duplicate entry %q (or the desk's own localpart)", e.Localpart)
		}
		seen[e.Localpart] = true
		if c.Dialogs[e.Dialog] == nil {
			v.errorf(p+".dialog", "entry %q: unknown dialog %q", e.Localpart, e.Dialog)
		}
		name := e.Name
		if name == "" {
			name = e.Localpart
		}
		if e.Hours != "" && c.Hours[e.Hours] == nil {
			v.errorf(p+".hours", "entry %q: unknown hours %q (no [hours.%s])", e.Localpart, e.Hours, e.Hours)
		}
		if e.Language != "" {
			if err := texts.CheckLanguage(e.Language); err != nil {
				v.errorf(p+".language", "entry %q: language: %v", e.Localpart, err)
			}
		}
		c.Entries = append(c.Entries, Entry{Localpart: e.Localpart, Name: name, Dialog: e.Dialog, Hours: e.Hours, Language: e.Language})
	}
	if len(c.Entries) == 0 {
		v.errorf("", "no [[entry]] is configured: customers have no JID to write to")
	}
}
