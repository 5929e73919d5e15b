package wire

import "strings"

// Data forms (XEP-0004) and ad-hoc command answers (XEP-0050) the desk
// sends.

// FieldSpec describes one field of a form the desk asks a person to fill.
type FieldSpec struct {
	Var, Type, Label string
	Required         bool
	Value            string // the default
}

// DataForm is a form to fill (Type "form") or a result to read ("result").
type DataForm struct {
	Type         string
	Title        string
	Instructions string
	Fields       []FieldSpec
	// Text, in a result form, is shown as a multi-line text field.
	Text string
}

func (f *DataForm) render(b *strings.Builder) {
	b.WriteString("<x xmlns='" + NSForm + "' type='" + Escape(f.Type) + "'>")
	if f.Title != "" {
		b.WriteString("<title>" + Escape(f.Title) + "</title>")
	}
	if f.Instructions != "" {
		b.WriteString("<instructions>" + Escape(f.Instructions) + "</instructions>")
	}
	for _, fl := range f.Fields {
		b.WriteString("<field var='" + Escape(fl.Var) + "' type='" + Escape(fl.Type) + "'")
		if fl.Label != "" {
			b.WriteString(" label='" + Escape(fl.Label) + "'")
		}
		b.WriteString(">")
		if fl.Required {
			b.WriteString("<required/>")
		}
		if fl.Value != "" {
			b.WriteString("<value>" + Escape(fl.Value) + "</value>")
		}
		b.WriteString("</field>")
	}
	if f.Text != "" {
		b.WriteString("<field var='text' type='text-multi'>")
		for _, line := range strings.Split(f.Text, "\n") {
			b.WriteString("<value>" + Escape(line) + "</value>")
		}
		b.WriteString("</field>")
	}
	b.WriteString("</x>")
}

// CommandReply is the answer to one step of an ad-hoc command.
type CommandReply struct {
	Node, SessionID string
	Status          string    // executing, completed, canceled
	Form            *DataForm // a form to fill (executing) or a result (completed)
	Note            string    // an informational note (completed)
}

// Command answers the ad-hoc command IQ id.
func (c CommandReply) Command(from, to, id string) string {
	var b strings.Builder
	b.WriteString("<command xmlns='" + NSCommands + "' node='" + Escape(c.Node) + "' sessionid='" + Escape(c.SessionID) + "' status='" + Escape(c.Status) + "'")
	if c.Form == nil && c.Note == "" {
		b.WriteString("/>")
		return iq(from, to, "result", id, b.String())
	}
	b.WriteString(">")
	if c.Status == "executing" {
		b.WriteString("<actions execute='complete'><complete/></actions>")
	}
	if c.Form != nil {
		c.Form.render(&b)
	}
	if c.Note != "" {
		b.WriteString("<note type='info'>" + Escape(c.Note) + "</note>")
	}
	b.WriteString("</command>")
	return iq(from, to, "result", id, b.String())
}
