package link

import (
	"context"
	"encoding/xml"
	"sort"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/mux"
	"mellium.im/xmpp/stanza"

	"switchboard/component/wire"
)

// iqMux routes the IQs the component serves: pings are answered here,
// the rest goes to the Handler as Requests.
func (l *Link) iqMux() *mux.ServeMux {
	return mux.New(wire.NSComponent,
		mux.IQFunc(stanza.GetIQ, xml.Name{Space: wire.NSDiscoInfo, Local: "query"}, l.request(wire.RequestInfo)),
		mux.IQFunc(stanza.GetIQ, xml.Name{Space: wire.NSDiscoItems, Local: "query"}, l.request(wire.RequestItems)),
		mux.IQFunc(stanza.GetIQ, xml.Name{Space: wire.NSVersion, Local: "query"}, l.request(wire.RequestVersion)),
		mux.IQFunc(stanza.GetIQ, xml.Name{Space: wire.NSPing, Local: "ping"}, l.ping),
		mux.IQFunc(stanza.SetIQ, xml.Name{Space: wire.NSCommands, Local: "command"}, l.command),
		mux.IQFunc(stanza.ErrorIQ, xml.Name{}, l.iqError),
	)
}

func (l *Link) request(kind wire.RequestKind) mux.IQHandlerFunc {
	return func(iq stanza.IQ, _ xmlstream.TokenReadEncoder, start *xml.StartElement) error {
		r := wire.Request{Kind: kind, From: iq.From.String(), To: iq.To.String(), ID: iq.ID}
		for _, a := range start.Attr {
			if a.Name.Local == "node" {
				r.Node = a.Value
			}
		}
		l.h.Request(r)
		return nil
	}
}

// command decodes an ad-hoc command request.
func (l *Link) command(iq stanza.IQ, t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	var cmd wire.Command
	from, to := iq.From.String(), iq.To.String()
	if err := xml.NewTokenDecoder(xmlstream.MultiReader(xmlstream.Token(*start), t)).Decode(&cmd); err != nil {
		l.h.Undecodable("command", err)
		l.Send(wire.IQError(to, from, iq.ID, wire.ErrBadRequest.With("Malformed command.")))
		return nil
	}
	l.h.Request(wire.Request{Kind: wire.RequestCommand, From: from, To: to, ID: iq.ID, Node: cmd.Node, Command: &cmd})
	return nil
}

func (l *Link) ping(iq stanza.IQ, _ xmlstream.TokenReadEncoder, _ *xml.StartElement) error {
	l.Send(wire.IQResult(iq.To.String(), iq.From.String(), iq.ID))
	return nil
}

func (l *Link) iqError(iq stanza.IQ, _ xmlstream.TokenReadEncoder, _ *xml.StartElement) error {
	l.log.Debug("IQ error from the server", "id", iq.ID, "from", iq.From.String())
	return nil
}

// roundTrip sends an IQ and decodes the answer's payload into v (may be
// nil); an error answer is a wire.StanzaError. It waits for the answer:
// never call it from a Handler method.
func (l *Link) roundTrip(ctx context.Context, raw string, v any) error {
	sess := l.session()
	if sess == nil {
		return wire.ErrNotConnected
	}
	r, err := sess.SendIQ(ctx, wire.Tokens(raw))
	if err != nil {
		return err
	}
	defer r.Close()
	var iq struct {
		Type    string      `xml:"type,attr"`
		Error   *wire.Error `xml:"error"`
		Payload any         `xml:",any"`
	}
	iq.Payload = v
	if err := xml.NewTokenDecoder(r).Decode(&iq); err != nil {
		return err
	}
	if iq.Type == "error" {
		if iq.Error != nil {
			return wire.StanzaError{Type: iq.Error.Type, Condition: iq.Error.Condition(), Text: iq.Error.Text}
		}
		return wire.StanzaError{Type: "cancel", Condition: "undefined-condition"}
	}
	return nil
}

// ConfigureRoom fetches a room's owner form and submits it with those of
// fields the server's form has. It waits for the server.
func (l *Link) ConfigureRoom(ctx context.Context, from, room string, fields []wire.Field) error {
	var form wire.RoomConfigForm
	if err := l.roundTrip(ctx, wire.RoomConfigGet(from, room, wire.NewID("cfg")), &form); err != nil {
		return err
	}
	var have []wire.Field
	for _, f := range fields {
		if form.Has(f.Var) {
			have = append(have, f)
		}
	}
	return l.roundTrip(ctx, wire.RoomConfigSubmit(from, room, wire.NewID("cfg"), have), nil)
}

// Discover asks a client for disco#info and, with version, its software
// version (XEP-0092). It waits for the answers; what it learned comes
// back even with an error.
func (l *Link) Discover(ctx context.Context, from, to string, version bool) (wire.ClientInfo, error) {
	var info wire.ClientInfo
	var disco wire.DiscoResult
	err := l.roundTrip(ctx, wire.DiscoInfoGet(from, to, wire.NewID("disco")), &disco)
	for _, f := range disco.Features {
		if len(info.Features) < 256 && len(f.Var) < 256 {
			info.Features = append(info.Features, f.Var)
		}
	}
	sort.Strings(info.Features)
	if !version {
		return info, err
	}
	var v wire.VersionResult
	if verr := l.roundTrip(ctx, wire.VersionGet(from, to, wire.NewID("ver")), &v); verr == nil {
		info.Name, info.Version, info.OS = v.Name, v.Version, v.OS
	} else if err == nil {
		err = verr
	}
	if info.Name == "" && len(disco.Identities) > 0 {
		info.Name = disco.Identities[0].Name
	}
	return info, err
}
