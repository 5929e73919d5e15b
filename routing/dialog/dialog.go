package dialog

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Action is what a dialog ends in instead of (or besides) a queue.
type Action string

// The actions of a dialog.
const (
	ActionNone     Action = ""
	ActionStatus   Action = "status"   // show the desk status, then ask again
	ActionCallback Action = "callback" // leave a callback request
	ActionMessage  Action = "message"  // leave a message
	ActionEnd      Action = "end"      // say goodbye and close
)

// ValidAction reports whether a is one of the known actions.
func ValidAction(a Action) bool {
	switch a {
	case ActionStatus, ActionCallback, ActionMessage, ActionEnd:
		return true
	}
	return false
}

// Then is where a node or option leads: exactly one of Next, Queue or Action
// is set, except that a callback or message Action names its Queue too
// (Priority and Needs travel with it).
type Then struct {
	Next     string   // another node of the same dialog
	Queue    string   // hand the conversation to this queue
	Action   Action   // status, callback, message or end
	Priority int      // added to the conversation's priority
	Needs    []string // client features the agent must support
}

// Option is one answer of a menu.
type Option struct {
	Key      string
	Label    string
	Keywords []string
	Then
}

// Node is one step of a dialog. A node with Options is a menu, a node with
// a Field is a question, and a node with neither is a message that leads on
// at once.
type Node struct {
	Name    string
	Say     string
	Options []Option
	Field   string
	Pattern *regexp.Regexp // nil accepts any non-empty answer
	Hint    string         // said when an answer to a question is refused
	Then
}

// Dialog is a named set of nodes that begins at the node called "start".
type Dialog struct {
	Name  string
	Nodes map[string]*Node
	// Phrases are the dialog's own answers to what it did not take, in
	// the customer's language; nil: English.
	Phrases Phrases
}

// Phrases are what a dialog says when it does not take an answer.
type Phrases interface {
	// NotUnderstood re-asks a menu of n options no answer matched.
	NotUnderstood(n int) string
	// Ambiguous re-asks a menu whose answer matched several options.
	Ambiguous(options []Option) string
	// BadAnswer re-asks a question whose answer was refused, for a node
	// without a hint of its own.
	BadAnswer() string
}

// English are the phrases of a dialog without its own.
type English struct{}

func (English) NotUnderstood(n int) string {
	return fmt.Sprintf("Sorry, I didn't catch that. Please answer with a number from 1 to %d, or describe your question in a few words.", n)
}

func (English) Ambiguous(options []Option) string {
	var b strings.Builder
	b.WriteString("That could mean more than one thing:")
	for _, o := range options {
		fmt.Fprintf(&b, " %s) %s;", o.Key, o.Label)
	}
	b.WriteString(" please answer with one of those keys.")
	return b.String()
}

func (English) BadAnswer() string { return "Sorry, that answer doesn't look right." }

func (d *Dialog) phrases() Phrases {
	if d.Phrases == nil {
		return English{}
	}
	return d.Phrases
}

// StartNode is the name of the node every dialog begins at.
const StartNode = "start"

// State is one conversation's place in a dialog.
type State struct {
	Node     string
	Answers  map[string]string
	Priority int
	Needs    []string
}

// Reply is what the dialog says after a step and where it stands.
type Reply struct {
	// Say holds the messages for the customer, in order.
	Say []string
	// Done is true when the dialog has finished; Queue or Action tell how
	// (both for a callback or a message: the queue that takes it).
	Done   bool
	Queue  string
	Action Action
}

// Prompt renders a node as the customer sees it: the say text verbatim and,
// for a menu, one line per option with its key and label.
func (n *Node) Prompt() string {
	if len(n.Options) == 0 {
		return n.Say
	}
	var b strings.Builder
	b.WriteString(n.Say)
	for _, o := range n.Options {
		b.WriteString("\n")
		b.WriteString(o.Key)
		b.WriteString(") ")
		b.WriteString(o.Label)
	}
	return b.String()
}

// maxHops bounds how many message nodes one step may pass through, so that a
// cycle of message nodes (which config validation refuses) cannot spin.
const maxHops = 64

// Start begins the dialog and returns its first prompts.
func (d *Dialog) Start(st *State) Reply { return d.StartAt(st, StartNode) }

// ClosedNode is the node a dialog begins at, when it has one, while its
// entry point is out of its business hours.
const ClosedNode = "closed"

// StartAt begins the dialog at the named node.
func (d *Dialog) StartAt(st *State, node string) Reply {
	*st = State{Node: node, Answers: map[string]string{}}
	return d.enter(st, node, nil)
}

// Repeat says the current node again, for a customer who asks where they are.
func (d *Dialog) Repeat(st *State) Reply {
	n := d.Nodes[st.Node]
	if n == nil {
		return Reply{Done: true, Action: ActionEnd}
	}
	return Reply{Say: []string{n.Prompt()}}
}

// Answer takes the customer's answer to the current node.
func (d *Dialog) Answer(st *State, text string) Reply {
	n := d.Nodes[st.Node]
	if n == nil {
		return Reply{Done: true, Action: ActionEnd}
	}
	text = strings.TrimSpace(text)
	switch {
	case len(n.Options) > 0:
		o, hint := n.match(text, d.phrases())
		if o == nil {
			return Reply{Say: []string{hint + "\n\n" + n.Prompt()}}
		}
		return d.follow(st, n, o.Then, nil)
	case n.Field != "":
		if text == "" || (n.Pattern != nil && !n.Pattern.MatchString(text)) {
			hint := n.Hint
			if hint == "" {
				hint = d.phrases().BadAnswer()
			}
			return Reply{Say: []string{hint + "\n\n" + n.Prompt()}}
		}
		if st.Answers == nil {
			st.Answers = map[string]string{}
		}
		st.Answers[n.Field] = text
		return d.follow(st, n, n.Then, nil)
	default:
		return d.follow(st, n, n.Then, nil)
	}
}

// follow takes the way out of node n described by t.
func (d *Dialog) follow(st *State, n *Node, t Then, say []string) Reply {
	st.Priority += t.Priority
	st.Needs = appendNew(st.Needs, t.Needs...)
	switch {
	case t.Action == ActionStatus:
		// The caller tells the status; the customer stays where they are.
		return Reply{Say: append(say, n.Prompt()), Action: ActionStatus}
	case t.Action != ActionNone:
		return Reply{Say: say, Done: true, Action: t.Action, Queue: t.Queue}
	case t.Queue != "":
		return Reply{Say: say, Done: true, Queue: t.Queue}
	case t.Next != "":
		return d.enter(st, t.Next, say)
	}
	return Reply{Say: say, Done: true, Action: ActionEnd}
}

// enter moves to node name, saying it, and passes on through message nodes.
func (d *Dialog) enter(st *State, name string, say []string) Reply {
	for hop := 0; hop < maxHops; hop++ {
		n := d.Nodes[name]
		if n == nil {
			return Reply{Say: say, Done: true, Action: ActionEnd}
		}
		st.Node = name
		if n.Say != "" || len(n.Options) > 0 {
			say = append(say, n.Prompt())
		}
		if len(n.Options) > 0 || n.Field != "" {
			return Reply{Say: say}
		}
		t := n.Then
		st.Priority += t.Priority
		st.Needs = appendNew(st.Needs, t.Needs...)
		if t.Next == "" {
			return d.follow(st, n, Then{Queue: t.Queue, Action: t.Action}, say)
		}
		name = t.Next
	}
	return Reply{Say: say, Done: true, Action: ActionEnd}
}

// match finds the option an answer picks: by key, by number, by label, then
// by keyword. With no single match it returns a hint for the re-ask.
func (n *Node) match(text string, p Phrases) (*Option, string) {
	t := strings.ToLower(text)
	if t == "" {
		return nil, p.NotUnderstood(len(n.Options))
	}
	for i := range n.Options {
		if strings.ToLower(n.Options[i].Key) == t {
			return &n.Options[i], ""
		}
	}
	if i, ok := number(t); ok && i >= 1 && i <= len(n.Options) {
		return &n.Options[i-1], ""
	}
	for i := range n.Options {
		if strings.ToLower(n.Options[i].Label) == t {
			return &n.Options[i], ""
		}
	}
	words := Words(t)
	var found []*Option
	for i := range n.Options {
		if n.Options[i].matchesKeyword(t, words) {
			found = append(found, &n.Options[i])
		}
	}
	switch len(found) {
	case 1:
		return found[0], ""
	case 0:
		return nil, p.NotUnderstood(len(n.Options))
	}
	opts := make([]Option, len(found))
	for i, o := range found {
		opts[i] = *o
	}
	return nil, p.Ambiguous(opts)
}

// matchesKeyword reports whether any keyword of o appears in the answer: a
// one-word keyword matches the start of a word ("invoice" matches
// "invoices"), a longer one matches the words in sequence.
func (o *Option) matchesKeyword(text string, words []string) bool {
	for _, k := range o.Keywords {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		if strings.ContainsAny(k, " \t") {
			if strings.Contains(" "+strings.Join(words, " ")+" ", " "+strings.Join(Words(k), " ")+" ") {
				return true
			}
			continue
		}
		for _, w := range words {
			if strings.HasPrefix(w, k) {
				return true
			}
		}
	}
	return false
}

// Words splits lower-cased text into words of letters and digits.
func Words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !(r == '-' || r == '\'' || unicode.IsLetter(r) || unicode.IsDigit(r))
	})
}

// number parses a small decimal number, allowing a trailing "." or ")".
func number(t string) (int, bool) {
	t = strings.TrimRight(t, ".)")
	if t == "" || len(t) > 4 {
		return 0, false
	}
	n := 0
	for _, r := range t {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

func appendNew(list []string, add ...string) []string {
outer:
	for _, a := range add {
		for _, l := range list {
			if l == a {
				continue outer
			}
		}
		list = append(list, a)
	}
	return list
}
