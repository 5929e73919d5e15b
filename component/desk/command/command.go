package command

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"switchboard/component/texts"
)

// Command is one entry of a table; X is what its Run is handed (the
// desk's context of the call).
type Command[X any] struct {
	Name  string
	Usage string
	Help  texts.Key // what it does, for the help listing
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

// Text names who may run a command.
func (w Who) Text() texts.Key {
	switch w {
	case Assigned:
		return texts.WhoAssigned
	case Admins:
		return texts.WhoAdmins
	case Supervisors:
		return texts.WhoSupervisors
	}
	return texts.WhoAnyone
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

// Help lists a table's commands in l, each name after prefix.
func Help[X any](table []Command[X], prefix string, l *texts.Lang) string {
	var b strings.Builder
	b.WriteString(l.Get(texts.HelpHeader, nil))
	for _, c := range table {
		b.WriteString("\n" + prefix + c.Name)
		if c.Usage != "" {
			b.WriteString(" " + c.Usage)
		}
		b.WriteString(" — " + l.Get(c.Help, nil))
		if c.Who != Anyone {
			b.WriteString(" (" + l.Get(c.Who.Text(), nil) + ")")
		}
	}
	return b.String()
}

// Describe says in l what is wrong with a name Lookup did not take.
func Describe(err error, l *texts.Lang) string {
	var unknown *UnknownError
	var ambiguous *AmbiguousError
	switch {
	case errors.As(err, &unknown):
		return l.Get(texts.CommandUnknown, texts.A{"name": unknown.Name})
	case errors.As(err, &ambiguous):
		return l.Get(texts.CommandAmbiguous, texts.A{"name": ambiguous.Name, "names": strings.Join(ambiguous.Names, l.Get(texts.CommandOr, nil))})
	}
	return l.Get(texts.CommandNone, nil)
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
