package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"switchboard/component/config"
	"switchboard/component/texts"
)

// loadConfig loads a configuration, printing each problem as
// "file:line: message" and returning exit status 1 if there are any.
func loadConfig(path string, stderr io.Writer) (*config.Config, error) {
	c, err := config.Load(path)
	if err == nil {
		return c, nil
	}
	var es config.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			fmt.Fprintln(stderr, e)
		}
	} else {
		fmt.Fprintln(stderr, err)
	}
	return nil, exitError(1)
}

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "switchboard.toml", "configuration file")
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	c, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok (%d entry points, %d queues, %d agents, %d dialogs, %d replies, %d business hours)\n", *path, len(c.Entries), len(c.Queues), len(c.Agents), len(c.Dialogs), len(c.Replies), len(c.Hours))
	d := c.Desk
	fmt.Fprintf(stdout, "desk: customer_timeout %s, reopen_window %s, update_every %s, agent_grace %s, %d VIP patterns, %d supervisors\n",
		d.CustomerTimeout, d.ReopenWindow, d.UpdateEvery, d.AgentGrace, len(d.VIP), len(c.Supervisors()))
	var langs []string
	for _, name := range c.Texts.Languages() {
		l, _ := c.Texts.Match(name)
		n := 0
		for _, info := range texts.All() {
			if l.Has(info.Key) {
				n++
			}
		}
		langs = append(langs, fmt.Sprintf("%s (%d of %d texts its own)", name, n, len(texts.All())))
	}
	staff := d.Language
	if staff == "" {
		staff = "en"
	}
	fmt.Fprintf(stdout, "texts: %s; agents read %s\n", strings.Join(langs, ", "), staff)
	if len(c.Channels) > 0 || len(c.Webhooks) > 0 {
		fmt.Fprintf(stdout, "channels: %s; %d webhooks\n", channelsLine(c), len(c.Webhooks))
	}
	return nil
}

// channelsLine says, for each channel, where its provider posts and
// where its customers go: "sms (twilio +4930123456 at
// https://help.example.com/hooks/twilio/sms/sms, dialog of support)".
func channelsLine(c *config.Config) string {
	var out []string
	for _, ch := range c.Channels {
		to := "dialog of " + ch.Entry
		if ch.Queue != "" {
			to = "queue " + ch.Queue
		}
		switch ch.Kind {
		case "twilio":
			out = append(out, fmt.Sprintf("%s (twilio %s at %s/hooks/twilio/%s/sms and /voice, %s)", ch.Name, ch.Number, ch.PublicURL, ch.Name, to))
		default:
			answers := "no answers"
			if ch.ReplyURL != "" {
				answers = "answers to " + ch.ReplyURL
			}
			out = append(out, fmt.Sprintf("%s (hook at %s/hooks/%s, %s, %s)", ch.Name, c.HTTP.PublicURL, ch.Name, to, answers))
		}
	}
	return strings.Join(out, ", ")
}
