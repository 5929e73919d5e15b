package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"switchboard/component/config"
)

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "switchboard.toml", "configuration file")
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	c, err := config.Load(*path)
	if err != nil {
		var es config.Errors
		if errors.As(err, &es) {
			for _, e := range es {
				fmt.Fprintln(stderr, e)
			}
		} else {
			fmt.Fprintln(stderr, err)
		}
		return exitError(1)
	}
	fmt.Fprintf(stdout, "%s: ok (%d entry points, %d queues, %d agents, %d dialogs)\n", *path, len(c.Entries), len(c.Queues), len(c.Agents), len(c.Dialogs))
	return nil
}
