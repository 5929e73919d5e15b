package component_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"switchboard/component/config"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

// germanDialog translates the test dialog; the catalog is the example
// German one.
const germanDialog = `
[texts]
files = [%q]

[texts.de.dialog.main.start]
say = "Hallo! Wie können wir helfen?"
"option.1.label" = "Frage zur Rechnung"
"option.1.keywords" = ["rechnung"]
"option.2.label" = "Verkauf"
"option.3.label" = "Wie viel ist los?"
"option.4.label" = "Nichts"
"option.5.label" = "Nachricht hinterlassen"
"option.6.label" = "Rückruf"

[texts.de.dialog.main.order]
say = "Wie lautet Ihre Bestellnummer? (6 Ziffern)"
hint = "Eine Bestellnummer hat 6 Ziffern."

[texts.de.dialog.main.thanks]
say = "Danke, wir suchen jemanden aus der Buchhaltung."
`

// TestGerman: on a real server, a customer whose client writes
// xml:lang='de' reads every text of the desk in German, with the example
// catalog loaded, from the menu to the rating question, across two
// restarts of the desk: the language is the conversation's.
func TestGerman(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	catalog, _ := filepath.Abs("../testdata/config/texts/de.toml")
	f, err := os.OpenFile(e.cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Replace(germanDialog, "%q", `"`+catalog+`"`, 1))
	f.Close()
	if e.cfg, err = config.Load(e.cfgPath); err != nil {
		t.Fatal(err)
	}
	// Every chat the customer gets from the entry point.
	var mu sync.Mutex
	var told []string
	watch := func(s wire.Stanza) {
		if s.XMLName.Local == "message" && wire.Bare(s.From) == entry && s.Body != "" {
			mu.Lock()
			told = append(told, s.Body)
			mu.Unlock()
		}
	}
	e.startDesk()
	cust := e.login("customer", xmppclient.Options{Watch: watch})
	de := func(body string) {
		t.Helper()
		if err := cust.MessageIn(ctx(), entry, "de", body); err != nil {
			t.Fatal(err)
		}
	}
	de("Hallo")
	expectChat(t, cust, entry, "Hallo! Wie können wir helfen?\n1) Frage zur Rechnung")
	de("hmm")
	expectChat(t, cust, entry, "Entschuldigung, das habe ich nicht verstanden. Bitte antworten Sie mit einer Zahl von 1 bis 6")
	de("Meine Rechnung ist falsch")
	expectChat(t, cust, entry, "Wie lautet Ihre Bestellnummer?")
	de("12")
	expectChat(t, cust, entry, "Eine Bestellnummer hat 6 Ziffern.")
	de("123456")
	expectChat(t, cust, entry, "Danke, wir suchen jemanden aus der Buchhaltung.")
	expectChat(t, cust, entry, "Vielen Dank. Sie sind Nummer 1 in der Warteschlange; wir sagen Ihnen, wie lange es dauern kann, sobald wir es wissen. Schreiben Sie „status“")

	// The language is the conversation's, also after a restart; a line
	// without xml:lang reads German too.
	e.stopDesk()
	e.startDesk()
	say(t, cust, "status")
	expectChat(t, cust, entry, "Sie sind Nummer 1 in der Warteschlange")

	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	room := expectInvite(t, alice)
	join(t, alice, room, "Alice")
	expectChat(t, cust, entry, "Sie chatten jetzt mit Alice.")
	expectRoom(t, alice, room, "Language: de")
	post(t, alice, room, "Guten Tag, ich sehe mir Ihre Rechnung an.")
	expectChat(t, cust, entry, "Guten Tag, ich sehe mir Ihre Rechnung an.")
	post(t, alice, room, "/close refunded")
	expectChat(t, cust, entry, "Dieses Gespräch ist beendet.")
	expectChat(t, cust, entry, "Wie bewerten Sie unsere Hilfe?")

	e.stopDesk()
	e.startDesk()
	de("7")
	expectChat(t, cust, entry, "Bitte bewerten Sie mit einer Zahl von 1 (schlecht) bis 5 (hervorragend).")
	de("5")
	expectChat(t, cust, entry, "Vielen Dank für Ihre Bewertung!")

	mu.Lock()
	defer mu.Unlock()
	for _, body := range told {
		if body == "Guten Tag, ich sehe mir Ihre Rechnung an." {
			continue
		}
		for _, english := range []string{"You ", "Thank you", "Please", "Hello", "queue", "How would", "Welcome", "agent"} {
			if strings.Contains(body, english) {
				t.Errorf("the customer read English (%q): %q", english, body)
			}
		}
	}
	if len(told) < 10 {
		t.Errorf("the customer was told only %d things: %q", len(told), told)
	}
}
