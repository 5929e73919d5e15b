package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTexts prints the catalog as translation files and loads them back:
// English, a language with nothing translated yet, and German with the
// sample's dialog.
func TestTexts(t *testing.T) {
	dir := t.TempDir()
	sample, _ := filepath.Abs("../../testdata/config/german.toml")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"texts"}, []string{"[texts.en]", `queue_place = "You are number {place} in the queue; {wait}."`, `minutes = { one = "a minute", other = "{n} minutes" }`}},
		{[]string{"texts", "-lang", "fr"}, []string{"[texts.fr]", "(not translated)"}},
		{[]string{"texts", "-lang", "de", "-config", sample}, []string{"[texts.de]", `queue_place = "Sie sind Nummer {place} in der Warteschlange; {wait}."`,
			`"dialog.main.start.say" = "Hallo! Wie können wir helfen?"`, `"dialog.main.start.option.1.keywords" = ["rechnung", "abrechnung"]`}},
	} {
		t.Setenv("SWITCHBOARD_SECRET", "x")
		out, err := cli(t, tc.args...)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v lacks %q", tc.args, w)
			}
		}
		// What it prints loads as a translation file.
		os.WriteFile(filepath.Join(dir, "texts.toml"), []byte(out), 0o600)
		data, _ := os.ReadFile(sample)
		cfg := strings.Replace(string(data), `files = ["texts/de.toml"]`, `files = ["texts.toml"]`, 1)
		os.WriteFile(filepath.Join(dir, "f.toml"), []byte(cfg), 0o600)
		if _, err := cli(t, "check", "-config", filepath.Join(dir, "f.toml")); err != nil {
			t.Errorf("%v: its output does not load: %v", tc.args, err)
		}
	}
	if _, err := cli(t, "texts", "-lang", "Deutsch"); err == nil || !strings.Contains(err.Error(), `"Deutsch" is not a language tag`) {
		t.Errorf("a bad -lang: %v", err)
	}
}
