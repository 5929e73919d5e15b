package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"switchboard/component/texts"
	"switchboard/routing"
	"switchboard/routing/dialog"
	"switchboard/routing/hours"
)

// Config is a validated switchboard configuration.
type Config struct {
	File    string
	XMPP    XMPP
	HTTP    HTTP
	Store   Store
	Desk    Desk
	Entries []Entry
	Queues  []routing.Queue
	Agents  []routing.Agent
	Dialogs map[string]*dialog.Dialog
	// ReplyTimes are the queues' reply-time reminders, by queue name.
	ReplyTimes map[string]ReplyTimes
	// Replies are the canned replies agents send with /reply NAME, by
	// name (component/reply fills their placeholders).
	Replies map[string]string
	// Hours are the business hours entry points and queues name.
	Hours map[string]*hours.Schedule
	// Texts are the desk's sentences in every language it speaks
	// ([texts.LANG]), and dialogs the dialogs translated into each.
	Texts   *texts.Catalog
	dialogs map[string]map[string]*dialog.Dialog // language → name → dialog
	// Channels are the ways in and out besides XMPP, Files what they
	// store, Webhooks where events are posted.
	Channels []Channel
	Files    Files
	Webhooks []Webhook
}

// Channel returns the [[channel]] of that name.
func (c *Config) Channel(name string) (Channel, bool) {
	for _, ch := range c.Channels {
		if ch.Name == name {
			return ch, true
		}
	}
	return Channel{}, false
}

// Dialog returns dialog name in the language of l, with that language's
// prompts, labels and answers where [texts.LANG] has them; nil for no
// such dialog.
func (c *Config) Dialog(name string, l *texts.Lang) *dialog.Dialog {
	if d := c.dialogs[l.Name()][name]; d != nil {
		return d
	}
	return c.Dialogs[name]
}

// EntryHours returns an entry point's business hours (nil: always open).
func (c *Config) EntryHours(entry string) *hours.Schedule {
	if e, ok := c.Entry(entry); ok && e.Hours != "" {
		return c.Hours[e.Hours]
	}
	return nil
}

// QueueHours returns a queue's business hours (nil: always open).
func (c *Config) QueueHours(queue string) *hours.Schedule {
	for _, q := range c.Queues {
		if q.Name == queue && q.Hours != "" {
			return c.Hours[q.Hours]
		}
	}
	return nil
}

// ReplyTimes is how long a customer's line in an open conversation may
// wait for an agent's answer: the first one, and each later one (0: no
// reminder). At that time the agent is reminded in the room; at twice
// it, the supervisors are told.
type ReplyTimes struct {
	First time.Duration
	Later time.Duration
}

// XMPP is the connection to the server's component listener.
type XMPP struct {
	Address    string
	Domain     string
	Secret     string
	MUCService string
	RoomPrefix string
}

// HTTP is the operators' listener.
type HTTP struct {
	Listen   string
	APIToken string
	// PublicURL is where agents' clients reach it, for links to stored
	// files (default http://Listen).
	PublicURL string
}

// Store is the bbolt database.
type Store struct {
	Path       string
	KeepClosed time.Duration
	// Per customer: transcript messages kept among those the customer
	// wrote or has seen, and among those not yet delivered (0: all).
	KeepConsumed   int
	KeepUnconsumed int
	PurgeEvery     time.Duration // how often retention runs
	// ApplyEvery is how often bbolt takes what the write-ahead log holds
	// (a write is durable once logged, at once).
	ApplyEvery time.Duration
	// Linger is how long, while writes come faster than they are synced,
	// a group of writes waits for more to share its fdatasync.
	Linger time.Duration
}

// Desk holds the behaviour towards customers and agents.
type Desk struct {
	PrivatePrefix   string
	ReopenWindow    time.Duration
	CustomerTimeout time.Duration
	// UpdateEvery is the least time between two updates of a queued
	// customer's place and wait.
	UpdateEvery time.Duration
	// AgentGrace is how long an assigned agent may be gone (offline, or
	// out of the room) before the conversation goes back to its queue.
	AgentGrace      time.Duration
	Rating          bool
	MaxBodyBytes    int
	RateLimit       int      // messages per minute per customer
	DomainRateLimit int      // messages per minute from all customers of one domain
	Localpart       string   // the desk's own JID: <localpart>@<domain>
	UnroutableShows []string // shows that take an agent out of routing
	Admins          []string // bare JIDs allowed to administer the desk
	Supervisors     []string // bare JIDs who watch the floor (admins are supervisors too)
	VIP             []string // customers ("jid" or "*@domain") whose conversations get one priority level more
	KeepRooms       bool     // leave closed conversations' rooms instead of destroying them
	// Language is what the desk writes agents in: room notices, offers,
	// answers to commands (a language of [texts], or English).
	Language string
}

// Entry is a JID customers write to.
type Entry struct {
	Localpart string
	Name      string
	Dialog    string
	Hours     string // business hours, or "" for always open
	// Language is its customers' language when their client does not
	// say (xml:lang), or says one the desk has no texts for.
	Language string
}

// Defaults returns the configuration every file starts from.
func Defaults() Config {
	return Config{
		XMPP:  XMPP{RoomPrefix: "case-"},
		HTTP:  HTTP{Listen: "127.0.0.1:9470"},
		Store: Store{Path: "switchboard.db", KeepClosed: 2160 * time.Hour, PurgeEvery: time.Hour, ApplyEvery: time.Second, Linger: 2 * time.Millisecond},
		Desk: Desk{
			PrivatePrefix:   "//",
			ReopenWindow:    30 * time.Minute,
			CustomerTimeout: 10 * time.Minute,
			UpdateEvery:     30 * time.Second,
			AgentGrace:      2 * time.Minute,
			Rating:          true,
			MaxBodyBytes:    8192,
			RateLimit:       20,
			DomainRateLimit: 6000,
			Localpart:       "desk",
			UnroutableShows: []string{"away", "xa", "dnd"},
		},
	}
}

// The raw file, as TOML decodes it.
type rawConfig struct {
	XMPP struct {
		Address    *string `toml:"address"`
		Domain     *string `toml:"domain"`
		Secret     *string `toml:"secret"`
		SecretFile *string `toml:"secret_file"`
		MUCService *string `toml:"muc_service"`
		RoomPrefix *string `toml:"room_prefix"`
	} `toml:"xmpp"`
	HTTP struct {
		Listen       *string `toml:"listen"`
		APIToken     *string `toml:"api_token"`
		APITokenFile *string `toml:"api_token_file"`
		PublicURL    *string `toml:"public_url"`
	} `toml:"http"`
	Store struct {
		Path           *string `toml:"path"`
		KeepClosed     *string `toml:"keep_closed"`
		KeepConsumed   *int    `toml:"keep_consumed"`
		KeepUnconsumed *int    `toml:"keep_unconsumed"`
		PurgeEvery     *string `toml:"purge_every"`
		ApplyEvery     *string `toml:"apply_every"`
		Linger         *string `toml:"linger"`
		CommitDelay    *string `toml:"commit_delay"` // gone; named in its error
	} `toml:"store"`
	Desk struct {
		PrivatePrefix   *string  `toml:"private_prefix"`
		ReopenWindow    *string  `toml:"reopen_window"`
		CustomerTimeout *string  `toml:"customer_timeout"`
		UpdateEvery     *string  `toml:"update_every"`
		AgentGrace      *string  `toml:"agent_grace"`
		Rating          *bool    `toml:"rating"`
		MaxBodyBytes    *int     `toml:"max_body_bytes"`
		RateLimit       *int     `toml:"rate_limit"`
		DomainRateLimit *int     `toml:"domain_rate_limit"`
		Localpart       *string  `toml:"localpart"`
		UnroutableShows []string `toml:"unavailable_shows"`
		Admins          []string `toml:"admins"`
		Supervisors     []string `toml:"supervisors"`
		VIP             []string `toml:"vip"`
		KeepRooms       *bool    `toml:"keep_rooms"`
		Language        *string  `toml:"language"`
	} `toml:"desk"`
	Entry []struct {
		Localpart string `toml:"localpart"`
		Name      string `toml:"name"`
		Dialog    string `toml:"dialog"`
		Hours     string `toml:"hours"`
		Language  string `toml:"language"`
	} `toml:"entry"`
	Queue []struct {
		Name            string         `toml:"name"`
		Skills          map[string]int `toml:"skills"`
		Strategy        string         `toml:"strategy"`
		OfferTimeout    *string        `toml:"offer_timeout"`
		MaxWait         *string        `toml:"max_wait"`
		Overflow        string         `toml:"overflow"`
		MatchLanguage   bool           `toml:"match_language"`
		RequireFeatures []string       `toml:"require_features"`
		Aging           *string        `toml:"aging"`
		FirstReply      *string        `toml:"first_reply"`
		Reply           *string        `toml:"reply"`
		Hours           string         `toml:"hours"`
	} `toml:"queue"`
	Agent []struct {
		JID       string         `toml:"jid"`
		Name      string         `toml:"name"`
		Skills    map[string]int `toml:"skills"`
		Languages []string       `toml:"languages"`
		MaxChats  *int           `toml:"max_chats"`
	} `toml:"agent"`
	Dialogs map[string]map[string]rawNode `toml:"dialogs"`
	Replies map[string]string             `toml:"replies"`
	Hours   map[string]rawHours           `toml:"hours"`
	Texts   map[string]any                `toml:"texts"`
	Channel []rawChannel                  `toml:"channel"`
	Files   rawFiles                      `toml:"files"`
	Webhook []rawWebhook                  `toml:"webhook"`
}

type rawHours struct {
	Zone   string   `toml:"zone"`
	Mon    *string  `toml:"mon"`
	Tue    *string  `toml:"tue"`
	Wed    *string  `toml:"wed"`
	Thu    *string  `toml:"thu"`
	Fri    *string  `toml:"fri"`
	Sat    *string  `toml:"sat"`
	Sun    *string  `toml:"sun"`
	Closed []string `toml:"closed"`
}

// days returns the week's lines by hours.Days key.
func (h rawHours) days() map[string]*string {
	return map[string]*string{"mon": h.Mon, "tue": h.Tue, "wed": h.Wed, "thu": h.Thu, "fri": h.Fri, "sat": h.Sat, "sun": h.Sun}
}

type rawThen struct {
	Next     string   `toml:"next"`
	Queue    string   `toml:"queue"`
	Action   string   `toml:"action"`
	Priority int      `toml:"priority"`
	Needs    []string `toml:"needs"`
}

type rawNode struct {
	Say     string `toml:"say"`
	Options []struct {
		Key      string   `toml:"key"`
		Label    string   `toml:"label"`
		Keywords []string `toml:"keywords"`
		rawThen
	} `toml:"options"`
	Field   string `toml:"field"`
	Pattern string `toml:"pattern"`
	Hint    string `toml:"hint"`
	rawThen
}

// Error is one problem of a configuration file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every problem found in a file, in line order.
type Errors []Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Load reads and validates the file at path. Secrets not in the file come
// from their *_file keys or from $SWITCHBOARD_SECRET and
// $SWITCHBOARD_API_TOKEN.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data, os.Getenv)
}

// Parse validates data read from file, reading the environment with getenv.
func Parse(file string, data []byte, getenv func(string) string) (*Config, error) {
	var raw rawConfig
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var unknown Errors
	if err := dec.Decode(&raw); err != nil {
		var strict *toml.StrictMissingError
		if !errors.As(err, &strict) {
			return nil, decodeErrors(file, err)
		}
		// The known keys were decoded: report the unknown ones together
		// with whatever else is wrong.
		unknown = decodeErrors(file, err).(Errors)
	}
	v := &validator{file: file, dir: filepath.Dir(file), lines: indexLines(data), getenv: getenv, errs: unknown}
	c := v.build(&raw)
	if len(v.errs) > 0 {
		sort.SliceStable(v.errs, func(i, j int) bool { return v.errs[i].Line < v.errs[j].Line })
		return nil, v.errs
	}
	return c, nil
}

func decodeErrors(file string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var es Errors
		for _, e := range strict.Errors {
			line, _ := e.Position()
			es = append(es, Error{File: file, Line: line, Msg: "unknown key " + strconv.Quote(strings.Join(e.Key(), "."))})
		}
		return es
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		return Errors{{File: file, Line: line, Msg: strings.TrimPrefix(de.Error(), "toml: ")}}
	}
	return Errors{{File: file, Msg: err.Error()}}
}

// Entry returns the entry with the given localpart.
func (c *Config) Entry(localpart string) (Entry, bool) {
	for _, e := range c.Entries {
		if e.Localpart == localpart {
			return e, true
		}
	}
	return Entry{}, false
}

// IsAdmin reports whether bare is listed in desk.admins.
func (c *Config) IsAdmin(bare string) bool { return slices.Contains(c.Desk.Admins, bare) }

// IsVIP reports whether the customer bare is listed in desk.vip, by JID
// or by "*@domain".
func (c *Config) IsVIP(bare string) bool {
	_, domain, _ := strings.Cut(bare, "@")
	for _, v := range c.Desk.VIP {
		if v == bare || v == "*@"+domain {
			return true
		}
	}
	return false
}

// Supervisors returns who watches the floor: the supervisors and the
// admins, each once.
func (c *Config) Supervisors() []string {
	out := slices.Clone(c.Desk.Supervisors)
	for _, a := range c.Desk.Admins {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func validDomain(s string) bool {
	if s == "" || len(s) > 253 || strings.ContainsAny(s, "@/ \t") {
		return false
	}
	return true
}

func validBareJID(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && !strings.ContainsAny(local, " \t\"&'/:<>@") && validDomain(domain)
}
