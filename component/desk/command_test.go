package desk

import (
	"strings"
	"testing"

	"switchboard/component/desk/command"
)

func FuzzAgentCommand(f *testing.F) {
	for _, s := range []string{"ready", "pause lunch break", "status", "queue", "p", "help"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		name, _ := command.Split(body)
		if cmd, err := command.Lookup(agentCommands, name); err == nil && !strings.HasPrefix(cmd.Name, name) {
			t.Fatalf("%q matched %q", name, cmd.Name)
		}
	})
}
