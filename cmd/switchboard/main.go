package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `switchboard — a customer-service desk for any XMPP server

Usage:
  switchboard run -config FILE     run the desk (SIGHUP reloads FILE)
  switchboard dev                  run the desk with a throwaway Prosody (demo)
  switchboard check -config FILE   validate a configuration file
  switchboard texts [-lang LANG] [-config FILE]
                                   every text the desk writes, as a translation file for LANG
  switchboard conversations list [-status S] [-queue Q] [-agent JID] [-customer JID] [-limit N] [-before ID] [-json]
  switchboard conversations show [-json] ID
                                   read the records (from the running desk's API, or the store file)
  switchboard report [-from DAY] [-to DAY] [-by queue|agent|day] [-json]
                                   what happened to the conversations that ended (the last 7 days)
  switchboard simulate sms|voicemail|hook -from ADDR TEXT
                                   post what a channel's provider would, signed (-channel NAME)
  switchboard export -o FILE       a consistent copy of the store, while the desk runs or not
  switchboard restore BACKUP       put a backup in the store's place (the desk stopped; the old file is kept)
  switchboard version

conversations, report, export and restore take -config FILE too (default switchboard.toml).

Flags of run and dev: -v (debug log), -vv (also the XML stream).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// SIGHUP reloads the configuration (run); it never stops the desk.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default: // one is pending already
			}
		}
	}()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, reload); err != nil {
		var ex exitError
		if errors.As(err, &ex) {
			os.Exit(int(ex))
		}
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
}

// exitError is an exit status whose message was already printed.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer, reload <-chan struct{}) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError(2)
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stderr, reload)
	case "dev":
		return cmdDev(ctx, args[1:], stdout, stderr)
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "texts":
		return cmdTexts(args[1:], stdout, stderr)
	case "simulate":
		return cmdSimulate(ctx, args[1:], stdout, stderr)
	case "conversations":
		return cmdConversations(ctx, args[1:], stdout, stderr)
	case "report":
		return cmdReport(ctx, args[1:], stdout, stderr)
	case "export":
		return cmdExport(ctx, args[1:], stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args[1:], stdout, stderr)
	case "verify-store": // restore's child
		return cmdVerifyStore(args[1:], stdout)
	case "version":
		fmt.Fprintln(stdout, "switchboard", version())
		return nil
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "switchboard: unknown command %q\n\n%s", args[0], usage)
	return exitError(2)
}

// logFlags are the logging flags of run and dev.
type logFlags struct{ v, vv bool }

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&l.v, "v", false, "debug logging")
	fs.BoolVar(&l.vv, "vv", false, "debug logging and a copy of the XML stream")
}

func (l *logFlags) logger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if l.v || l.vv {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// xmlLog returns the stream logger for -vv, or nil.
func (l *logFlags) xmlLog(log *slog.Logger) func(bool, []byte) {
	if !l.vv {
		return nil
	}
	return func(in bool, b []byte) {
		dir := "SEND"
		if in {
			dir = "RECV"
		}
		log.Debug(dir, "xml", string(b))
	}
}
