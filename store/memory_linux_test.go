package store

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

func rssFile(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "RssFile:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("no RssFile in /proc/self/status")
	return 0
}

// TestReleaseMemory reads 8 MiB of transcripts through bbolt's map, drops
// the map's pages, and reads them all again.
func TestReleaseMemory(t *testing.T) {
	s, err := Open(t.TempDir()+"/sb.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	body := strings.Repeat("x", 2000)
	for round := 0; round < 4; round++ {
		err := s.Update(context.Background(), func(tx *Tx) error {
			for i := 0; i < 1024; i++ {
				if err := tx.AppendMessage(uint64(i%16), Message{From: "customer", Body: body}); err != nil {
					return err
				}
			}
			return tx.fold()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	readAll := func() {
		t.Helper()
		err := s.View(func(tx *Tx) error {
			for id := uint64(0); id < 16; id++ {
				msgs, err := tx.Transcript(id)
				if err != nil {
					return err
				}
				if len(msgs) != 256 || msgs[255].Body != body {
					t.Fatalf("conversation %d: %d messages", id, len(msgs))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	readAll()
	before := rssFile(t)
	if err := s.ReleaseMemory(); err != nil {
		t.Fatal(err)
	}
	after := rssFile(t)
	if before-after < 4<<20 {
		t.Errorf("file-backed RSS %d KiB before, %d KiB after: less than 4 MiB released", before>>10, after>>10)
	}
	readAll()
}
