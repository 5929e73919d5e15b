package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"switchboard/store"
	"switchboard/store/backup"
)

// cmdRestore puts a backup in the store's place: refused while a desk
// runs on the store; the copy is checked first, in a process of its own
// (a database damaged in its pages can make bbolt panic); the database it
// replaces is kept beside it.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgFile := fs.String("config", "switchboard.toml", configHelp)
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return exitError(2)
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: switchboard restore [-config FILE] BACKUP")
		return exitError(2)
	}
	file := pos[0]
	cfg, err := loadConfig(*cfgFile, stderr)
	if err != nil {
		return err
	}
	if _, err := verifyApart(ctx, file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	sum, aside, err := backup.Restore(file, cfg.Store.Path)
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("restore: %s: %w", cfg.Store.Path, err)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s to %s: %d conversations (%d not ended), schema %d\n", file, cfg.Store.Path, sum.Conversations, sum.Active, sum.Schema)
	if aside != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", aside)
	}
	return nil
}

// verifyApart runs backup.Verify on file in a child process.
func verifyApart(ctx context.Context, file string) (store.Summary, error) {
	var sum store.Summary
	self, err := os.Executable()
	if err != nil {
		return sum, err
	}
	cmd := exec.CommandContext(ctx, self, "verify-store", file)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i] // a panic's first line says what bbolt found
		}
		msg = strings.TrimPrefix(msg, "switchboard: ")
		switch {
		case strings.HasPrefix(msg, "panic: "):
			msg = file + " is damaged: " + strings.TrimPrefix(msg, "panic: ")
		case strings.HasPrefix(msg, "unexpected fault address"), strings.HasPrefix(msg, "fatal error: "):
			// bbolt followed a damaged page out of its map.
			msg = file + " is damaged: reading it crashed the check (" + msg + ")"
		}
		if msg == "" {
			msg = err.Error()
		}
		return sum, errors.New(msg)
	}
	return sum, json.Unmarshal(out.Bytes(), &sum)
}

// cmdVerifyStore is the child of verifyApart: it prints the summary as
// JSON, or fails.
func cmdVerifyStore(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: switchboard verify-store FILE")
	}
	sum, err := backup.Verify(args[0])
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(sum)
}
