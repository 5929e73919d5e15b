package texts

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"switchboard/component/reply"
)

// CheckLanguage says what is wrong with a language tag of the config.
func CheckLanguage(tag string) error {
	t, err := language.Parse(tag)
	if err != nil {
		return fmt.Errorf("%q is not a language tag (BCP 47, like de, fr or pt-BR)", tag)
	}
	if t.String() != tag && !strings.EqualFold(t.String(), tag) {
		return fmt.Errorf("%q is not a language tag in its usual form; write %q", tag, t.String())
	}
	return nil
}

// Check says what is wrong with v as key's text: a key the catalog does
// not have, an empty text or form, a placeholder the English text does
// not have, plural forms for a text that counts nothing.
func Check(key Key, v Value) error {
	e, ok := registry[key]
	if !ok {
		return fmt.Errorf("there is no text %q (switchboard texts lists them)", key)
	}
	forms := v.Forms()
	if len(forms) == 0 || v.Other == "" {
		if e.value.Plural() {
			return errors.New("the text is empty (a text that counts needs at least its \"other\" form)")
		}
		return errors.New("the text is empty")
	}
	if v.Plural() && !e.value.Plural() {
		return errors.New("this text counts nothing: give one text, not plural forms")
	}
	for _, name := range FormNames {
		s, set := forms[name]
		if !set {
			continue
		}
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("the %q form is empty", name)
		}
		ph, err := reply.Placeholders(s)
		if err != nil {
			return err
		}
		for _, p := range ph {
			if !slices.Contains(e.placeholders, p) {
				if len(e.placeholders) == 0 {
					return fmt.Errorf("{%s}: this text has no placeholders", p)
				}
				return fmt.Errorf("{%s}: this text's placeholders are {%s}", p, strings.Join(e.placeholders, "}, {"))
			}
		}
	}
	return nil
}

// Canonical returns tag (an xml:lang, a browser's language) in its usual
// form, "de-AT", and whether it is a language tag at all.
func Canonical(tag string) (string, bool) {
	tag = strings.TrimSpace(tag)
	if tag == "" || len(tag) > 35 {
		return "", false
	}
	t, err := language.Parse(tag)
	if err != nil || t == language.Und {
		return "", false
	}
	return t.String(), true
}
