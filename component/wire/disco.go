package wire

import "strings"

// Service discovery (XEP-0030) and software version (XEP-0092), asked and
// answered.

// DiscoInfoGet asks an entity what it supports.
func DiscoInfoGet(from, to, id string) string {
	return iq(from, to, "get", id, "<query xmlns='"+NSDiscoInfo+"'/>")
}

// VersionGet asks a client its name and version.
func VersionGet(from, to, id string) string {
	return iq(from, to, "get", id, "<query xmlns='"+NSVersion+"'/>")
}

// DiscoResult is the part of a disco#info answer the desk reads.
type DiscoResult struct {
	Identities []struct {
		Name string `xml:"name,attr"`
	} `xml:"identity"`
	Features []struct {
		Var string `xml:"var,attr"`
	} `xml:"feature"`
}

// VersionResult is a software version answer.
type VersionResult struct {
	Name    string `xml:"name"`
	Version string `xml:"version"`
	OS      string `xml:"os"`
}

// Identity is a disco identity.
type Identity struct{ Category, Type, Name string }

// DiscoInfo answers a disco#info query (on node, when not empty).
func DiscoInfo(from, to, id, node string, ident Identity, features []string) string {
	var b strings.Builder
	b.WriteString("<query xmlns='" + NSDiscoInfo + "'")
	if node != "" {
		b.WriteString(" node='" + Escape(node) + "'")
	}
	b.WriteString("><identity category='" + Escape(ident.Category) + "' type='" + Escape(ident.Type) + "'")
	if ident.Name != "" {
		b.WriteString(" name='" + Escape(ident.Name) + "'")
	}
	b.WriteString("/>")
	for _, f := range features {
		b.WriteString("<feature var='" + Escape(f) + "'/>")
	}
	b.WriteString("</query>")
	return iq(from, to, "result", id, b.String())
}

// Item is a disco item.
type Item struct{ JID, Node, Name string }

// DiscoItems answers a disco#items query (on node, when not empty).
func DiscoItems(from, to, id, node string, items []Item) string {
	var b strings.Builder
	b.WriteString("<query xmlns='" + NSDiscoItems + "'")
	if node != "" {
		b.WriteString(" node='" + Escape(node) + "'")
	}
	b.WriteString(">")
	for _, it := range items {
		b.WriteString("<item jid='" + Escape(it.JID) + "'")
		if it.Node != "" {
			b.WriteString(" node='" + Escape(it.Node) + "'")
		}
		if it.Name != "" {
			b.WriteString(" name='" + Escape(it.Name) + "'")
		}
		b.WriteString("/>")
	}
	b.WriteString("</query>")
	return iq(from, to, "result", id, b.String())
}

// Version answers a software version query.
func Version(from, to, id, name, version string) string {
	return iq(from, to, "result", id, "<query xmlns='"+NSVersion+"'><name>"+Escape(name)+"</name><version>"+Escape(version)+"</version></query>")
}
