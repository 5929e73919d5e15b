package reply

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFill(t *testing.T) {
	vars := map[string]string{"customer": "Ann", "amount": "12.50", "sneaky": "{customer}"}
	for _, tc := range []struct{ text, want, err string }{
		{"Your refund of {amount} is on its way, {customer}.", "Your refund of 12.50 is on its way, Ann.", ""},
		{"No placeholders.", "No placeholders.", ""},
		{"Braces {{like this}} stay.", "Braces {like this} stay.", ""},
		{"{sneaky} goes in as it is", "{customer} goes in as it is", ""},
		{"Order {order} for {customer}, {order}, {tracking}", "", "no value for {order}, {tracking}"},
		{"open {", "", `a "{" without its "}"`},
		{"close }", "", `a "}" without its "{"`},
		{"bad {Name}", "", "placeholder {Name}"},
		{"bad {}", "", "placeholder {}"},
	} {
		got, err := Fill(tc.text, vars)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || got != "" {
				t.Errorf("Fill(%q) = %q, %v; want error %q", tc.text, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Fill(%q) = %q, %v; want %q", tc.text, got, err, tc.want)
		}
	}
	names, err := Placeholders("{a} {b} {a} {{c}}")
	if err != nil || strings.Join(names, ",") != "a,b" {
		t.Errorf("Placeholders = %v, %v", names, err)
	}
}

func TestArgs(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"", "", ""},
		{"amount=12.50", "amount=12.50", ""},
		{`amount=12.50   note="two words" x=`, "amount=12.50 note=two words x=", ""},
		{"amount", "", "write name=value"},
		{"=5", "", "write name=value"},
		{"Amount=5", "", "names are lower-case"},
		{`note="open`, "", "not closed"},
		{"amount={customer}", "", "may not contain { or }"},
		{`note="x}"`, "", "may not contain"},
		{"a=1 a=2", "", "given twice"},
	} {
		got, err := Args(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Args(%q) = %v, %v; want error %q", tc.in, got, err, tc.err)
			}
			continue
		}
		var parts []string
		for _, k := range []string{"amount", "note", "x"} {
			if v, ok := got[k]; ok {
				parts = append(parts, k+"="+v)
			}
		}
		if err != nil || strings.Join(parts, " ") != tc.want {
			t.Errorf("Args(%q) = %v, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// Whatever an agent types, Fill never leaves a placeholder's braces in a
// reply unless the template wrote them as "{{" "}}", and never panics.
func FuzzFill(f *testing.F) {
	f.Add("Refund of {amount} for {customer}", "amount=1 customer=Ann")
	f.Add("{{x}} {", `a="b c"`)
	f.Fuzz(func(t *testing.T, text, args string) {
		vars, err := Args(args)
		if err != nil {
			return
		}
		out, err := Fill(text, vars)
		if err != nil {
			return
		}
		if !utf8.ValidString(text) {
			return
		}
		for _, v := range vars {
			if strings.ContainsAny(v, "{}") {
				t.Fatalf("Args let a brace through: %q", v)
			}
		}
		if !strings.Contains(text, "{{") && !strings.Contains(text, "}}") && strings.ContainsAny(out, "{}") {
			t.Fatalf("Fill(%q, %v) = %q", text, vars, out)
		}
	})
}
