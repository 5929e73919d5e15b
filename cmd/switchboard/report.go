package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/component/api"
	"switchboard/store"
	"switchboard/store/report"
)

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgFile := fs.String("config", "switchboard.toml", configHelp)
	today := time.Now().Format("2006-01-02")
	from := fs.String("from", time.Now().AddDate(0, 0, -6).Format("2006-01-02"), "first day (or an RFC 3339 time)")
	to := fs.String("to", today, "last day, included (or an RFC 3339 time)")
	by := fs.String("by", "queue", "queue, agent or day")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseWithArgs(fs, args); err != nil {
		return exitError(2)
	}
	q := url.Values{"from": {*from}, "to": {*to}, "by": {*by}}
	f, t, b, err := api.ParseReportQuery(q, time.Local)
	if err != nil {
		return err
	}
	r, err := openRecords(*cfgFile, stderr)
	if err != nil {
		return err
	}
	var rep *report.Report
	err = r.get(ctx, "/api/v1/reports?"+q.Encode(), &rep, nil)
	if errors.Is(err, errNoDaemon) {
		err = r.view(func(st *store.Store) error {
			return st.View(func(tx *store.Tx) (err error) {
				rep, err = report.Of(tx, f, t, b, time.Local)
				return err
			})
		})
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, rep)
	}
	printReport(stdout, rep)
	return nil
}

func printReport(w io.Writer, r *report.Report) {
	fmt.Fprintf(w, "Conversations that ended from %s to %s, by %s\n\n", r.From.Local().Format("2006-01-02 15:04"), r.To.Local().Format("2006-01-02 15:04"), r.By)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.ToUpper(string(r.By))+"\tended\tqueued\tanswered\tleft dialog\tleft queue\tcallbacks\tmessages\ttransfers\twait p50/p90\tfirst reply p50/p90\thandle p50/p90\trating\t")
	for _, row := range append(r.Rows, r.Total) {
		rating := "-"
		if row.Rated > 0 {
			rating = fmt.Sprintf("%.2f (%d)", row.RatingAverage, row.Rated)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", row.Key, row.Ended, row.Offered, row.Answered,
			row.AbandonedDialog, row.AbandonedQueue, row.Callbacks, row.Messages, row.Transfers,
			quant(row.Wait), quant(row.FirstReply), quant(row.Handle), rating)
	}
	tw.Flush()
	if r.Total.Rated > 0 {
		fmt.Fprintf(w, "\nratings 1–5: %v\n", r.Total.Ratings)
	}
}

func quant(q report.Quantiles) string {
	if q.N == 0 {
		return "-"
	}
	d := func(s float64) string { return (time.Duration(s) * time.Second).String() }
	return d(q.P50) + " / " + d(q.P90)
}
