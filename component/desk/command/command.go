package command

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Command is one entry of a table; X is what its Run is handed (the
// desk's context of the call).
type Command[X any] struct {
	Name  string
	Usage string
	Help  string
	Who   Who
	Run   func(x X, args string) string
}

// Who may run a command.
type Who int

const (
	Anyone      Who = iota // every agent (and desk admin)
	Assigned               // the conversation's agent, or a desk admin
	Admins                 // desk admins only
	Supervisors            // supervisors and desk admins
)

func (w Who) String() string {
	switch w {
	case Assigned:
		return "the assigned agent or an admin"
	case Admins:
		return "admins"
	case Supervisors:
		return "supervisors"
	}
	return "any agent"
}

// Split splits "name rest of line" into the lower-cased name and the
// trimmed arguments.
func Split(s string) (name, args string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return strings.ToLower(s), ""
	}
	return strings.ToLower(s[:i]), strings.TrimSpace(s[i:])
}

// ErrNone is Lookup's error for an empty name.
var ErrNone = fmt.Errorf("no command given")

// UnknownError is Lookup's error for a name no command has.
type UnknownError struct{ Name string }

func (e *UnknownError) Error() string { return fmt.Sprintf("unknown command %q", e.Name) }

// AmbiguousError is Lookup's error for a prefix of several commands.
type AmbiguousError struct {
	Name  string
	Names []string
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%q could be %s", e.Name, strings.Join(e.Names, " or "))
}

// Lookup finds a command by name or by an unambiguous prefix of its name.
// The name in an error is cut to 32 bytes.
func Lookup[X any](table []Command[X], name string) (*Command[X], error) {
	if name == "" {
		return nil, ErrNone
	}
	var found []*Command[X]
	for i := range table {
		if table[i].Name == name {
			return &table[i], nil
		}
		if strings.HasPrefix(table[i].Name, name) {
			found = append(found, &table[i])
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, &UnknownError{Name: Truncate(name, 32)}
	}
	names := make([]string, len(found))
	for i, c := range found {
		names[i] = c.Name
	}
	return nil, &AmbiguousError{Name: name, Names: names}
}

// Help lists a table's commands, each name after prefix.
func Help[X any](table []Command[X], prefix string) string {
	var b strings.Builder
	b.WriteString("Commands:")
	for _, c := range table {
		b.WriteString("\n" + prefix + c.Name)
		if c.Usage != "" {
			b.WriteString(" " + c.Usage)
		}
		b.WriteString(" — " + c.Help)
		if c.Who != Anyone {
			b.WriteString(" (" + c.Who.String() + ")")
		}
	}
	return b.String()
}

// Truncate cuts s to at most n bytes on a rune boundary, with "…" when
// it cut.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
