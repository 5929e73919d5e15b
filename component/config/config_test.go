package config_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/component/config"
	"switchboard/component/texts"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestExample(t *testing.T) {
	c, err := config.Load("../../cmd/switchboard/switchboard.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if c.XMPP.Domain != "help.example.com" || len(c.Agents) != 2 || c.Agents[0].MaxChats != 3 || c.Queues[0].OfferTimeout != 30*time.Second {
		t.Fatalf("unexpected config: %+v", c)
	}
	if d := c.Dialogs["main"]; d == nil || len(d.Nodes["start"].Options) != 7 || d.Nodes["order"].Pattern == nil || d.Nodes["closed"] == nil {
		t.Fatalf("dialog = %+v", d)
	}
}

const base = `[xmpp]
address = "127.0.0.1:5347"
domain = "help.localhost"
muc_service = "conference.localhost"

[[entry]]
localpart = "support"
dialog = "main"

[[queue]]
name = "billing"
skills = { billing = 3 }

[[agent]]
jid = "alice@localhost"
skills = { billing = 5 }

[dialogs.main.start]
say = "Hi"
queue = "billing"
`

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		env  map[string]string
		want string // "file:line: message" fragment
	}{
		{name: "ok with env secret", env: map[string]string{"SWITCHBOARD_SECRET": "x"}},
		{name: "missing secret", want: "f.toml:1: xmpp.secret is missing"},
		{name: "unknown key", edit: func(s string) string { return strings.Replace(s, "[xmpp]\n", "[xmpp]\nsecert = \"x\"\n", 1) }, want: `f.toml:2: unknown key "xmpp.secert"`},
		{name: "bad duration", edit: func(s string) string { return s + "[desk]\nreopen_window = \"10 minutes\"\n" }, want: `f.toml:22: desk.reopen_window: bad duration`},
		{name: "commit delay", edit: func(s string) string { return s + "[store]\ncommit_delay = \"50ms\"\n" }, want: `f.toml:22: store.commit_delay is gone`},
		{name: "reply", edit: func(s string) string { return s + "[replies]\nrefund = \"Refund of {amount\"\n" }, want: `f.toml:22: reply "refund": a "{" without its "}"`},
		{name: "reply name", edit: func(s string) string { return s + "[replies]\nRefund = \"x\"\n" }, want: `reply "Refund": names are lower-case`},
		{name: "first reply", edit: func(s string) string {
			return strings.Replace(s, "[[queue]]\n", "[[queue]]\nfirst_reply = \"1s\"\n", 1)
		}, want: `first_reply 1s is out of range`},
		{name: "supervisor", edit: func(s string) string { return s + "[desk]\nsupervisors = [\"not a jid\"]\n" }, want: `desk.supervisors: "not a jid" is not a bare JID`},
		{name: "vip", edit: func(s string) string { return s + "[desk]\nvip = [\"*@\"]\n" }, want: `desk.vip: "*@" is neither a bare JID nor *@domain`},
		{name: "aging", edit: func(s string) string { return strings.Replace(s, "[[queue]]\n", "[[queue]]\naging = \"0s\"\n", 1) }, want: `aging 0s is out of range`},
		{name: "update every", edit: func(s string) string { return s + "[desk]\nupdate_every = \"1s\"\n" }, want: `f.toml:22: desk.update_every: 1s is out of range (5s to 1h)`},
		{name: "agent grace", edit: func(s string) string { return s + "[desk]\nagent_grace = \"2h\"\n" }, want: `f.toml:22: desk.agent_grace: 2h0m0s is out of range (0s to 1h)`},
		{name: "hours zone", edit: func(s string) string { return s + "[hours.office]\nzone = \"Mars/Olympus\"\n" }, want: `f.toml:22: hours "office": unknown time zone "Mars/Olympus"`},
		{name: "hours day", edit: func(s string) string { return s + "[hours.office]\nzone = \"UTC\"\nmon = \"9-17\"\n" }, want: `f.toml:23: hours "office": mon: "9" is not a time of day (HH:MM)`},
		{name: "hours closed", edit: func(s string) string { return s + "[hours.office]\nzone = \"UTC\"\nclosed = [\"Christmas\"]\n" }, want: `f.toml:23: hours "office": closed: "Christmas" is not a day`},
		{name: "unknown hours", edit: func(s string) string { return strings.Replace(s, "[[queue]]\n", "[[queue]]\nhours = \"office\"\n", 1) }, want: `queue "billing": unknown hours "office" (no [hours.office])`},
		{name: "message without a queue", edit: func(s string) string {
			return strings.Replace(s, "queue = \"billing\"\n", "action = \"message\"\n", 1)
		}, want: `f.toml:20: dialog main node start: action message needs the queue that takes it`},
		{name: "linger", edit: func(s string) string { return s + "[store]\nlinger = \"6ms\"\n" }, want: `f.toml:22: store.linger: 6ms is too long`},
		{name: "apply every", edit: func(s string) string { return s + "[store]\napply_every = \"1ms\"\n" }, want: `f.toml:22: store.apply_every: 1ms is out of range`},
		{name: "unknown skill", edit: func(s string) string { return strings.Replace(s, "billing = 5", "billing = 5, cooking = 2", 1) }, want: `f.toml:16: agent "alice@localhost": unknown skill "cooking"`},
		{name: "duplicate agent", edit: func(s string) string { return s + "[[agent]]\njid = \"Alice@localhost\"\n" }, want: `f.toml:22: duplicate agent`},
		{name: "missing node", edit: func(s string) string { return strings.Replace(s, "queue = \"billing\"\n", "next = \"nowhere\"\n", 1) }, want: `f.toml:20: dialog main node start: next node "nowhere" does not exist`},
		{name: "missing queue", edit: func(s string) string {
			return strings.Replace(s, "say = \"Hi\"\nqueue = \"billing\"", "say = \"Hi\"\nqueue = \"nope\"", 1)
		}, want: `f.toml:20: dialog main node start: queue "nope" does not exist`},
		{name: "unknown dialog", edit: func(s string) string { return strings.Replace(s, `dialog = "main"`, `dialog = "other"`, 1) }, want: `f.toml:8: entry "support": unknown dialog "other"`},
		{name: "syntax error", edit: func(s string) string { return s + "oops = \n" }, want: "f.toml:21: "},
		{name: "option without end", edit: func(s string) string {
			return strings.Replace(s, "say = \"Hi\"\nqueue = \"billing\"", "say = \"Hi\"\noptions = [\n  { key = \"1\", label = \"A\", queue = \"billing\" },\n  { key = \"2\", label = \"B\" },\n]", 1)
		}, want: `f.toml:22: dialog main node start option "2" must end in next, queue or action`},
		{name: "bad pattern", edit: func(s string) string {
			return s + "[dialogs.main.q]\nsay = \"?\"\nfield = \"x\"\npattern = \"(\"\nqueue = \"billing\"\n"
		}, want: `f.toml:24: dialog main node q: bad pattern`},
		{name: "unknown text", edit: func(s string) string { return s + "[texts.de]\nqueue_plaec = \"x\"\n" }, want: `f.toml:22: texts.de: queue_plaec: there is no text "queue_plaec"`},
		{name: "text placeholder", edit: func(s string) string { return s + "[texts.de]\nqueue_place = \"Nummer {platz}\"\n" }, want: `f.toml:22: texts.de: queue_place: {platz}: this text's placeholders are {place}, {wait}`},
		{name: "empty text", edit: func(s string) string { return s + "[texts.de]\nrating_thanks = \"\"\n" }, want: `f.toml:22: texts.de: rating_thanks: the text is empty`},
		{name: "text language", edit: func(s string) string { return s + "[texts.deutsch_de]\nrating_thanks = \"Danke!\"\n" }, want: `f.toml:21: [texts.deutsch_de]: "deutsch_de" is not a language tag`},
		{name: "dialog text node", edit: func(s string) string { return s + "[texts.de]\n\"dialog.main.begin.say\" = \"Hallo\"\n" }, want: `f.toml:22: texts.de: dialog.main.begin.say: dialog main has no node "begin"`},
		{name: "plural forms", edit: func(s string) string { return s + "[texts.de]\nminutes = { one = \"eine Minute\" }\n" }, want: `f.toml:22: texts.de: minutes: the text is empty (a text that counts needs at least its "other" form)`},
		{name: "entry language", edit: func(s string) string {
			return strings.Replace(s, `dialog = "main"`, "dialog = \"main\"\nlanguage = \"Deutsch\"", 1)
		}, want: `f.toml:9: entry "support": language: "Deutsch" is not a language tag`},
		{name: "desk language", edit: func(s string) string { return s + "[desk]\nlanguage = \"fr\"\n" }, want: `f.toml:22: desk.language: there are no texts in "fr"`},
		{name: "texts file", edit: func(s string) string { return s + "[texts]\nfiles = [\"nowhere-de.toml\"]\n" }, want: `f.toml:22: texts.files: open nowhere-de.toml`},
		{name: "channel kind", edit: func(s string) string { return s + "[[channel]]\nname = \"sms\"\nkind = \"carrier-pigeon\"\n" }, want: `f.toml:23: channel "sms": unknown kind "carrier-pigeon" (twilio, hook)`},
		{name: "channel number", edit: func(s string) string {
			return s + "[[channel]]\nname = \"sms\"\nkind = \"twilio\"\nnumber = \"030 123456\"\naccount_sid = \"AC1\"\nauth_token = \"t\"\npublic_url = \"https://help.example.com\"\n"
		}, want: `f.toml:24: channel "sms": number "030 123456" is not a phone number in E.164 form`},
		{name: "channel token from env", edit: func(s string) string {
			return s + "[[channel]]\nname = \"sms\"\nkind = \"twilio\"\nnumber = \"+4930123456\"\naccount_sid = \"AC1\"\nauth_token_file = \"env:NO_SUCH_TOKEN\"\npublic_url = \"https://help.example.com\"\n"
		}, want: `f.toml:26: channel.0.auth_token_file: $NO_SUCH_TOKEN is not set`},
		{name: "channel public url", edit: func(s string) string {
			return s + "[[channel]]\nname = \"sms\"\nkind = \"twilio\"\nnumber = \"+4930123456\"\naccount_sid = \"AC1\"\nauth_token = \"t\"\n"
		}, want: `f.toml:21: channel "sms": public_url is missing`},
		{name: "hook secret", edit: func(s string) string {
			return s + "[[channel]]\nname = \"forms\"\nkind = \"hook\"\nsecret = \"hunter2\"\n"
		}, want: `f.toml:24: channel "forms": a secret is whsec_ and base64`},
		{name: "channel queue", edit: func(s string) string {
			return s + "[[channel]]\nname = \"forms\"\nkind = \"hook\"\nsecret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\nqueue = \"nope\"\n"
		}, want: `f.toml:25: channel "forms": unknown queue "nope"`},
		{name: "webhook event", edit: func(s string) string {
			return s + "[[webhook]]\nurl = \"https://crm.example.com/x\"\nsecret = \"whsec_x\"\nevents = [\"conversation.exploded\"]\n"
		}, want: `f.toml:24: webhook "https://crm.example.com/x": unknown event "conversation.exploded"`},
		{name: "files size", edit: func(s string) string { return s + "[files]\nmax_size = \"big\"\n" }, want: `f.toml:22: files.max_size: "big" is not a size`},
		{name: "unknown strategy", edit: func(s string) string {
			return strings.Replace(s, "skills = { billing = 3 }", "skills = { billing = 3 }\nstrategy = \"ring-some\"", 1)
		}, want: `f.toml:13: queue "billing": unknown strategy "ring-some"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			if tc.edit != nil {
				s = tc.edit(s)
			}
			_, err := config.Parse("f.toml", []byte(s), env(tc.env))
			if tc.want == "" {
				if err != nil && !(tc.env == nil && strings.Contains(err.Error(), "secret")) {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestTexts loads overrides inline and from a translation file, nested
// tables and quoted dotted keys alike, and translates the dialog.
func TestTexts(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "de.toml"), []byte("[texts.de]\nrating_thanks = \"Danke für Ihre Bewertung!\"\nminutes = { one = \"eine Minute\", other = \"{n} Minuten\" }\n\n[texts.de.dialog.main.start]\nsay = \"Hallo\"\n"), 0o600)
	bad := base + "[texts]\nfiles = [\"de.toml\"]\n\n[texts.de]\ngoodbye = \"Auf Wiedersehen.\"\n"
	c, err := config.Parse(filepath.Join(dir, "f.toml"), []byte(bad), env(map[string]string{"SWITCHBOARD_SECRET": "x"}))
	if err != nil {
		t.Fatal(err)
	}
	de, ok := c.Texts.Match("de-AT")
	if !ok || de.Get("rating_thanks", nil) != "Danke für Ihre Bewertung!" || de.Get("goodbye", nil) != "Auf Wiedersehen." || de.Duration(time.Minute, math.Round) != "eine Minute" {
		t.Fatalf("de: %v %q %q", ok, de.Get("rating_thanks", nil), de.Get("goodbye", nil))
	}
	if d := c.Dialog("main", de); d.Nodes["start"].Say != "Hallo" || c.Dialogs["main"].Nodes["start"].Say != "Hi" {
		t.Fatalf("dialog: %q", d.Nodes["start"].Say)
	}
	os.WriteFile(filepath.Join(dir, "de.toml"), []byte("[texts.de]\nrating_thanks = \"Danke {name}\"\n"), 0o600)
	_, err = config.Parse(filepath.Join(dir, "f.toml"), []byte(bad), env(map[string]string{"SWITCHBOARD_SECRET": "x"}))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "de.toml")+":2: texts.de: rating_thanks: {name}: this text has no placeholders") {
		t.Fatalf("error in a texts file: %v", err)
	}
}

func TestSecretFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/secret", []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(base, "[xmpp]\n", "[xmpp]\nsecret_file = \"secret\"\n", 1)
	c, err := config.Parse(dir+"/c.toml", []byte(s), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.XMPP.Secret != "from-file" {
		t.Fatalf("secret = %q", c.XMPP.Secret)
	}
}

func TestSecretFileMustBeSmallAndRegular(t *testing.T) {
	for _, p := range []string{"/dev/zero", "/dev/stdin", "/"} {
		s := strings.Replace(base, "[xmpp]\n", "[xmpp]\nsecret_file = \""+p+"\"\n", 1)
		_, err := config.Parse("f.toml", []byte(s), env(nil))
		if err == nil || !strings.Contains(err.Error(), "f.toml:2: xmpp.secret_file:") {
			t.Errorf("%s: err = %v", p, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(base))
	if b, err := os.ReadFile("../../cmd/switchboard/switchboard.example.toml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[[agent]]\njid = 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := config.Parse("fuzz.toml", data, env(map[string]string{"SWITCHBOARD_SECRET": "x"}))
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.toml") {
			t.Fatalf("error without file name: %v", err)
		}
	})
}

// The sample configurations in testdata/config: the good ones load, and
// each broken one says exactly what its .err file holds.
func TestSamples(t *testing.T) {
	files, err := filepath.Glob("../../testdata/config/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, rerr := os.ReadFile(strings.TrimSuffix(f, ".toml") + ".err")
			vars := map[string]string{}
			if rerr != nil {
				vars["SWITCHBOARD_SECRET"] = "x"
			}
			_, err = config.Parse(f, data, env(vars))
			if err != nil {
				err = errors.New(strings.ReplaceAll(err.Error(), f, filepath.Base(f)))
			}
			switch {
			case rerr != nil && err != nil:
				t.Fatalf("a good sample is refused:\n%v", err)
			case rerr == nil && err == nil:
				t.Fatal("a broken sample is accepted")
			case rerr == nil && err.Error() != strings.TrimSpace(string(want)):
				t.Fatalf("errors:\n%v\nwant:\n%s", err, want)
			}
		})
	}
}

// TestGermanCatalog holds the example German catalog complete: every
// text of the desk has a German one.
func TestGermanCatalog(t *testing.T) {
	c, err := config.Parse("../../testdata/config/german.toml", mustRead(t, "../../testdata/config/german.toml"), env(map[string]string{"SWITCHBOARD_SECRET": "x"}))
	if err != nil {
		t.Fatal(err)
	}
	de, ok := c.Texts.Match("de")
	if !ok {
		t.Fatal("no German texts")
	}
	for _, info := range texts.All() {
		if !de.Has(info.Key) {
			t.Errorf("%s has no German text", info.Key)
		}
	}
	if d := c.Dialog("main", de); d.Nodes["start"].Options[0].Label != "Frage zur Rechnung" || d.Nodes["order"].Hint != "Eine Bestellnummer hat sechs Ziffern." {
		t.Fatalf("dialog %+v", d.Nodes["start"])
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
