package desk

import (
	"fmt"
	"strings"
	"unicode"
)

// command is one entry of a command table: the room's /commands and the
// agents' chat commands are both tables, and /help is generated from them.
type command struct {
	name  string
	usage string
	help  string
	who   who
	run   func(d *Desk, x cmdCtx, args string) string
}

// who may run a command.
type who int

const (
	anyAgent    who = iota // every agent (and desk admin)
	assigned               // the conversation's agent, or a desk admin
	admins                 // desk admins only
	supervisors            // supervisors and desk admins
)

func (w who) String() string {
	switch w {
	case assigned:
		return "the assigned agent or an admin"
	case admins:
		return "admins"
	case supervisors:
		return "supervisors"
	}
	return "any agent"
}

// cmdCtx is who runs a command, and in which conversation's room.
type cmdCtx struct {
	jid string // the agent's bare JID
	c   *conv  // nil outside a room
}

// splitCommand splits "name rest of line" into the lower-cased name and
// the trimmed arguments.
func splitCommand(s string) (name, args string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return strings.ToLower(s), ""
	}
	return strings.ToLower(s[:i]), strings.TrimSpace(s[i:])
}

// lookup finds a command by name or by an unambiguous prefix of its name.
func lookup(table []command, name string) (*command, error) {
	if name == "" {
		return nil, fmt.Errorf("no command given")
	}
	var found []*command
	for i := range table {
		if table[i].name == name {
			return &table[i], nil
		}
		if strings.HasPrefix(table[i].name, name) {
			found = append(found, &table[i])
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("unknown command %q", truncate(name, 32))
	}
	names := make([]string, len(found))
	for i, c := range found {
		names[i] = c.name
	}
	return nil, fmt.Errorf("%q could be %s", name, strings.Join(names, " or "))
}

// helpText lists a table's commands.
func helpText(table []command, prefix string) string {
	var b strings.Builder
	b.WriteString("Commands:")
	for _, c := range table {
		b.WriteString("\n" + prefix + c.name)
		if c.usage != "" {
			b.WriteString(" " + c.usage)
		}
		b.WriteString(" — " + c.help)
		if c.who != anyAgent {
			b.WriteString(" (" + c.who.String() + ")")
		}
	}
	return b.String()
}
