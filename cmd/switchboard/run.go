package main

import (
	"context"
	"flag"
	"io"
	"runtime/debug"

	"switchboard/component"
)

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return component.Version
}

func cmdRun(ctx context.Context, args []string, stderr io.Writer, reload <-chan struct{}) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "switchboard.toml", "configuration file")
	var lf logFlags
	lf.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return err
	}
	log := lf.logger(stderr)
	return component.Serve(ctx, cfg, component.ServeOptions{Logger: log, XMLLog: lf.xmlLog(log), Reload: reload})
}
