package workroom

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"switchboard/component/desk/core"
	"switchboard/component/desk/view"
	"switchboard/component/texts"
	"switchboard/store"
	"switchboard/store/identity"
)

// One customer across channels: /history lists the conversations of the
// customer and of those linked with them; /link links another.

// historyLen bounds what /history lists.
const historyLen = 20

func cmdHistory(d *Desk, x cmdCtx, _ string) string {
	c := x.c
	d.commandEvent(x, "/history")
	// Every write done (a /link a moment ago counts), and the records as
	// the desk last accepted them.
	var list []view.Earlier
	group := []string{c.Rec.Customer}
	listed := map[uint64]bool{c.Rec.ID: true}
	_ = d.Store.View(func(tx *store.Tx) error {
		group = core.CustomerGroup(tx, c.Rec.Customer)
		var stored []*store.Conversation
		for _, who := range group {
			s, _, err := tx.List(store.Filter{Customer: who}, 0, historyLen)
			if err != nil {
				return err
			}
			stored = append(stored, s...)
		}
		slices.SortFunc(stored, func(a, b *store.Conversation) int { return cmp.Compare(b.ID, a.ID) })
		for _, o := range stored[:min(len(stored), historyLen)] {
			if r, err := d.Record(tx, o.ID); err == nil && !listed[r.ID] {
				listed[r.ID] = true
				list = append(list, d.EarlierOf(r))
			}
		}
		return nil
	})
	// Those the store does not hold yet (opened a moment ago), newest
	// first as the store lists them.
	var fresh []view.Earlier
	for _, id := range slices.Backward(slices.Sorted(maps.Keys(d.Convs))) {
		if o := d.Convs[id]; !listed[id] && slices.Contains(group, o.Rec.Customer) && (len(list) == 0 || id > list[0].ID) {
			fresh = append(fresh, d.EarlierOf(o.Rec))
		}
	}
	list = append(fresh, list...)
	return view.History(d.Staff(), strings.Join(group, ", "), list)
}

func cmdLink(d *Desk, x cmdCtx, args string) string {
	c := x.c
	other := strings.TrimSpace(args)
	if other == "" || c.Rec.Customer == "" {
		return d.t(texts.Usage, texts.A{"usage": "/link CUSTOMER"})
	}
	if strings.Contains(other, "@") && !strings.Contains(other, ":") {
		other = strings.ToLower(other) // a JID
	}
	known := false
	_ = d.Store.View(func(tx *store.Tx) error {
		cu, err := tx.Customer(other)
		known = err == nil && len(cu.Conversations) > 0 && other != c.Rec.Customer
		return err
	})
	if !known {
		return d.t(texts.LinkUnknown, texts.A{"other": other})
	}
	customer := c.Rec.Customer
	st := d.Step(c)
	st.Same = true
	st.Event(x.jid, "linked", other)
	st.Also(func(tx *store.Tx) error {
		_, err := identity.Link(tx, customer, other)
		return err
	})
	st.Commit()
	return d.t(texts.LinkDone, texts.A{"customer": customer, "other": other})
}
