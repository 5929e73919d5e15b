package command_test

import (
	"strings"
	"testing"

	"switchboard/component/desk/command"
	"switchboard/component/texts"
)

var table = []command.Command[int]{{Name: "note"}, {Name: "status"}, {Name: "todo"}, {Name: "todos"}, {Name: "tag"}, {Name: "close", Help: texts.HelpClose, Who: command.Assigned}}

func TestSplitAndLookup(t *testing.T) {
	tests := []struct {
		in, name, args, err string
	}{
		{in: "close", name: "close"},
		{in: "  CLOSE   refund issued  ", name: "close", args: "refund issued"},
		{in: "clo done", name: "close", args: "done"},
		{in: "n hello there", name: "note", args: "hello there"},
		{in: "st", name: "status"},
		{in: "", err: "no command given"},
		{in: "frobnicate", err: `unknown command "frobnicate"`},
		{in: "status\tpending", name: "status", args: "pending"},
	}
	for _, tc := range tests {
		name, args := command.Split(tc.in)
		cmd, err := command.Lookup(table, name)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || cmd.Name != tc.name || args != tc.args {
			t.Errorf("%q: got %v %q %v, want %q %q", tc.in, cmd, args, err, tc.name, tc.args)
		}
	}
}

func TestAmbiguousPrefix(t *testing.T) {
	if _, err := command.Lookup(table, "t"); err == nil || !strings.Contains(err.Error(), "could be todo or todos or tag") {
		t.Fatalf("err = %v", err)
	}
	if c, err := command.Lookup(table, "todo"); err != nil || c.Name != "todo" {
		t.Fatalf("exact match lost to prefix: %v %v", c, err)
	}
}

func TestHelp(t *testing.T) {
	h := command.Help(table, "/", texts.English)
	for _, c := range table {
		if !strings.Contains(h, "/"+c.Name) {
			t.Errorf("help lacks /%s", c.Name)
		}
	}
	if !strings.Contains(h, "/close — close the conversation and tell the customer (the assigned agent or an admin)") {
		t.Errorf("help does not say who may close:\n%s", h)
	}
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{"close done", "note x", "st", "", "ß", "status  open", "\x00", "help me"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		name, args := command.Split(body)
		cmd, err := command.Lookup(table, name)
		if err == nil && !strings.HasPrefix(cmd.Name, name) {
			t.Fatalf("%q matched %q", name, cmd.Name)
		}
		if err != nil && len(command.Describe(err, texts.English)) > 200 {
			t.Fatalf("error too long: %d", len(err.Error()))
		}
		if strings.TrimSpace(args) != args {
			t.Fatalf("args not trimmed: %q", args)
		}
	})
}
