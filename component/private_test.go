package component_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"switchboard/component/wire"
)

// TestPrivateNeverReachesCustomer is a property test: in a randomized
// conversation mixing public replies, private notes in every form, room
// commands and customer messages, every public reply reaches the customer
// in order and nothing private does.
func TestPrivateNeverReachesCustomer(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 42))
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer")
	alice, cust, room := assigned(t, e)

	private := []func(i int) string{
		func(i int) string { return fmt.Sprintf("//SECRET-%d plain note", i) },
		func(i int) string { return fmt.Sprintf("// SECRET-%d spaced note", i) },
		func(i int) string { return fmt.Sprintf("/note SECRET-%d", i) },
		func(i int) string { return fmt.Sprintf("!note SECRET-%d", i) },
		func(i int) string { return fmt.Sprintf("/NOTE SECRET-%d shouting", i) },
		func(i int) string { return fmt.Sprintf("/n SECRET-%d prefix", i) },
		func(i int) string { return fmt.Sprintf("/frobnicate SECRET-%d unknown command", i) },
		func(i int) string { return fmt.Sprintf("/ SECRET-%d client ate a slash", i) },
		func(i int) string { return fmt.Sprintf("/status SECRET-%d", i) },
		func(i int) string { return "/status" },
		func(i int) string { return "/help" },
		func(i int) string { return fmt.Sprintf("/status pending SECRET-%d", i) },
		func(i int) string { return fmt.Sprintf("/todo SECRET-%d call back", i) },
		func(i int) string { return fmt.Sprintf("!todo SECRET-%d", i) },
		func(i int) string { return fmt.Sprintf("/done %d", i%5) },
		func(i int) string { return "/todos" },
		func(i int) string { return fmt.Sprintf("/tag SECRET-%d", i) },
		func(i int) string { return "/tag" },
		func(i int) string { return "/history" },
		func(i int) string { return fmt.Sprintf("/invite SECRET-%d@localhost", i) },
		func(i int) string { return fmt.Sprintf("/transfer SECRET-%d", i) },
		func(i int) string { return fmt.Sprintf("/transfer SECRET-%d@localhost", i) },
	}
	var public []string
	for i := 0; i < 150; i++ {
		switch r := rng.IntN(10); {
		case r < 4:
			body := fmt.Sprintf("PUBLIC-%d", i)
			if rng.IntN(4) == 0 {
				body += " with !exclamation and //slashes inside"
			}
			public = append(public, body)
			post(t, alice, room, body)
		case r < 9:
			post(t, alice, room, private[rng.IntN(len(private))](i))
		default:
			say(t, cust, fmt.Sprintf("customer %d", i))
		}
	}
	post(t, alice, room, "PUBLIC-END")
	public = append(public, "PUBLIC-END")
	var got []string
	for len(got) < len(public) {
		s, err := cust.Expect(wait, "a reply", func(s wire.Stanza) bool { return s.XMLName.Local == "message" && s.Body != "" })
		if err != nil {
			t.Fatalf("after %d of %d public replies: %v", len(got), len(public), err)
		}
		if strings.Contains(s.Body, "SECRET") || strings.HasPrefix(s.Body, "[desk]") || strings.HasPrefix(s.Body, "Commands:") {
			t.Fatalf("private content reached the customer: %q", s.Body)
		}
		if wire.Bare(s.From) == entry && strings.HasPrefix(s.Body, "PUBLIC-") {
			got = append(got, s.Body)
		}
	}
	if strings.Join(got, "\n") != strings.Join(public, "\n") {
		t.Fatalf("public replies arrived as\n%v\nwant\n%v", got, public)
	}
	// Nothing else trails behind.
	noMessage(t, cust, 300*time.Millisecond, "private content", func(s wire.Stanza) bool { return strings.Contains(s.Body, "SECRET") })
}
