package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/component/api"
)

// printList prints one page of conversations as a table.
func printList(w io.Writer, page api.ListPage) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tQUEUE\tCHANNEL\tCUSTOMER\tAGENT\tCREATED\tTAGS")
	for _, c := range page.Conversations {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Status, dash(c.Queue), dash(c.Channel), c.Customer, dash(c.Agent),
			c.Created.Local().Format("2006-01-02 15:04"), strings.Join(c.Tags, ","))
	}
	tw.Flush()
	if page.Next != "" {
		fmt.Fprintf(w, "more: add -before %s\n", page.Next)
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// printConversation prints a conversation for a person: the record, then
// the timeline and the transcript, times in loc.
func printConversation(w io.Writer, v api.ConversationView, loc *time.Location) {
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04:05") }
	clock := func(t time.Time) string { return t.In(loc).Format("15:04:05") }
	title := fmt.Sprintf("Conversation %d", v.ID)
	if v.Room != "" {
		title += " (" + v.Room + ")"
	}
	fmt.Fprintln(w, title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, val string) {
		if val != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", k, val)
		}
	}
	row("status", v.Status+", "+v.Kind)
	row("customer", v.Customer+" via "+v.Entry)
	if v.Channel != "" && v.Channel != "xmpp" {
		row("channel", v.Channel+", "+v.Address)
	}
	client := strings.TrimSpace(v.Client.Name + " " + v.Client.Version)
	if v.Client.OS != "" {
		client += " on " + v.Client.OS
	}
	row("client", client)
	row("language", v.Language)
	row("queue", v.Queue)
	row("agent", v.Agent)
	row("created", day(v.Created))
	if v.Closed != nil {
		closed := day(*v.Closed)
		if v.Resolution != "" {
			closed += " — " + v.Resolution
		}
		row("closed", closed)
	}
	if v.ReopenUntil != nil {
		row("reopenable", "until "+day(*v.ReopenUntil))
	}
	for _, k := range slices.Sorted(maps.Keys(v.Answers)) {
		row("answer", k+": "+v.Answers[k])
	}
	row("tags", strings.Join(v.Tags, ", "))
	for i, t := range v.Todos {
		mark := "[ ]"
		if t.Done {
			mark = "[x]"
		}
		row("todo", fmt.Sprintf("%s #%d %s", mark, i+1, t.Text))
	}
	if v.Rating != nil {
		row("rating", fmt.Sprintf("%d/5", *v.Rating))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nTimeline (%d)\n", len(v.Timeline))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, e := range v.Timeline {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", clock(e.At), e.Actor, e.Action, oneLine(e.Detail, 100))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nTranscript (%d)\n", len(v.Transcript))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, m := range v.Transcript {
		from := m.From
		if m.Private {
			from += " (private)"
		}
		body := m.Body
		if m.URL != "" {
			body = strings.TrimSpace(body + " [" + m.URL + "]")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", clock(m.At), from, oneLine(body, 200))
	}
	tw.Flush()
}

// oneLine keeps a table row on one line.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}
