package config

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"switchboard/routing"
)

// Channel is a way in and out that is not XMPP ([[channel]]).
type Channel struct {
	Name string // the path segment: /hooks/twilio/NAME/... or /hooks/NAME
	Kind string // twilio (SMS, MMS, voice) or hook (signed JSON or multipart)
	// Entry is the entry point whose dialog and queues it uses; Queue,
	// when set, skips the dialog.
	Entry, Queue string
	// Twilio: our number, the account, its token, where replies are
	// posted, what the provider signs, the hosts media may come from.
	Number, AccountSID, AuthToken, APIURL string
	PublicURL                             string
	MediaHosts                            []string
	// Hook: the Standard Webhooks secret(s) and where agents' answers go.
	Secrets  []string
	ReplyURL string
	// MaxAttempts and MaxAge are when a reply is given up.
	MaxAttempts int
	MaxAge      time.Duration
}

// Phones reports whether the channel sends to phone numbers (SMS), so
// that a caller can be answered through it (/via).
func (ch Channel) Phones() bool { return ch.Kind == "twilio" }

// Files bounds what channels store ([files]).
type Files struct {
	MaxSize  int64
	MaxFiles int
	Types    []string
	LinkTTL  time.Duration
}

// Webhook is an outbound webhook ([[webhook]]).
type Webhook struct {
	URL     string
	Secrets []string
	Events  []string
}

// WebhookEvents are the events a [[webhook]] may ask for.
var WebhookEvents = []string{"conversation.created", "conversation.queued", "conversation.assigned", "conversation.closed", "message.created", "rating"}

type rawChannel struct {
	Name          string   `toml:"name"`
	Kind          string   `toml:"kind"`
	Entry         string   `toml:"entry"`
	Queue         string   `toml:"queue"`
	Number        string   `toml:"number"`
	AccountSID    string   `toml:"account_sid"`
	AuthToken     *string  `toml:"auth_token"`
	AuthTokenFile *string  `toml:"auth_token_file"`
	APIURL        string   `toml:"api_url"`
	PublicURL     string   `toml:"public_url"`
	MediaHosts    []string `toml:"media_hosts"`
	Secret        *string  `toml:"secret"`
	SecretFile    *string  `toml:"secret_file"`
	ReplyURL      string   `toml:"reply_url"`
	MaxAttempts   *int     `toml:"max_attempts"`
	MaxAge        *string  `toml:"max_age"`
}

type rawFiles struct {
	MaxSize  *string  `toml:"max_size"`
	MaxFiles *int     `toml:"max_files"`
	Types    []string `toml:"types"`
	LinkTTL  *string  `toml:"link_ttl"`
}

type rawWebhook struct {
	URL        string   `toml:"url"`
	Secret     *string  `toml:"secret"`
	SecretFile *string  `toml:"secret_file"`
	Events     []string `toml:"events"`
}

func (v *validator) channels(raw *rawConfig, c *Config) {
	f := raw.Files
	c.Files = Files{MaxSize: 25 << 20, MaxFiles: 10, Types: []string{"image/*", "application/pdf", "audio/*", "video/*", "text/plain"}, LinkTTL: 168 * time.Hour}
	if f.MaxSize != nil {
		n, err := parseSize(*f.MaxSize)
		if err != nil || n < 1024 || n > 1<<30 {
			v.errorf("files.max_size", "files.max_size: %q is not a size from 1KiB to 1GiB (like \"25MiB\")", *f.MaxSize)
		}
		c.Files.MaxSize = n
	}
	if f.MaxFiles != nil {
		if c.Files.MaxFiles = *f.MaxFiles; *f.MaxFiles < 1 || *f.MaxFiles > 100 {
			v.errorf("files.max_files", "files.max_files: %d is out of range 1–100", *f.MaxFiles)
		}
	}
	if f.Types != nil {
		for i, t := range f.Types {
			if typ, sub, ok := strings.Cut(t, "/"); !ok || typ == "" || sub == "" || strings.ContainsAny(t, " ;") {
				v.errorf("files.types."+strconv.Itoa(i), "files.types: %q is not a media type (like \"image/*\" or \"application/pdf\")", t)
			}
		}
		c.Files.Types = f.Types
	}
	v.durationIn("files.link_ttl", f.LinkTTL, &c.Files.LinkTTL, time.Minute, 24*365*time.Hour)

	seen := map[string]bool{}
	for i, r := range raw.Channel {
		p := "channel." + strconv.Itoa(i)
		ch := Channel{Name: r.Name, Kind: r.Kind, Entry: r.Entry, Queue: r.Queue, Number: r.Number, AccountSID: r.AccountSID,
			APIURL: strings.TrimRight(r.APIURL, "/"), PublicURL: strings.TrimRight(r.PublicURL, "/"), MediaHosts: r.MediaHosts, ReplyURL: r.ReplyURL, MaxAttempts: 8, MaxAge: time.Hour}
		if !localpartRE.MatchString(r.Name) {
			v.errorf(p+".name", "channel name %q: use lower-case letters, digits, . _ - (it is a path segment)", r.Name)
		} else if seen[r.Name] {
			v.errorf(p+".name", "duplicate channel %q", r.Name)
		}
		seen[r.Name] = true
		if ch.Entry == "" && len(c.Entries) > 0 {
			ch.Entry = c.Entries[0].Localpart
		}
		if _, ok := c.Entry(ch.Entry); !ok && ch.Entry != "" {
			v.errorf(p+".entry", "channel %q: unknown entry %q", r.Name, ch.Entry)
		}
		if ch.Queue != "" && !slices.ContainsFunc(c.Queues, func(q routing.Queue) bool { return q.Name == ch.Queue }) {
			v.errorf(p+".queue", "channel %q: unknown queue %q", r.Name, ch.Queue)
		}
		if r.MaxAttempts != nil {
			if ch.MaxAttempts = *r.MaxAttempts; ch.MaxAttempts < 1 || ch.MaxAttempts > 100 {
				v.errorf(p+".max_attempts", "channel %q: max_attempts %d is out of range 1–100", r.Name, ch.MaxAttempts)
			}
		}
		v.durationIn(p+".max_age", r.MaxAge, &ch.MaxAge, time.Minute, 7*24*time.Hour)
		switch r.Kind {
		case "twilio":
			ch.AuthToken = v.secret(p+".auth_token", r.AuthToken, r.AuthTokenFile, "")
			if ch.AuthToken == "" {
				v.errorf(p, "channel %q: auth_token or auth_token_file is missing", r.Name)
			}
			if !strings.HasPrefix(r.AccountSID, "AC") && !strings.HasPrefix(r.AccountSID, "PN") && r.AccountSID != "" {
				v.errorf(p+".account_sid", "channel %q: account_sid %q does not look like an account (AC…)", r.Name, r.AccountSID)
			}
			if r.AccountSID == "" {
				v.errorf(p, "channel %q: account_sid is missing", r.Name)
			}
			if n, err := phonenumbers.Parse(r.Number, ""); err != nil || !phonenumbers.IsPossibleNumber(n) || phonenumbers.Format(n, phonenumbers.E164) != r.Number {
				v.errorf(p+".number", "channel %q: number %q is not a phone number in E.164 form (+4930123456)", r.Name, r.Number)
			}
			if ch.APIURL == "" {
				ch.APIURL = "https://api.twilio.com"
			}
			v.url(p+".api_url", ch.APIURL, r.Name, "api_url")
			if ch.PublicURL == "" {
				v.errorf(p, "channel %q: public_url is missing (the address the provider posts to and signs)", r.Name)
			} else {
				v.url(p+".public_url", ch.PublicURL, r.Name, "public_url")
			}
			if ch.MediaHosts == nil {
				u, _ := url.Parse(ch.APIURL)
				ch.MediaHosts = []string{u.Hostname(), "*.twilio.com", "*.twiliocdn.com"}
			}
		case "hook":
			s := v.secret(p+".secret", r.Secret, r.SecretFile, "")
			for _, one := range strings.Fields(s) {
				if _, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(one, "whsec_")); !strings.HasPrefix(one, "whsec_") || err != nil {
					v.errorf(p+".secret", "channel %q: a secret is whsec_ and base64 (Standard Webhooks)", r.Name)
				}
				ch.Secrets = append(ch.Secrets, one)
			}
			if len(ch.Secrets) == 0 {
				v.errorf(p, "channel %q: secret or secret_file is missing", r.Name)
			}
			if ch.ReplyURL != "" {
				v.url(p+".reply_url", ch.ReplyURL, r.Name, "reply_url")
			}
		default:
			v.errorf(p+".kind", "channel %q: unknown kind %q (twilio, hook)", r.Name, r.Kind)
		}
		c.Channels = append(c.Channels, ch)
	}

	for i, r := range raw.Webhook {
		p := "webhook." + strconv.Itoa(i)
		w := Webhook{URL: r.URL, Events: r.Events}
		v.url(p+".url", r.URL, "webhook", "url")
		for _, one := range strings.Fields(v.secret(p+".secret", r.Secret, r.SecretFile, "")) {
			if _, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(one, "whsec_")); !strings.HasPrefix(one, "whsec_") || err != nil {
				v.errorf(p+".secret", "webhook %q: a secret is whsec_ and base64 (Standard Webhooks)", r.URL)
			}
			w.Secrets = append(w.Secrets, one)
		}
		if len(w.Secrets) == 0 {
			v.errorf(p, "webhook %q: secret or secret_file is missing", r.URL)
		}
		if len(r.Events) == 0 {
			v.errorf(p, "webhook %q: events is empty (%s)", r.URL, strings.Join(WebhookEvents, ", "))
		}
		for j, e := range r.Events {
			if !slices.Contains(WebhookEvents, e) {
				v.errorf(fmt.Sprintf("%s.events.%d", p, j), "webhook %q: unknown event %q (%s)", r.URL, e, strings.Join(WebhookEvents, ", "))
			}
		}
		c.Webhooks = append(c.Webhooks, w)
	}
}

// url checks an http(s) URL of a channel.
func (v *validator) url(path, s, owner, key string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.errorf(path, "%s: %s %q is not an http(s) URL", owner, key, s)
	}
}

// parseSize reads "25MiB", "512KiB", "1GiB", "1000000".
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.n
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("bad size")
	}
	return n * mult, nil
}
