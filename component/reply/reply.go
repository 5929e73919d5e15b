// Package reply fills canned replies: texts with {name} placeholders, from
// the conversation and from the agent's command. A value goes in as it is
// and is never read for placeholders itself; "{{" and "}}" are literal
// braces.
package reply

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ValidName reports whether s may name a reply or a placeholder: lower
// case letters, digits, "-" and "_", 1 to 32 of them.
func ValidName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// MaxText bounds a reply's text, in bytes.
const MaxText = 4096

// Check says what is wrong with a reply named name holding text, if
// anything: for the configuration and the API alike.
func Check(name, text string) error {
	switch {
	case !ValidName(name):
		return fmt.Errorf("names are lower-case letters, digits, - and _, up to 32")
	case strings.TrimSpace(text) == "":
		return fmt.Errorf("the text is empty")
	case len(text) > MaxText:
		return fmt.Errorf("the text is %d bytes, over %d", len(text), MaxText)
	}
	_, err := Placeholders(text)
	return err
}

// Placeholders returns the names text uses, in order of first use, or
// what is wrong with it.
func Placeholders(text string) ([]string, error) {
	var names []string
	err := walk(text, func(lit string) {}, func(name string) {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	})
	return names, err
}

// Fill puts vars into text's placeholders. A placeholder without a value
// is an error naming every one missing: nothing half-filled is returned.
func Fill(text string, vars map[string]string) (string, error) {
	var b strings.Builder
	var missing []string
	err := walk(text, func(lit string) { b.WriteString(lit) }, func(name string) {
		v, ok := vars[name]
		if !ok {
			if !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
			return
		}
		b.WriteString(v)
	})
	if err != nil {
		return "", err
	}
	if len(missing) > 0 {
		return "", &MissingError{Names: missing}
	}
	return b.String(), nil
}

// MissingError names the placeholders Fill had no value for.
type MissingError struct{ Names []string }

func (e *MissingError) Error() string {
	return "no value for {" + strings.Join(e.Names, "}, {") + "}"
}

// walk calls lit for literal text and ph for each placeholder of text.
func walk(text string, lit func(string), ph func(string)) error {
	for len(text) > 0 {
		i := strings.IndexAny(text, "{}")
		if i < 0 {
			lit(text)
			return nil
		}
		lit(text[:i])
		c := text[i]
		text = text[i+1:]
		if strings.HasPrefix(text, string(c)) { // "{{" or "}}"
			lit(string(c))
			text = text[1:]
			continue
		}
		if c == '}' {
			return errors.New(`a "}" without its "{" (write "}}" for a brace)`)
		}
		end := strings.IndexByte(text, '}')
		if end < 0 {
			return errors.New(`a "{" without its "}" (write "{{" for a brace)`)
		}
		name := text[:end]
		if !ValidName(name) {
			return fmt.Errorf("placeholder {%s}: names are lower-case letters, digits, - and _", truncate(name, 32))
		}
		ph(name)
		text = text[end+1:]
	}
	return nil
}

// Args reads an agent's "name=value name2="two words"" into a map. A value
// may not hold braces: it would read as a placeholder to whoever sees the
// reply's text.
func Args(s string) (map[string]string, error) {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			word, _, _ := strings.Cut(s, " ")
			return nil, fmt.Errorf("%q: write name=value (quote a value with spaces: name=\"two words\")", truncate(word, 40))
		}
		name := s[:eq]
		if !ValidName(name) {
			return nil, fmt.Errorf("%q: names are lower-case letters, digits, - and _", truncate(name, 40))
		}
		s = s[eq+1:]
		var v string
		if strings.HasPrefix(s, `"`) {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("%s: the quote is not closed", name)
			}
			v, s = s[1:1+end], s[2+end:]
		} else {
			v, s, _ = strings.Cut(s, " ")
		}
		if strings.ContainsAny(v, "{}") {
			return nil, fmt.Errorf("%s: a value may not contain { or }", name)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s is given twice", name)
		}
		out[name] = v
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
