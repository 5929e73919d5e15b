package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[xmpp]\naddress = \"127.0.0.1:5347\"\nsecert = \"x\"\n\n[desk]\nreopen_window = \"soon\"\n"), 0o600)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr []string
	}{
		{name: "example", args: []string{"check", "-config", "switchboard.example.toml"}, stdout: "switchboard.example.toml: ok"},
		{name: "unknown key", args: []string{"check", "-config", bad}, code: 1, stderr: []string{bad + `:3: unknown key "xmpp.secert"`}},
		{name: "missing file", args: []string{"check", "-config", filepath.Join(dir, "nope.toml")}, code: 1, stderr: []string{"no such file"}},
		{name: "no command", args: nil, code: 2, stderr: []string{"Usage:"}},
		{name: "unknown command", args: []string{"frob"}, code: 2, stderr: []string{`unknown command "frob"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errb, nil)
			code := 0
			var ex exitError
			if errors.As(err, &ex) {
				code = int(ex)
			} else if err != nil {
				code = 1
				errb.WriteString(err.Error())
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errb.String())
			}
			if !strings.Contains(out.String(), tc.stdout) {
				t.Errorf("stdout %q lacks %q", out.String(), tc.stdout)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(errb.String(), s) {
					t.Errorf("stderr %q lacks %q", errb.String(), s)
				}
			}
		})
	}
	// Both errors of the broken file are reported, each with its line.
	var out, errb bytes.Buffer
	run(context.Background(), []string{"check", "-config", bad}, &out, &errb, nil)
	if !strings.Contains(errb.String(), bad+":6: desk.reopen_window: bad duration") {
		t.Errorf("stderr %q lacks the duration error", errb.String())
	}
}
