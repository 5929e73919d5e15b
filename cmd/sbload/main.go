package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"switchboard/component/config"
)

type options struct {
	customers int
	agents    int
	messages  int
	window    int
	rounds    int
	rate      int
	nagle     bool
	// flood, when set, runs the abuse measurement instead: one more
	// customer sends this many messages per second while the others are
	// paced at floodBase in all.
	flood     int
	floodBase int
	// applyEvery is the desk's store.apply_every.
	applyEvery time.Duration
	linger     time.Duration
	timeout    time.Duration
	keep       bool
	verbose    bool
	// channels, when set, measures the SMS channel instead, each phase
	// for phase.
	channels bool
	phase    time.Duration
}

func main() {
	// The desk runs as a child process of sbload so that its CPU and
	// memory are its own: "sbload -desk CONFIG" is that child.
	if len(os.Args) == 3 && os.Args[1] == "-desk" {
		os.Exit(runDesk(os.Args[2]))
	}
	var o options
	flag.IntVar(&o.customers, "customers", 200, "customer sessions, one conversation each")
	flag.IntVar(&o.agents, "agents", 20, "agent sessions; conversations are spread over them")
	flag.IntVar(&o.messages, "messages", 100, "messages per conversation in each direction")
	flag.IntVar(&o.rounds, "rounds", 4, "rounds in which the direct and relayed paths take turns")
	flag.IntVar(&o.window, "window", 8, "messages a sender may have in flight (as fast as possible)")
	flag.IntVar(&o.rate, "rate", 0, "total messages per second to pace at (0: as fast as the window allows)")
	flag.BoolVar(&o.nagle, "nagle", false, "leave Nagle's algorithm on in Prosody (its default)")
	flag.IntVar(&o.flood, "flood", 0, "instead of throughput: one customer floods at this many msg/s while the rest are paced at -flood-base")
	flag.IntVar(&o.floodBase, "flood-base", 400, "with -flood: total msg/s of the paced customers and agents")
	flag.DurationVar(&o.applyEvery, "apply-every", config.Defaults().Store.ApplyEvery, "the desk's store.apply_every")
	flag.DurationVar(&o.linger, "linger", config.Defaults().Store.Linger, "the desk's store.linger")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up after this long")
	flag.BoolVar(&o.channels, "channels", false, "instead of throughput: the SMS channel against a fake provider (-customers numbers, -rate requests/s, default 200)")
	flag.DurationVar(&o.phase, "phase", 10*time.Second, "with -channels: how long each direction is measured")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (Prosody and desk logs)")
	flag.BoolVar(&o.verbose, "v", false, "progress on stderr")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: sbload [flags]\n\n"+
			"Starts Prosody (loopback, random ports) and switchboard, logs in customer and\n"+
			"agent sessions, and measures direct vs relayed throughput (or, with -flood,\n"+
			"others' latency while one customer floods). Needs prosody.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if o.customers < 1 || o.agents < 1 || o.messages < 1 || o.window < 1 || o.rounds < 1 || o.rounds > 100 || o.customers > 5000 || o.messages > 100000 || o.flood < 0 || o.flood > 100000 || o.floodBase < 1 {
		fmt.Fprintln(os.Stderr, "sbload: customers 1–5000, agents ≥ 1, messages 1–100000, window ≥ 1, rounds 1–100, flood 0–100000, flood-base ≥ 1")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	level := slog.LevelWarn
	if o.verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	runner := run
	if o.channels {
		runner = channelsRun
	}
	if err := runner(ctx, o, log); err != nil {
		fmt.Fprintln(os.Stderr, "sbload:", err)
		os.Exit(1)
	}
}
