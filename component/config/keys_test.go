package config

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// acceptedKeys lists every key the file may have, by its path: a table's
// keys under its name ("desk.reopen_window"), an array of tables' under
// its name ("queue.strategy"), and NAME, NODE, LANG or KEY where the
// file chooses the name ("dialogs.NAME.NODE.say", "texts.LANG.KEY").
func acceptedKeys() []string {
	var out []string
	var walk func(prefix string, t reflect.Type, names []string)
	walk = func(prefix string, t reflect.Type, names []string) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice:
			if t.Elem().Kind() == reflect.Struct {
				walk(prefix, t.Elem(), names)
				return
			}
			out = append(out, prefix)
		case reflect.Map:
			if len(names) == 0 {
				out = append(out, prefix)
				return
			}
			walk(prefix+"."+names[0], t.Elem(), names[1:])
		case reflect.Struct:
			for i := range t.NumField() {
				f := t.Field(i)
				tag := strings.Split(f.Tag.Get("toml"), ",")[0]
				if f.Anonymous && tag == "" {
					walk(prefix, f.Type, names)
					continue
				}
				p := tag
				if prefix != "" {
					p = prefix + "." + tag
				}
				walk(p, f.Type, mapNames[p])
			}
		default:
			out = append(out, prefix)
		}
	}
	walk("", reflect.TypeFor[rawConfig](), nil)
	// [texts] is a map read by hand (texts.go): files, and each language's
	// texts.
	out = slices.DeleteFunc(out, func(k string) bool { return k == "texts" })
	out = append(out, "texts.files", "texts.LANG.KEY")
	slices.Sort(out)
	return out
}

// mapNames are the names the file chooses, for the maps of rawConfig.
var mapNames = map[string][]string{
	"queue.skills": {"SKILL"},
	"agent.skills": {"SKILL"},
	"dialogs":      {"NAME", "NODE"},
	"replies":      {"NAME"},
	"hours":        {"NAME"},
}

// TestDocumentedKeys holds docs/config.md to the keys the code accepts:
// one missing there, or one there the code does not accept, fails.
func TestDocumentedKeys(t *testing.T) {
	doc, err := os.ReadFile("../../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	// The keys of the reference tables: every `key` in a row's first cell.
	documented := map[string]bool{}
	cell := regexp.MustCompile("`([A-Za-z_]+(?:\\.[A-Za-z_]+)+)`")
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line, "|", 3)[1]
		for _, m := range cell.FindAllStringSubmatch(first, -1) {
			documented[m[1]] = true
		}
	}
	accepted := acceptedKeys()
	for _, k := range accepted {
		if !documented[k] {
			t.Errorf("docs/config.md does not document %s", k)
		}
	}
	for k := range documented {
		if !slices.Contains(accepted, k) {
			t.Errorf("docs/config.md documents %s, which the configuration does not accept", k)
		}
	}
}
