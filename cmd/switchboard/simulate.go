package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"switchboard/component/channel"
	"switchboard/component/channel/hook"
	"switchboard/component/channel/twilio/twiliofake"
	"switchboard/component/config"
)

const simulateUsage = `usage: switchboard simulate sms|voicemail|hook [-config FILE] [-channel NAME] [-from ADDR] [-url URL] [flags] TEXT

Posts to the desk what the channel's provider would, signed with the
channel's secret: an SMS, a voicemail (the call, its recording and its
transcript), or a hook message. For the demo and for smoke tests.
`

// cmdSimulate signs and posts a channel's request as its provider would.
func cmdSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "sms" && args[0] != "voicemail" && args[0] != "hook") {
		fmt.Fprint(stderr, simulateUsage)
		return exitError(2)
	}
	what := args[0]
	fs := flag.NewFlagSet("simulate "+what, flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "switchboard.toml", "configuration file")
	name := fs.String("channel", "", "the [[channel]] (default: the first of its kind)")
	from := fs.String("from", "", "the sender: a phone number in E.164 (sms, voicemail), a sender id (hook)")
	base := fs.String("url", "", "where the desk listens (default: http:// and http.listen)")
	id := fs.String("id", "", "the provider's id of the message (default: a new one; give one twice to see a duplicate)")
	secs := fs.Int("seconds", 12, "voicemail: the recording's length")
	file := fs.String("file", "", "hook: a file to attach")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError(2)
	}
	text := strings.Join(fs.Args(), " ")
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	kind := "twilio"
	if what == "hook" {
		kind = "hook"
	}
	ch, err := simulatedChannel(cfg, *name, kind)
	if err != nil {
		fmt.Fprintln(stderr, "switchboard simulate:", err)
		return exitError(2)
	}
	target := *base
	if target == "" {
		target = "http://" + cfg.HTTP.Listen
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if what == "hook" {
		return simulateHook(ctx, ch, target, *from, *id, text, *file, stdout)
	}
	number, ok := channel.Phone(*from)
	if !ok {
		fmt.Fprintf(stderr, "switchboard simulate: -from %q is not a phone number with its country code (+49301234567)\n", *from)
		return exitError(2)
	}
	if what == "sms" && text == "" {
		fmt.Fprintln(stderr, "switchboard simulate sms: the message's TEXT is missing")
		return exitError(2)
	}
	c := &twiliofake.Caller{PublicURL: ch.PublicURL, Target: target, Channel: ch.Name, AccountSID: ch.AccountSID, AuthToken: ch.AuthToken, Number: ch.Number}
	if what == "sms" {
		sid := *id
		if sid == "" {
			sid = twiliofake.SID("SM")
		}
		a, err := c.SMS(ctx, sid, number, text)
		return said(stdout, "SMS "+sid+" from "+number, a, err)
	}
	call, rec := twiliofake.SID("CA"), *id
	if rec == "" {
		rec = twiliofake.SID("RE")
	}
	a, err := c.Call(ctx, call, number)
	if err := said(stdout, "call "+call+" from "+number, a, err); err != nil {
		return err
	}
	a, err = c.Recording(ctx, call, rec, number, twiliofake.RecordingURL(ch.APIURL, ch.AccountSID, rec), *secs)
	if err := said(stdout, "recording "+rec, a, err); err != nil {
		return err
	}
	if text == "" {
		return nil
	}
	tr := twiliofake.SID("TR")
	a, err = c.Transcription(ctx, call, rec, tr, number, text)
	return said(stdout, "transcription "+tr, a, err)
}

// simulatedChannel is the channel named, or the first of kind.
func simulatedChannel(cfg *config.Config, name, kind string) (config.Channel, error) {
	for _, ch := range cfg.Channels {
		if (name == "" || ch.Name == name) && ch.Kind == kind {
			return ch, nil
		}
	}
	if name != "" {
		return config.Channel{}, fmt.Errorf("%s: no [[channel]] %q of kind %s", cfg.File, name, kind)
	}
	return config.Channel{}, fmt.Errorf("%s: no [[channel]] of kind %s", cfg.File, kind)
}

// simulateHook posts a signed JSON message to a hook channel.
func simulateHook(ctx context.Context, ch config.Channel, target, from, id, text, file string, stdout io.Writer) error {
	if from == "" {
		from = "simulated"
	}
	msg := hook.Payload{From: hook.Sender{ID: from}, Text: text}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		msg.Attachments = []hook.Attachment{{Data: base64.StdEncoding.EncodeToString(data), Name: filepath.Base(file)}}
	}
	body, _ := json.Marshal(msg)
	if id == "" {
		id = twiliofake.SID("msg_")
	}
	req, err := hook.NewRequest(ctx, strings.TrimRight(target, "/")+"/hooks/"+ch.Name, ch.Secrets[0], id, time.Now(), body)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return said(stdout, "hook "+id, twiliofake.Answer{}, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return said(stdout, "hook "+id+" from "+from, twiliofake.Answer{Status: resp.StatusCode, Body: string(b)}, nil)
}

// said prints how the desk answered what, and fails on anything but a
// 2xx.
func said(w io.Writer, what string, a twiliofake.Answer, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w (is the desk running?)", what, err)
	}
	body := strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(a.Body), `<?xml version="1.0" encoding="UTF-8"?>`)), " ")
	fmt.Fprintf(w, "%s: %d %s\n", what, a.Status, body)
	if a.Status/100 != 2 {
		return exitError(1)
	}
	return nil
}
