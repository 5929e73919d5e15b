package identity

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"switchboard/store"
)

func TestIdentities(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	update := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := st.Update(context.Background(), fn); err != nil {
			t.Fatal(err)
		}
	}
	has := func(tx *store.Tx, customer string, ids ...uint64) {
		cu, _ := tx.Customer(customer)
		cu.Conversations = ids
		tx.PutCustomer(cu)
	}
	update(func(tx *store.Tx) error {
		has(tx, "tel:+49301234567", 1, 2)  // SMS and voicemail
		has(tx, "ada@example.com", 3)      // XMPP
		has(tx, "hook:forms:u-17", 4)      // a form
		has(tx, "hook:forms:message 9", 5) // a form without an id
		if err := Typed(tx, "hook:forms:u-17", "mailto:ada@work.example"); err != nil {
			return err
		}
		return Typed(tx, "ada@example.com", "mailto:ada@work.example")
	})
	st.View(func(tx *store.Tx) error {
		// The form without an id typed the phone and the work email.
		got, err := Matches(tx, "hook:forms:message 9", []string{"tel:+49301234567", "mailto:ada@work.example", "mailto:nobody@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		want := []Match{
			{Customer: "tel:+49301234567", Address: "tel:+49301234567", Proven: true, Conversations: 2},
			{Customer: "ada@example.com", Address: "mailto:ada@work.example", Conversations: 1},
			{Customer: "hook:forms:u-17", Address: "mailto:ada@work.example", Conversations: 1},
		}
		if !slices.Equal(got, want) {
			t.Fatalf("matches %+v\nwant %+v", got, want)
		}
		return nil
	})
	// Linked, they are one; linked ones are no longer matches.
	update(func(tx *store.Tx) error {
		if _, err := Link(tx, "hook:forms:message 9", "tel:+49301234567"); err != nil {
			return err
		}
		all, err := Link(tx, "ada@example.com", "hook:forms:message 9")
		if len(all) != 3 {
			t.Fatalf("linked %v", all)
		}
		return err
	})
	st.View(func(tx *store.Tx) error {
		g, _ := Group(tx, "tel:+49301234567")
		slices.Sort(g)
		if want := []string{"ada@example.com", "hook:forms:message 9", "tel:+49301234567"}; !slices.Equal(g, want) {
			t.Fatalf("group %v", g)
		}
		got, _ := Matches(tx, "hook:forms:message 9", []string{"tel:+49301234567", "mailto:ada@work.example"})
		if len(got) != 1 || got[0].Customer != "hook:forms:u-17" {
			t.Fatalf("matches after linking %+v", got)
		}
		if _, err := Link(tx, "ada@example.com", "nobody@example.com"); err == nil {
			t.Fatal("linked with a customer there is not")
		}
		return nil
	})
}

func TestEmail(t *testing.T) {
	for in, want := range map[string]string{" Ada@Example.com ": "mailto:ada@example.com", "ada": "", "@x": "", "a@": "", "a b@c": ""} {
		got, ok := Email(in)
		if got != want || ok != (want != "") {
			t.Errorf("Email(%q) = %q, %v", in, got, ok)
		}
	}
}
