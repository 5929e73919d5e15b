// Package wal is switchboard's write-ahead log: numbered records appended
// to preallocated segment files, each record checksummed, made durable in
// groups by one fdatasync.
//
// A segment is named after the index of its first record (16 hex digits,
// ".wal") and begins with a header:
//
//	magic "SBWAL\x00\x00\x01" | first index u64 | meta u64 | crc32c u32 | 0 u32
//
// followed by records, each
//
//	magic u32 | length u32 | crc32c u32 | index u64 | data
//
// where length counts index and data, and the checksum covers length,
// index and data. Segments are preallocated (so that fdatasync writes
// data, not the file's size) and filled with zeros past the last record.
// Indexes follow one another without gaps across segments.
package wal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	headerSize = 32
	recordHead = 12 // magic, length, checksum; the index follows
	recordMin  = recordHead + 8
	// MaxRecord bounds one record's data.
	MaxRecord = 256 << 20
	suffix    = ".wal"
)

var (
	segmentMagic = [8]byte{'S', 'B', 'W', 'A', 'L', 0, 0, 1}
	recordMagic  = uint32(0x53425752) // "SBWR"
	castagnoli   = crc32.MakeTable(crc32.Castagnoli)
)

// CorruptError reports a damaged record before the end of the log: the
// log cannot be trusted past it, and nothing was read from it.
type CorruptError struct {
	File   string
	Offset int64
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: offset %d: %s", e.File, e.Offset, e.Reason)
}

// segmentName is the file name of the segment whose first record is first.
func segmentName(first uint64) string { return fmt.Sprintf("%016x%s", first, suffix) }

// segments lists dir's segment files in order of their first index.
func segments(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, suffix) || e.IsDir() {
			continue
		}
		if _, err := strconv.ParseUint(strings.TrimSuffix(name, suffix), 16, 64); err != nil || len(name) != 16+len(suffix) {
			continue
		}
		names = append(names, filepath.Join(dir, name))
	}
	sort.Strings(names) // fixed-width hex sorts by index
	return names, nil
}

func header(first, meta uint64) []byte {
	b := make([]byte, headerSize)
	copy(b, segmentMagic[:])
	binary.BigEndian.PutUint64(b[8:], first)
	binary.BigEndian.PutUint64(b[16:], meta)
	binary.BigEndian.PutUint32(b[24:], crc32.Checksum(b[:24], castagnoli))
	return b
}

// appendRecord appends one record to b.
func appendRecord(b []byte, index uint64, data []byte) []byte {
	start := len(b)
	b = binary.BigEndian.AppendUint32(b, recordMagic)
	b = binary.BigEndian.AppendUint32(b, uint32(8+len(data)))
	b = binary.BigEndian.AppendUint32(b, 0)
	b = binary.BigEndian.AppendUint64(b, index)
	b = append(b, data...)
	sum := crc32.Update(crc32.Checksum(b[start+4:start+8], castagnoli), castagnoli, b[start+12:])
	binary.BigEndian.PutUint32(b[start+8:], sum)
	return b
}

// parseRecord reads the record at the start of b; ok is false when there
// is none that is whole and intact.
func parseRecord(b []byte) (index uint64, data []byte, size int, ok bool) {
	if len(b) < recordMin || binary.BigEndian.Uint32(b) != recordMagic {
		return 0, nil, 0, false
	}
	n := int(binary.BigEndian.Uint32(b[4:]))
	if n < 8 || n > MaxRecord+8 || n > len(b)-recordHead {
		return 0, nil, 0, false
	}
	body := b[recordHead : recordHead+n]
	sum := crc32.Update(crc32.Checksum(b[4:8], castagnoli), castagnoli, body)
	if sum != binary.BigEndian.Uint32(b[8:]) {
		return 0, nil, 0, false
	}
	return binary.BigEndian.Uint64(body), body[8:], recordHead + n, true
}
