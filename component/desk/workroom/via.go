package workroom

import (
	"strings"

	"switchboard/component/texts"
)

// cmdVia answers a conversation through another channel of the
// customer's: a voicemail's caller by SMS from a channel that sends to phones.
func cmdVia(d *Desk, x cmdCtx, args string) string {
	c := x.c
	name := strings.ToLower(strings.TrimSpace(args))
	if name == "" {
		return d.t(texts.Usage, texts.A{"usage": "/via CHANNEL"})
	}
	ch, ok := d.Cfg.Channel(name)
	phone, isPhone := strings.CutPrefix(c.Rec.Customer, "tel:")
	if !ok || !ch.Phones() || !isPhone {
		return d.t(texts.ViaUnknown, texts.A{"channel": name, "address": c.Rec.Customer})
	}
	c.Rec.ReplyVia, c.Rec.Address = name, phone
	st := d.Step(c)
	st.Event(x.jid, "via", name)
	st.Commit()
	return d.t(texts.ViaSet, texts.A{"address": phone, "channel": name})
}
