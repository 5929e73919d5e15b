package desk

import (
	"strings"
	"testing"
)

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
		name, args := splitCommand(tc.in)
		cmd, err := lookup(roomCommands, name)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || cmd.name != tc.name || args != tc.args {
			t.Errorf("%q: got %v %q %v, want %q %q", tc.in, cmd, args, err, tc.name, tc.args)
		}
	}
}

func TestAmbiguousPrefix(t *testing.T) {
	table := []command{{name: "todo"}, {name: "todos"}, {name: "tag"}}
	if _, err := lookup(table, "t"); err == nil || !strings.Contains(err.Error(), "could be todo or todos or tag") {
		t.Fatalf("err = %v", err)
	}
	if c, err := lookup(table, "todo"); err != nil || c.name != "todo" {
		t.Fatalf("exact match lost to prefix: %v %v", c, err)
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	h := helpText(roomCommands, "/")
	for _, c := range roomCommands {
		if !strings.Contains(h, "/"+c.name) {
			t.Errorf("help lacks /%s", c.name)
		}
	}
}

func FuzzRoomCommand(f *testing.F) {
	for _, s := range []string{"/close done", "/note x", "/st", "/", "/ß", "/status  open", "/\x00", "/help me"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		name, args := splitCommand(strings.TrimPrefix(body, "/"))
		cmd, err := lookup(roomCommands, name)
		if err == nil && !strings.HasPrefix(cmd.name, name) {
			t.Fatalf("%q matched %q", name, cmd.name)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Fatalf("error too long: %d", len(err.Error()))
		}
		if strings.TrimSpace(args) != args {
			t.Fatalf("args not trimmed: %q", args)
		}
	})
}

func FuzzAgentCommand(f *testing.F) {
	for _, s := range []string{"ready", "pause lunch break", "status", "queue", "p", "help"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		name, _ := splitCommand(body)
		if cmd, err := lookup(agentCommands, name); err == nil && !strings.HasPrefix(cmd.name, name) {
			t.Fatalf("%q matched %q", name, cmd.name)
		}
	})
}

func FuzzSkills(f *testing.F) {
	for _, s := range []string{"billing=7, sales=4", "", "x", "=3", "a=b", "a=1,,b=2", "a=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		skills, err := parseSkills(s)
		if err == nil && skills == nil {
			t.Fatal("no error and no skills")
		}
	})
}
