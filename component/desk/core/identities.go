package core

import (
	"slices"

	"switchboard/component/desk/view"
	"switchboard/store"
	"switchboard/store/identity"
)

// A customer's proven address is their id (store/identity); what they
// typed besides (a form's email, a call back number) is kept with the
// conversation and the customer, and the customers it points to are
// shown to agents as possible matches, which /link merges.

// Typed keeps, in st, an address c's customer gave without proof.
func (st *Step) Typed(address string) {
	c := st.c
	if address == "" || c.Rec.Customer == "" || address == c.Rec.Customer || slices.Contains(c.Rec.Typed, address) {
		return
	}
	c.Rec.Typed = append(c.Rec.Typed, address)
	customer := c.Rec.Customer
	st.Also(func(tx *store.Tx) error { return identity.Typed(tx, customer, address) })
}

// Matches are the customers the addresses c's customer typed point to.
// It waits for the store to hold every write (a customer who wrote a
// moment ago counts): it runs once for a room's summary and each recap.
func (d *Desk) Matches(c *Conv) []view.Match {
	if len(c.Rec.Typed) == 0 {
		return nil
	}
	var out []view.Match
	_ = d.Store.View(func(tx *store.Tx) error {
		ms, err := identity.Matches(tx, c.Rec.Customer, c.Rec.Typed)
		for _, m := range ms {
			out = append(out, view.Match{Customer: m.Customer, Address: m.Address, Conversations: m.Conversations})
		}
		return err
	})
	return out
}

// CustomerGroup is customer and those linked with it.
func CustomerGroup(tx *store.Tx, customer string) []string {
	g, err := identity.Group(tx, customer)
	if err != nil {
		return []string{customer}
	}
	return g
}
