package texts

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"switchboard/component/reply"
)

// Key names a text of the catalog.
type Key string

// Value is one text: a sentence, or for a text that counts something
// ({n}) its plural forms, Other being the one every language has.
type Value struct {
	Other string
	One   string
	Two   string
	Few   string
	Many  string
	Zero  string
}

// FormNames are the names of plural forms, CLDR's categories.
var FormNames = []string{"zero", "one", "two", "few", "many", "other"}

// fields are a value's forms in the order of FormNames.
func (v *Value) fields() []*string {
	return []*string{&v.Zero, &v.One, &v.Two, &v.Few, &v.Many, &v.Other}
}

// Forms lists a value's forms by name, those that are set.
func (v Value) Forms() map[string]string {
	out := map[string]string{}
	for i, f := range v.fields() {
		if *f != "" {
			out[FormNames[i]] = *f
		}
	}
	return out
}

// ValueOf makes a value of forms by name (FormNames); it reports false
// for a name that is none of them.
func ValueOf(forms map[string]string) (Value, bool) {
	var v Value
	fields := v.fields()
	for name, s := range forms {
		i := slices.Index(FormNames, name)
		if i < 0 {
			return Value{}, false
		}
		*fields[i] = s
	}
	return v, true
}

// Plural reports whether the value has forms besides Other.
func (v Value) Plural() bool { return len(v.Forms()) > 1 }

// entry is one text of the catalog as the code declares it.
type entry struct {
	key          Key
	group        string
	value        Value
	placeholders []string
}

var (
	registry = map[Key]*entry{}
	order    []Key
)

// def declares a text with its English default; group is where
// `switchboard texts` lists it.
func def(group string, key Key, text string) Key { return defValue(group, key, Value{Other: text}) }

// defPlural declares a text that counts {n}, with its English forms.
func defPlural(group string, key Key, one, other string) Key {
	return defValue(group, key, Value{One: one, Other: other})
}

func defValue(group string, key Key, v Value) Key {
	if _, dup := registry[key]; dup {
		panic("texts: " + string(key) + " declared twice")
	}
	var names []string
	for _, s := range v.Forms() {
		ph, err := reply.Placeholders(s)
		if err != nil {
			panic(fmt.Sprintf("texts: %s: %v", key, err))
		}
		for _, p := range ph {
			if !slices.Contains(names, p) {
				names = append(names, p)
			}
		}
	}
	slices.Sort(names)
	registry[key] = &entry{key: key, group: group, value: v, placeholders: names}
	order = append(order, key)
	return key
}

// Info describes one text of the catalog.
type Info struct {
	Key          Key
	Group        string
	English      Value
	Placeholders []string
}

// groups is the order All lists the groups in.
var groups = []string{customer, room, agent, "dates"}

// All lists every text of the catalog: what customers read, then rooms,
// agents, dates; each group in the order the code declares it.
func All() []Info {
	out := make([]Info, 0, len(order))
	for _, g := range groups {
		for _, k := range order {
			if e := registry[k]; e.group == g {
				out = append(out, Info{Key: k, Group: e.group, English: e.value, Placeholders: e.placeholders})
			}
		}
	}
	return out
}

// Lookup describes the text key, if the catalog has one.
func Lookup(key Key) (Info, bool) {
	e, ok := registry[key]
	if !ok {
		return Info{}, false
	}
	return Info{Key: key, Group: e.group, English: e.value, Placeholders: e.placeholders}, true
}

// Catalog is the texts of every language the desk speaks: English, and
// the languages the config overrides texts for.
type Catalog struct {
	langs   map[string]*Lang
	tags    []language.Tag
	matcher language.Matcher
}

// Lang is the catalog of one language.
type Lang struct {
	tag  language.Tag
	name string
	over map[Key]Value
}

// English is the catalog's defaults.
var English = &Lang{tag: language.English, name: "en", over: map[Key]Value{}}

// New makes a catalog from per-language overrides (by BCP 47 tag), which
// Check has accepted.
func New(overrides map[string]map[Key]Value) *Catalog {
	en := &Lang{tag: language.English, name: "en", over: map[Key]Value{}}
	c := &Catalog{langs: map[string]*Lang{"en": en}, tags: []language.Tag{language.English}}
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		tag, err := language.Parse(name)
		if err != nil {
			continue
		}
		l := c.langs[tag.String()]
		if l == nil {
			l = &Lang{tag: tag, name: tag.String(), over: map[Key]Value{}}
			c.langs[l.name] = l
			c.tags = append(c.tags, tag)
		}
		for k, v := range overrides[name] {
			l.over[k] = v
		}
	}
	c.matcher = language.NewMatcher(c.tags)
	return c
}

// Languages lists the catalog's languages, English first.
func (c *Catalog) Languages() []string {
	out := make([]string, len(c.tags))
	for i, t := range c.tags {
		out[i] = t.String()
	}
	return out
}

// Match returns the catalog closest to tag (a BCP 47 tag: "de-AT" reads
// "de"), and whether there is one: a malformed tag, or one no catalog is
// close to, has none.
func (c *Catalog) Match(tag string) (*Lang, bool) {
	if c == nil {
		return English, tag == "" || strings.HasPrefix(tag, "en")
	}
	t, err := language.Parse(strings.TrimSpace(tag))
	if err != nil || tag == "" {
		return English, false
	}
	_, i, conf := c.matcher.Match(t)
	if conf == language.No {
		return English, false
	}
	return c.langs[c.tags[i].String()], true
}

// For returns the catalog for a customer of language tag, else that of
// fallback (an entry point's language), else English.
func (c *Catalog) For(tag, fallback string) *Lang {
	if l, ok := c.Match(tag); ok {
		return l
	}
	if l, ok := c.Match(fallback); ok {
		return l
	}
	return English
}

// Name is the language's tag, "de".
func (l *Lang) Name() string { return l.name }

// A are a text's placeholder values; "n" is the count a plural text's
// form is chosen by.
type A map[string]any

// Get renders text key with args. A text the language does not override
// is English; a placeholder without a value stays as it is, braces and
// all (a test of the code's, not the customer's, to catch).
func (l *Lang) Get(key Key, args A) string {
	e, ok := registry[key]
	if !ok {
		return string(key)
	}
	v, ok := l.over[key]
	if !ok {
		v = e.value
	}
	s := l.form(v, args)
	vars := make(map[string]string, len(args))
	for k, a := range args {
		vars[k] = fmt.Sprint(a)
	}
	out, err := reply.Fill(s, vars)
	if err != nil {
		return s
	}
	return out
}

// Has reports whether the language overrides key.
func (l *Lang) Has(key Key) bool {
	_, ok := l.over[key]
	return ok
}

// Override returns the language's own text for key, if it has one.
func (l *Lang) Override(key Key) (Value, bool) {
	v, ok := l.over[key]
	return v, ok
}

// form picks the plural form of v for args["n"].
func (l *Lang) form(v Value, args A) string {
	n, ok := args["n"].(int)
	if !ok || !v.Plural() {
		return v.Other
	}
	if n < 0 {
		n = -n
	}
	var s string
	switch plural.Cardinal.MatchPlural(l.tag, n, 0, 0, 0, 0) {
	case plural.Zero:
		s = v.Zero
	case plural.One:
		s = v.One
	case plural.Two:
		s = v.Two
	case plural.Few:
		s = v.Few
	case plural.Many:
		s = v.Many
	}
	if s == "" {
		s = v.Other
	}
	return s
}
