package wal

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func record(i uint64) []byte { return bytes.Repeat([]byte{byte(i)}, int(i%50)+1) }

// write appends records 1..n to a new log in dir with small segments.
func write(t testing.TB, dir string, n int) *Log {
	t.Helper()
	l, err := Create(dir, 1, 7, 512)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if idx, err := l.Append(record(uint64(i))); err != nil || idx != uint64(i) {
			t.Fatalf("append %d = %d, %v", i, idx, err)
		}
		if i%3 == 0 {
			if err := l.Sync(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	return l
}

func readAll(t testing.TB, dir string) ([]uint64, Info, error) {
	t.Helper()
	var got []uint64
	info, err := Read(dir, func(index, meta uint64, data []byte) error {
		if meta != 7 {
			t.Fatalf("meta %d", meta)
		}
		if !bytes.Equal(data, record(index)) {
			t.Fatalf("record %d holds %x", index, data)
		}
		got = append(got, index)
		return nil
	})
	return got, info, err
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	l := write(t, dir, 100)
	names, _ := segments(dir)
	if len(names) < 5 {
		t.Fatalf("%d segments; the test wants several", len(names))
	}
	got, info, err := readAll(t, dir)
	if err != nil || len(got) != 100 || info.Next != 101 || info.Torn != "" {
		t.Fatalf("read %d records, %+v, %v", len(got), info, err)
	}
	// Release keeps only the segment being written.
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if names, _ := segments(dir); len(names) != 1 {
		t.Fatalf("after release: %v", names)
	}
	if _, err := l.Append(record(101)); err != nil {
		t.Fatal(err)
	}
	l.Sync()
	l.Close()
	got, info, err = readAll(t, dir)
	if err != nil || info.Next != 102 || got[len(got)-1] != 101 {
		t.Fatalf("after release: %v %+v %v", got, info, err)
	}
	if err := Remove(dir); err != nil {
		t.Fatal(err)
	}
	if _, info, err = readAll(t, dir); err != nil || info.Next != 0 {
		t.Fatalf("after remove: %+v %v", info, err)
	}
}

func lastSegment(t testing.TB, dir string) string {
	names, err := segments(dir)
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	return names[len(names)-1]
}

// A write cut short at any byte, or garbage where the next record would
// go, ends the log after the last whole record.
func TestTornTail(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, 20).Close()
	name := lastSegment(t, dir)
	whole, _ := os.ReadFile(name)
	_, info, _ := readAll(t, dir)
	// Where the records of the last segment end.
	end := int64(headerSize)
	Read(dir, func(index, _ uint64, data []byte) error {
		if filepath.Base(name) <= segmentName(index) {
			end += int64(recordMin + len(data))
		}
		return nil
	})
	next := appendRecord(nil, info.Next, record(info.Next))
	rng := rand.New(rand.NewPCG(1, 2))
	for cut := 1; cut < len(next); cut++ {
		b := append(bytes.Clone(whole[:end]), next[:cut]...)
		if rng.IntN(2) == 0 {
			b = append(b, make([]byte, len(whole)-len(b))...) // still preallocated
		}
		os.WriteFile(name, b, 0o600)
		got, info, err := readAll(t, dir)
		if err != nil || len(got) != 20 || info.Next != 21 {
			t.Fatalf("cut at %d: %d records, %+v, %v", cut, len(got), info, err)
		}
		if cut > 0 && info.Torn != name && !zero(next[:cut]) {
			t.Fatalf("cut at %d: not reported torn: %+v", cut, info)
		}
	}
	for range 50 {
		junk := make([]byte, 1+rng.IntN(100))
		for i := range junk {
			junk[i] = byte(rng.Uint32())
		}
		os.WriteFile(name, append(bytes.Clone(whole[:end]), junk...), 0o600)
		if got, _, err := readAll(t, dir); err != nil || len(got) != 20 {
			t.Fatalf("junk %x: %d records, %v", junk, len(got), err)
		}
	}
}

// Damage before the end of the log is refused, naming file and offset.
func TestCorrupt(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, 40).Close()
	names, _ := segments(dir)
	for i, tc := range []struct {
		name string
		file string
		at   int64
		edit func([]byte) []byte
	}{
		{"a flipped bit in a record", names[1], headerSize, func(b []byte) []byte { b[headerSize+14] ^= 1; return b }},
		{"a damaged header", names[2], 0, func(b []byte) []byte { b[3] = 'x'; return b }},
		{"the last segment's first record", names[len(names)-1], headerSize, func(b []byte) []byte { b[headerSize+recordHead] ^= 0x80; return b }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := os.ReadFile(tc.file)
			old := bytes.Clone(b)
			os.WriteFile(tc.file, tc.edit(b), 0o600)
			defer os.WriteFile(tc.file, old, 0o600)
			_, _, err := readAll(t, dir)
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.File != tc.file || ce.Offset != tc.at {
				t.Fatalf("case %d: %v", i, err)
			}
			t.Log(err)
		})
	}
	// A missing segment leaves a gap in the indexes.
	os.Remove(names[1])
	_, _, err := readAll(t, dir)
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.File != names[2] {
		t.Fatalf("gap: %v", err)
	}
}

// Read never panics and never calls back with a record that is not
// whole, whatever a segment holds.
func FuzzRead(f *testing.F) {
	var seed []byte
	for i := uint64(1); i < 4; i++ {
		seed = appendRecord(seed, i, record(i))
	}
	f.Add(seed)
	f.Add(seed[:len(seed)-3])
	f.Add([]byte{})
	dir := f.TempDir()
	name := filepath.Join(dir, segmentName(1))
	f.Fuzz(func(t *testing.T, body []byte) {
		os.WriteFile(name, append(header(1, 7), body...), 0o600)
		n := uint64(0)
		_, err := Read(dir, func(index, _ uint64, data []byte) error {
			n++
			if index != n {
				return fmt.Errorf("record %d after %d", index, n-1)
			}
			return nil
		})
		var ce *CorruptError
		if err != nil && !errors.As(err, &ce) {
			t.Fatal(err)
		}
	})
}
