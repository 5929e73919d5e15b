package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"text/tabwriter"
	"time"
)

func main() {
	hours := flag.Int("hours", 24*7, "simulated hours per scenario")
	seed := flag.Uint64("seed", 1, "random seed")
	run := flag.String("run", "", "only the scenarios whose name matches this regular expression")
	flag.Parse()
	re, err := regexp.Compile(*run)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sbsim: -run: %v\n", err)
		os.Exit(2)
	}
	var chosen []scenario
	for _, s := range scenarios {
		if re.MatchString(s.name) {
			chosen = append(chosen, s)
		}
	}
	if len(chosen) == 0 {
		fmt.Fprintf(os.Stderr, "sbsim: no scenario matches %q\n", *run)
		os.Exit(2)
	}
	report(os.Stdout, chosen, time.Duration(*hours)*time.Hour, *seed)
}

// report simulates each scenario and prints the comparison table.
func report(w io.Writer, list []scenario, span time.Duration, seed uint64) (results []result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "scenario\tqueued\tgave up\t")
	for _, m := range methodNames {
		fmt.Fprintf(tw, "%s MAE\ttoo little\t", m)
	}
	fmt.Fprintf(tw, "vs better peer\t\n")
	var all result
	line := func(name string, r result) {
		fmt.Fprintf(tw, "%s\t%d\t%.0f%%\t", name, r.queued, 100*float64(r.gaveUp)/max(float64(r.queued), 1))
		for m := range methods {
			if r.scores[m].n == 0 {
				fmt.Fprintf(tw, "–\t–\t")
				continue
			}
			fmt.Fprintf(tw, "%s\t%.0f%%\t", minutes(r.scores[m].mae()), 100*r.scores[m].lessShare())
		}
		fmt.Fprintf(tw, "%.2f\t\n", r.ratio())
	}
	for i, s := range list {
		r := simulate(s, span, seed+uint64(i))
		results = append(results, r)
		line(s.name, r)
		all.customers += r.customers
		all.queued += r.queued
		all.gaveUp += r.gaveUp
		all.unknown += r.unknown
		for m := range floor { // the floor is one scenario's, not a sum's
			all.scores[m].n += r.scores[m].n
			all.scores[m].absErr += r.scores[m].absErr
			all.scores[m].tooLess += r.scores[m].tooLess
		}
	}
	line("overall", all)
	tw.Flush()
	fmt.Fprintf(w, "MAE: mean absolute error of the wait told to customers who had to wait (after %v of warm-up); too little: waited over max(1 min, 20%%) longer than told; vs better peer: switchboard's MAE / the lower peer MAE (target ≤ 0.50); best possible (one-slot desks only): the median of the real wait's distribution, knowing the true handle times and how long the conversation in hand has run. switchboard had no number for %d of %d.\n",
		time.Duration(warmup)*time.Second, all.unknown, all.queued)
	return results
}

// ratio is switchboard's error over the better peer's.
func (r result) ratio() float64 {
	return r.scores[ours].mae() / max(min(r.scores[fastpath].mae(), r.scores[rocket].mae()), 1e-9)
}

func minutes(s float64) string { return fmt.Sprintf("%.1f min", s/60) }
