package store_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/store"
	"switchboard/store/wal"
)

// The writer child of TestCrashLog: it opens the store at
// SWITCHBOARD_STORE_WRITER and writes steps from SWITCHBOARD_STORE_FROM
// on, printing each step's number once it is acknowledged, until killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("SWITCHBOARD_STORE_WRITER"); path != "" {
		os.Exit(writer(path))
	}
	os.Exit(m.Run())
}

// Steps spread over conversations: step k appends message k to
// conversation 1+k%7 and puts its record.
func step(k int) func(*store.Tx) error {
	id := uint64(1 + k%7)
	return func(tx *store.Tx) error {
		if err := tx.PutConversation(&store.Conversation{ID: id, Status: store.StatusOpen, Customer: "c@example.com", DialogNode: strconv.Itoa(k)}); err != nil {
			return err
		}
		return tx.AppendMessage(id, store.Message{From: "customer", Body: strconv.Itoa(k)})
	}
}

func writer(path string) int {
	from, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_STORE_FROM"))
	every, _ := time.ParseDuration(os.Getenv("SWITCHBOARD_STORE_APPLY"))
	s, err := store.Open(path, store.Options{ApplyEvery: every, SegmentSize: 32 << 10})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	out := bufio.NewWriterSize(os.Stdout, 0)
	for k := from; ; k++ {
		s.Submit(step(k), func(err error) {
			if err == nil {
				fmt.Fprintf(out, "%d\n", k)
			}
		})
		if k%50 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
}

// steps reads back every step the store holds, checking that each is
// there once, in order.
func steps(t *testing.T, path string) int {
	t.Helper()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seen := map[int]bool{}
	last := 0
	err = s.View(func(tx *store.Tx) error {
		for id := uint64(1); id <= 7; id++ {
			msgs, err := tx.Transcript(id)
			if err != nil {
				return err
			}
			prev := -1
			for _, m := range msgs {
				k, _ := strconv.Atoi(m.Body)
				if seen[k] {
					t.Fatalf("step %d is there twice", k)
				}
				if k <= prev || uint64(1+k%7) != id {
					t.Fatalf("conversation %d: step %d after %d", id, k, prev)
				}
				seen[k], prev = true, k
				last = max(last, k)
			}
			if c, err := tx.Conversation(id); err == nil && prev >= 0 && c.DialogNode != strconv.Itoa(prev) {
				t.Fatalf("conversation %d's record is from step %s, its last message from %d", id, c.DialogNode, prev)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= last; k++ {
		if !seen[k] {
			t.Fatalf("step %d is missing (the last is %d)", k, last)
		}
	}
	return last
}

// TestCrashLog kills a writing process at random points, damages the end
// of its log as a write cut short by a crash would (garbage, or the file
// cut), and checks that every acknowledged step is there once, and that
// damage before the end is refused with nothing changed.
// SWITCHBOARD_LONG=1 runs 200 rounds instead of 20.
func TestCrashLog(t *testing.T) {
	rounds := 20
	if os.Getenv("SWITCHBOARD_LONG") != "" {
		rounds = 200
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("seed %d, %d rounds", seed, rounds)
	path := filepath.Join(t.TempDir(), "sb.db")
	next := 1
	refused := 0
	for round := range rounds {
		apply := time.Duration(1+rng.IntN(200)) * time.Millisecond
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SWITCHBOARD_STORE_WRITER="+path, fmt.Sprintf("SWITCHBOARD_STORE_FROM=%d", next), "SWITCHBOARD_STORE_APPLY="+apply.String())
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		want := 1 + rng.IntN(2000)
		acked := 0
		r := bufio.NewReader(stdout)
		for n := 0; n < want; n++ {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("round %d: writer: %v %s", round, err, stderr.String())
			}
			acked, _ = strconv.Atoi(strings.TrimSpace(line))
		}
		cmd.Process.Kill()
		// What it printed before it died was acknowledged too.
		rest, _ := io.ReadAll(r)
		for _, line := range strings.Fields(string(rest)) {
			acked, _ = strconv.Atoi(line)
		}
		cmd.Wait()

		info, err := wal.Read(store.LogDir(path), nil)
		if err != nil || info.Last == "" {
			t.Fatalf("round %d: log after the kill: %+v %v", round, info, err)
		}
		switch rng.IntN(4) {
		case 0: // as the kill left it
		case 1: // a record cut short: garbage where the next would go
			junk := make([]byte, 1+rng.IntN(300))
			for i := range junk {
				junk[i] = byte(rng.Uint32())
			}
			writeAt(t, info.Last, info.End, junk)
		case 2: // the file cut anywhere after the last record
			if err := os.Truncate(info.Last, info.End+int64(rng.IntN(64))); err != nil {
				t.Fatal(err)
			}
		case 3: // damage before the end is refused, and changes nothing
			// The last segment's first record, with another after it (the
			// record format is in package wal's doc).
			seg, _ := os.ReadFile(info.Last)
			if info.End <= 44 || info.End <= 44+int64(binary.BigEndian.Uint32(seg[36:])) {
				break
			}
			before := snapshot(t, path)
			at := 32 + int64(rng.IntN(20))
			b := readAt(t, info.Last, at)
			writeAt(t, info.Last, at, []byte{b ^ 0x55})
			damaged := snapshot(t, path)
			_, err := store.Open(path, store.Options{})
			var ce *wal.CorruptError
			if err == nil || !errors.As(err, &ce) || !strings.Contains(err.Error(), info.Last) || !strings.Contains(err.Error(), "offset 32") {
				t.Fatalf("round %d: open with a damaged record: %v", round, err)
			}
			if snapshot(t, path) != damaged {
				t.Fatalf("round %d: the refused open changed files", round)
			}
			writeAt(t, info.Last, at, []byte{b})
			if snapshot(t, path) != before {
				t.Fatal("could not undo the damage")
			}
			refused++
		}
		last := steps(t, path)
		if last < acked {
			t.Fatalf("round %d: %d steps acknowledged, %d there", round, acked, last)
		}
		next = last + 1
	}
	t.Logf("%d steps written in all; %d opens of a damaged log refused", next-1, refused)
}

func writeAt(t *testing.T, name string, at int64, b []byte) {
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, at); err != nil {
		t.Fatal(err)
	}
}

func readAt(t *testing.T, name string, at int64) byte {
	b, err := os.ReadFile(name)
	if err != nil || int64(len(b)) <= at {
		t.Fatal(err)
	}
	return b[at]
}

// snapshot is the content of the database and its log, to compare.
func snapshot(t *testing.T, path string) string {
	var b strings.Builder
	for _, name := range append([]string{path}, must(filepath.Glob(filepath.Join(store.LogDir(path), "*")))...) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %x\n", name, len(data), data)
	}
	return b.String()
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
