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
	return nil
}
