// Package identity ties a customer's ways in together. A customer's id is
// an address they proved (a JID they wrote from, a number the provider
// signed for: "tel:+49301234567"), so what comes from one proven address
// is one customer by itself. Addresses they only typed (a form's email or
// phone, a call back number) are kept beside the customer and indexed:
// the customers whose id or typed address they are show as possible
// matches, which an agent merges with Link.
package identity

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"switchboard/store"
	"switchboard/store/schema"
)

// Match is a customer an address points to.
type Match struct {
	Customer string // the other customer's id
	Address  string // the address they share
	// Proven is set when the address is that customer's id; else they
	// typed it too.
	Proven        bool
	Conversations int
}

func indexKey(address, customer string) []byte { return []byte(address + "|" + customer) }

// Typed keeps address as one customer gave without proof.
func Typed(tx *store.Tx, customer, address string) error {
	if address == "" || address == customer {
		return nil
	}
	cu, err := tx.Customer(customer)
	if err != nil {
		return err
	}
	if !slices.Contains(cu.Typed, address) {
		cu.Typed = append(cu.Typed, address)
		if err := tx.PutCustomer(cu); err != nil {
			return err
		}
	}
	return tx.Put(schema.Identities, indexKey(address, customer), "")
}

// Matches lists the customers that the addresses point to, besides
// customer and those linked with it already.
func Matches(tx *store.Tx, customer string, addresses []string) ([]Match, error) {
	group, err := Group(tx, customer)
	if err != nil {
		return nil, err
	}
	var out []Match
	add := func(m Match) error {
		if slices.Contains(group, m.Customer) || slices.ContainsFunc(out, func(o Match) bool { return o.Customer == m.Customer }) {
			return nil
		}
		cu, err := tx.Customer(m.Customer)
		if err != nil {
			return err
		}
		if len(cu.Conversations) == 0 && len(cu.Typed) == 0 {
			return nil // nobody: a fresh record
		}
		m.Conversations = len(cu.Conversations)
		out = append(out, m)
		return nil
	}
	for _, a := range addresses {
		if err := add(Match{Customer: a, Address: a, Proven: true}); err != nil {
			return nil, err
		}
		prefix := []byte(a + "|")
		err := tx.Each(schema.Identities, prefix, nil, func(k, _ []byte) (bool, error) {
			return true, add(Match{Customer: string(bytes.TrimPrefix(k, prefix)), Address: a})
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ErrNoCustomer is Link's answer for a customer the store does not know.
var ErrNoCustomer = errors.New("no such customer")

// Link makes a and b one customer: each of them, and every customer
// linked with either, lists all the others as linked.
func Link(tx *store.Tx, a, b string) ([]string, error) {
	if a == b {
		return nil, fmt.Errorf("%s is this customer", b)
	}
	other, err := tx.Customer(b)
	if err != nil {
		return nil, err
	}
	if len(other.Conversations) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoCustomer, b)
	}
	ga, err := Group(tx, a)
	if err != nil {
		return nil, err
	}
	gb, err := Group(tx, b)
	if err != nil {
		return nil, err
	}
	all := append(ga, gb...)
	slices.Sort(all)
	all = slices.Compact(all)
	for _, id := range all {
		cu, err := tx.Customer(id)
		if err != nil {
			return nil, err
		}
		cu.Linked = slices.DeleteFunc(slices.Clone(all), func(x string) bool { return x == id })
		if err := tx.PutCustomer(cu); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// Group is customer and every customer linked with it.
func Group(tx *store.Tx, customer string) ([]string, error) {
	cu, err := tx.Customer(customer)
	if err != nil {
		return nil, err
	}
	return append([]string{customer}, cu.Linked...), nil
}

// Email is a typed email address as an address ("mailto:…"), and whether
// it looks like one.
func Email(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at == len(s)-1 || strings.ContainsAny(s, " <>,;:") || len(s) > 254 {
		return "", false
	}
	return "mailto:" + s, true
}
