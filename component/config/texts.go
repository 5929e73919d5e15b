package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"switchboard/component/texts"
	"switchboard/routing/dialog"
)

// Texts and languages: [texts.LANG] overrides any text of the catalog
// (component/texts) for a language, and a dialog's prompts, labels,
// hints and keywords with keys "dialog.NAME.NODE.say", ".hint",
// ".option.KEY.label" and ".option.KEY.keywords"; [texts] files = [...]
// reads more of them, in the same form, from translation files.

// textSource is one file's [texts], with the lines of its keys.
type textSource struct {
	file  string
	lines lineIndex
	raw   map[string]any
}

func (v *validator) texts(raw *rawConfig, c *Config) {
	sources := []textSource{{file: v.file, lines: v.lines, raw: raw.Texts}}
	if files, ok := raw.Texts["files"]; ok {
		list, ok := files.([]any)
		if !ok {
			v.errorf("texts.files", "texts.files: want a list of file names")
		}
		for i, f := range list {
			name, ok := f.(string)
			if !ok || name == "" {
				v.errorf(fmt.Sprintf("texts.files.%d", i), "texts.files: want a list of file names")
				continue
			}
			if !filepath.IsAbs(name) {
				name = filepath.Join(v.dir, name)
			}
			src, err := readTexts(name)
			if err != nil {
				v.errorf(fmt.Sprintf("texts.files.%d", i), "texts.files: %v", err)
				continue
			}
			sources = append(sources, src)
		}
	}
	over := map[string]map[texts.Key]texts.Value{}
	nodes := map[string]map[string]map[string]dialog.NodeText{} // language → dialog → node
	for _, src := range sources {
		for _, tag := range slices.Sorted(maps.Keys(src.raw)) {
			if tag == "files" {
				continue
			}
			p := "texts." + tag
			at := func(path, format string, args ...any) {
				v.errs = append(v.errs, Error{File: src.file, Line: src.lines.line(path), Msg: fmt.Sprintf(format, args...)})
			}
			if err := texts.CheckLanguage(tag); err != nil {
				at(p, "[texts.%s]: %v", tag, err)
				continue
			}
			table, ok := src.raw[tag].(map[string]any)
			if !ok {
				at(p, "texts.%s: want a table of texts", tag)
				continue
			}
			if over[tag] == nil {
				over[tag] = map[texts.Key]texts.Value{}
				nodes[tag] = map[string]map[string]dialog.NodeText{}
			}
			flat := map[string]any{}
			flatten("", table, flat)
			for _, key := range slices.Sorted(maps.Keys(flat)) {
				kp := p + "." + key
				val := flat[key]
				if strings.HasPrefix(key, "dialog.") {
					if err := dialogText(c, key, val, nodes[tag]); err != nil {
						at(kp, "texts.%s: %s: %v", tag, key, err)
					}
					continue
				}
				value, err := asValue(val)
				if err == nil {
					err = texts.Check(texts.Key(key), value)
				}
				if err != nil {
					at(kp, "texts.%s: %s: %v", tag, key, err)
					continue
				}
				over[tag][texts.Key(key)] = value
			}
		}
	}
	c.Texts = texts.New(over)
	c.dialogs = map[string]map[string]*dialog.Dialog{}
	for _, name := range c.Texts.Languages() {
		l, _ := c.Texts.Match(name)
		c.dialogs[name] = map[string]*dialog.Dialog{}
		for dn, d := range c.Dialogs {
			c.dialogs[name][dn] = d.Translate(nodes[name][dn], phrases{l})
		}
	}
}

// phrases are a dialog's own answers from the catalog.
type phrases struct{ l *texts.Lang }

func (p phrases) NotUnderstood(n int) string {
	return p.l.Get(texts.DialogNotUnderstood, texts.A{"n": n})
}

func (p phrases) Ambiguous(options []dialog.Option) string {
	var b strings.Builder
	for _, o := range options {
		b.WriteString(p.l.Get(texts.DialogOption, texts.A{"key": o.Key, "label": o.Label}))
	}
	return p.l.Get(texts.DialogAmbiguous, texts.A{"options": b.String()})
}

func (p phrases) BadAnswer() string { return p.l.Get(texts.DialogBadAnswer, nil) }

// readTexts reads a translation file: [texts.LANG] tables and nothing else.
func readTexts(path string) (textSource, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return textSource{}, err
	}
	var raw struct {
		Texts map[string]any `toml:"texts"`
	}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return textSource{}, decodeErrors(path, err)
	}
	delete(raw.Texts, "files")
	return textSource{file: path, lines: indexLines(data), raw: raw.Texts}, nil
}

// flatten turns nested tables into dotted keys; a table of plural forms
// stays a value.
func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok && !isForms(sub) {
			flatten(key, sub, out)
			continue
		}
		out[key] = v
	}
}

func isForms(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k, v := range m {
		if _, ok := v.(string); !ok || !slices.Contains(texts.FormNames, k) {
			return false
		}
	}
	return true
}

// asValue reads a text: a string, or a table of plural forms.
func asValue(v any) (texts.Value, error) {
	switch v := v.(type) {
	case string:
		return texts.Value{Other: v}, nil
	case map[string]any:
		forms := map[string]string{}
		for k, f := range v {
			forms[k] = f.(string)
		}
		if out, ok := texts.ValueOf(forms); ok {
			return out, nil
		}
	}
	return texts.Value{}, fmt.Errorf("want a text, or a table of plural forms (one = …, other = …)")
}

// dialogText checks a dialog text ("dialog.NAME.NODE.say" and the like)
// against the dialogs, and keeps it in nodes (by dialog and node).
func dialogText(c *Config, key string, val any, nodes map[string]map[string]dialog.NodeText) error {
	const want = `want dialog.NAME.NODE.say, .hint, .option.KEY.label or .option.KEY.keywords`
	parts := strings.Split(key, ".")
	if len(parts) < 4 {
		return errors.New(want)
	}
	d := c.Dialogs[parts[1]]
	if d == nil {
		return fmt.Errorf("there is no dialog %q", parts[1])
	}
	n := d.Nodes[parts[2]]
	if n == nil {
		return fmt.Errorf("dialog %s has no node %q", parts[1], parts[2])
	}
	if nodes[parts[1]] == nil {
		nodes[parts[1]] = map[string]dialog.NodeText{}
	}
	nt := nodes[parts[1]][parts[2]]
	defer func() { nodes[parts[1]][parts[2]] = nt }()
	text := func() (string, error) {
		s, ok := val.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return "", errors.New("want a text that is not empty")
		}
		return s, nil
	}
	var err error
	switch {
	case len(parts) == 4 && parts[3] == "say":
		nt.Say, err = text()
		return err
	case len(parts) == 4 && parts[3] == "hint":
		nt.Hint, err = text()
		return err
	case len(parts) != 6 || parts[3] != "option" || (parts[5] != "label" && parts[5] != "keywords"):
		return errors.New(want)
	}
	if !slices.ContainsFunc(n.Options, func(o dialog.Option) bool { return strings.EqualFold(o.Key, parts[4]) }) {
		return fmt.Errorf("dialog %s node %s has no option %q", parts[1], parts[2], parts[4])
	}
	if parts[5] == "label" {
		if nt.Labels == nil {
			nt.Labels = map[string]string{}
		}
		nt.Labels[parts[4]], err = text()
		return err
	}
	list, ok := val.([]any)
	if !ok {
		return errors.New("want a list of keywords")
	}
	var kw []string
	for _, w := range list {
		s, ok := w.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return errors.New("want a list of keywords that are not empty")
		}
		kw = append(kw, s)
	}
	if nt.Keywords == nil {
		nt.Keywords = map[string][]string{}
	}
	nt.Keywords[parts[4]] = kw
	return nil
}
