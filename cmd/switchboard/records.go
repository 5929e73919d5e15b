package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"switchboard/component/api"
	"switchboard/store"
)

// records reads conversations for the CLI: through the running daemon's
// HTTP API, or from the store file itself when no daemon runs.
type records struct {
	base  string // http://host:port
	token string
	path  string // the store file
}

func openRecords(configFile string, stderr io.Writer) (*records, error) {
	cfg, err := loadConfig(configFile, stderr)
	if err != nil {
		return nil, err
	}
	host, port, _ := net.SplitHostPort(cfg.HTTP.Listen)
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return &records{base: "http://" + net.JoinHostPort(host, port), token: cfg.HTTP.APIToken, path: cfg.Store.Path}, nil
}

var client = &http.Client{Timeout: 30 * time.Second}

// get fetches path from the API into v (or w for raw bodies). It returns
// errNoDaemon when nothing listens.
func (r *records) get(ctx context.Context, path string, v any, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, "GET", r.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			return errNoDaemon
		}
		return fmt.Errorf("API %s: %w", r.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e api.APIError
		json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e)
		if e.Error == "" {
			e.Error = resp.Status
		}
		return fmt.Errorf("API: %s", e.Error)
	}
	if w != nil {
		_, err = io.Copy(w, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

var errNoDaemon = errors.New("no daemon answers")

// view runs fn over the store file, read-only, when no daemon runs.
func (r *records) view(fn func(*store.Store) error) error {
	st, err := store.Open(r.path, store.Options{ReadOnly: true, LockTimeout: 500 * time.Millisecond})
	if errors.Is(err, store.ErrUnapplied) {
		// The desk stopped before the file took its last writes: opening
		// it for writing once applies the log, as the desk would.
		if st, err = store.Open(r.path, store.Options{LockTimeout: 500 * time.Millisecond}); err == nil {
			err = st.Close()
		}
		if err == nil {
			st, err = store.Open(r.path, store.Options{ReadOnly: true, LockTimeout: 500 * time.Millisecond})
		}
	}
	if err != nil {
		return fmt.Errorf("%w (and the API at %s does not answer)", err, r.base)
	}
	defer st.Close()
	return fn(st)
}

func (r *records) list(ctx context.Context, q url.Values) (api.ListPage, error) {
	var page api.ListPage
	f, before, limit, err := api.ParseListQuery(q)
	if err != nil {
		return page, err
	}
	err = r.get(ctx, "/api/v1/conversations?"+q.Encode(), &page, nil)
	if !errors.Is(err, errNoDaemon) {
		return page, err
	}
	err = r.view(func(st *store.Store) error {
		return st.View(func(tx *store.Tx) (err error) {
			page, err = api.ListConversations(tx, f, before, limit)
			return err
		})
	})
	return page, err
}

func (r *records) show(ctx context.Context, id uint64) (api.ConversationView, error) {
	var v api.ConversationView
	err := r.get(ctx, fmt.Sprintf("/api/v1/conversations/%d", id), &v, nil)
	if !errors.Is(err, errNoDaemon) {
		return v, err
	}
	err = r.view(func(st *store.Store) error {
		return st.View(func(tx *store.Tx) (err error) {
			v, err = api.ReadConversation(tx, id)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no conversation %d", id)
			}
			return err
		})
	})
	return v, err
}

// export writes a consistent copy of the store to out: it is written to
// a temporary file next to out, checked, and renamed into place.
func (r *records) export(ctx context.Context, out string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".switchboard-export-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	err = r.get(ctx, "/api/v1/export", nil, tmp)
	if errors.Is(err, errNoDaemon) {
		err = r.view(func(st *store.Store) error {
			_, err := st.WriteTo(tmp)
			return err
		})
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	// A copy that does not open is no backup.
	check, err := store.Open(tmp.Name(), store.Options{ReadOnly: true})
	if err != nil {
		return 0, fmt.Errorf("the exported copy does not open: %w", err)
	}
	check.Close()
	fi, err := os.Stat(tmp.Name())
	if err != nil {
		return 0, err
	}
	return fi.Size(), os.Rename(tmp.Name(), out)
}

// parseWithArgs parses flags that may come before or after positional
// arguments ("show 12 -json" as well as "show -json 12").
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

const configHelp = "the config file (its http and store sections say where the records are)"

func cmdConversations(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		args = []string{"list"}
	}
	switch args[0] {
	case "list":
		return cmdList(ctx, args[1:], stdout, stderr)
	case "show":
		return cmdShow(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "switchboard conversations: unknown subcommand %q (list, show)\n", args[0])
	return exitError(2)
}

func cmdList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("conversations list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgFile := fs.String("config", "switchboard.toml", configHelp)
	asJSON := fs.Bool("json", false, "print JSON")
	q := url.Values{}
	for _, name := range []string{"status", "queue", "agent", "customer", "limit", "before"} {
		fs.Func(name, "filter or page by "+name, func(s string) error { q.Set(name, s); return nil })
	}
	if _, err := parseWithArgs(fs, args); err != nil {
		return exitError(2)
	}
	r, err := openRecords(*cfgFile, stderr)
	if err != nil {
		return err
	}
	page, err := r.list(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, page)
	}
	printList(stdout, page)
	return nil
}

func cmdShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("conversations show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgFile := fs.String("config", "switchboard.toml", configHelp)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return exitError(2)
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: switchboard conversations show [-config FILE] [-json] ID")
		return exitError(2)
	}
	r, err := openRecords(*cfgFile, stderr)
	if err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	v, err := r.show(ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, v)
	}
	printConversation(stdout, v, time.Local)
	return nil
}

// parseID accepts "12" and "case-12".
func parseID(s string) (uint64, error) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < '0' || s[i] > '9' {
			s = s[i+1:]
			break
		}
	}
	var id uint64
	if _, err := fmt.Sscan(s, &id); err != nil || id == 0 {
		return 0, fmt.Errorf("%q is not a conversation id", s)
	}
	return id, nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgFile := fs.String("config", "switchboard.toml", configHelp)
	out := fs.String("o", "", "where to write the copy (required)")
	if _, err := parseWithArgs(fs, args); err != nil {
		return exitError(2)
	}
	if *out == "" {
		fmt.Fprintln(stderr, "usage: switchboard export [-config FILE] -o FILE")
		return exitError(2)
	}
	r, err := openRecords(*cfgFile, stderr)
	if err != nil {
		return err
	}
	n, err := r.export(ctx, *out)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes), a consistent copy of %s\n", *out, n, r.path)
	return nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
