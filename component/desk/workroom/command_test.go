package workroom

import (
	"strings"
	"testing"

	"switchboard/component/desk/command"
	"switchboard/component/texts"
)

func TestHelpListsEveryCommand(t *testing.T) {
	h := command.Help(roomCommands, "/", texts.English)
	for _, c := range roomCommands {
		if !strings.Contains(h, "/"+c.Name) {
			t.Errorf("help lacks /%s", c.Name)
		}
	}
}

func FuzzRoomCommand(f *testing.F) {
	for _, s := range []string{"/close done", "/note x", "/st", "/", "/ß", "/status  open", "/\x00", "/help me"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		name, args := command.Split(strings.TrimPrefix(body, "/"))
		cmd, err := command.Lookup(roomCommands, name)
		if err == nil && !strings.HasPrefix(cmd.Name, name) {
			t.Fatalf("%q matched %q", name, cmd.Name)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Fatalf("error too long: %d", len(err.Error()))
		}
		if strings.TrimSpace(args) != args {
			t.Fatalf("args not trimmed: %q", args)
		}
	})
}
