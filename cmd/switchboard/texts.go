package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"switchboard/component/config"
	"switchboard/component/texts"
	"switchboard/routing/dialog"
)

// cmdTexts prints every text of the catalog, and with -config the
// config's dialogs, as a translation file for -lang: each key with its
// English text above it and the text in use (the override, or the
// English one, marked so) as its value.
func cmdTexts(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("texts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration file (its overrides and dialogs)")
	lang := fs.String("lang", "en", "language (BCP 47: de, fr, pt-BR)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			fmt.Fprintln(stderr, "usage: switchboard texts [-lang LANG] [-config FILE]")
		}
		return exitError(2)
	}
	if err := texts.CheckLanguage(*lang); err != nil {
		fmt.Fprintln(stderr, "switchboard texts: -lang:", err)
		return exitError(2)
	}
	cat := texts.New(nil)
	var cfg *config.Config
	if *path != "" {
		c, err := loadConfig(*path, stderr)
		if err != nil {
			return err
		}
		cfg, cat = c, c.Texts
	}
	l, ok := cat.Match(*lang)
	if !ok || l.Name() != *lang {
		l = nil // nothing in this language yet
	}
	w := &textWriter{w: stdout}
	w.line("# switchboard's texts for %s: each key with its English text above it and the", *lang)
	w.line("# text in use as its value (\"not translated\" marks the English one). Save it,")
	w.line("# translate the values and name the file in [texts] files = [...], or paste it")
	w.line("# into the config. Placeholders in braces stay as they are; a text that counts")
	w.line("# has plural forms (one, other, and few, many … where the language has them).")
	w.line("")
	w.line("[texts.%s]", *lang)
	group := ""
	for _, info := range texts.All() {
		if info.Group != group {
			group = info.Group
			w.line("")
			w.line("# ——— %s ———", group)
		}
		v, over := texts.Value{}, false
		if l != nil {
			v, over = l.Override(info.Key)
		}
		if !over {
			v = info.English
		}
		w.text(string(info.Key), info.English, v, over || *lang == "en", info.Placeholders)
	}
	if cfg != nil {
		w.dialogs(cfg, l, *lang == "en")
	}
	return w.err
}

type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) line(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format+"\n", args...)
	}
}

// text writes one key: its English text (and placeholders) as a comment,
// then its value.
func (t *textWriter) text(key string, english, v texts.Value, translated bool, placeholders []string) {
	mark := ""
	if !translated {
		mark = " (not translated)"
	}
	for _, line := range strings.Split(showValue(english), "\n") {
		t.line("# %s", line)
	}
	if len(placeholders) > 0 {
		t.line("#   placeholders: {%s}%s", strings.Join(placeholders, "}, {"), mark)
	} else if mark != "" {
		t.line("#  %s", mark)
	}
	t.line("%s = %s", tomlKey(key), tomlValue(v))
}

// dialogs writes the dialogs' texts: say, hint, and each option's label
// and keywords.
func (t *textWriter) dialogs(cfg *config.Config, l *texts.Lang, en bool) {
	for _, name := range slices.Sorted(maps.Keys(cfg.Dialogs)) {
		orig := cfg.Dialogs[name]
		in := orig
		if l != nil {
			in = cfg.Dialog(name, l)
		}
		t.line("")
		t.line("# ——— dialog %s ———", name)
		for _, nn := range slices.Sorted(maps.Keys(orig.Nodes)) {
			n, tn := orig.Nodes[nn], in.Nodes[nn]
			p := "dialog." + name + "." + nn + "."
			t.plain(p+"say", n.Say, tn.Say, en)
			t.plain(p+"hint", n.Hint, tn.Hint, en)
			for i, o := range n.Options {
				to := tn.Options[i]
				t.plain(p+"option."+o.Key+".label", o.Label, to.Label, en)
				extra := extraKeywords(o, to)
				if len(o.Keywords) > 0 || len(extra) > 0 {
					t.line("# %s", strings.Join(o.Keywords, ", "))
					t.line("#   added to the English keywords%s", map[bool]string{true: "", false: " (not translated)"}[len(extra) > 0 || en])
					if len(extra) == 0 {
						extra = o.Keywords
					}
					quoted := make([]string, len(extra))
					for j, k := range extra {
						quoted[j] = tomlString(k)
					}
					t.line("%s = [%s]", tomlKey(p+"option."+o.Key+".keywords"), strings.Join(quoted, ", "))
				}
			}
		}
	}
}

func (t *textWriter) plain(key, english, in string, en bool) {
	if english == "" && in == "" {
		return
	}
	t.text(key, texts.Value{Other: english}, texts.Value{Other: in}, en || in != english, nil)
}

// extraKeywords are the keywords a translation added to an option's own.
func extraKeywords(o, t dialog.Option) []string {
	if len(t.Keywords) <= len(o.Keywords) {
		return nil
	}
	return t.Keywords[:len(t.Keywords)-len(o.Keywords)]
}

func showValue(v texts.Value) string {
	if !v.Plural() {
		return v.Other
	}
	var parts []string
	for _, f := range texts.FormNames {
		if s, ok := v.Forms()[f]; ok {
			parts = append(parts, f+": "+s)
		}
	}
	return strings.Join(parts, "\n")
}

func tomlValue(v texts.Value) string {
	if !v.Plural() {
		return tomlString(v.Other)
	}
	var parts []string
	for _, f := range texts.FormNames {
		if s, ok := v.Forms()[f]; ok {
			parts = append(parts, f+" = "+tomlString(s))
		}
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// tomlKey is a key as TOML has it: bare, or quoted when it has dots.
func tomlKey(k string) string {
	if strings.ContainsAny(k, ". ") {
		return tomlString(k)
	}
	return k
}

// tomlString is s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
