package wal

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
)

// Info describes a log that Read went through.
type Info struct {
	// Next is the index after the last intact record (0 for an empty log).
	Next uint64
	// Records counts the intact records.
	Records int
	// Torn, when not empty, is where the last segment's records end in a
	// record that was never written whole: a write cut short by a crash.
	// Nothing after it was ever acknowledged.
	Torn   string
	TornAt int64
	// Last is the last segment, and End the offset in it after its last
	// intact record: where the next record would have gone.
	Last string
	End  int64
}

// Read calls fn, in order, with every intact record of the log in dir and
// the meta of the segment holding it. A record cut short at the very end
// of the log is left out and described in Info; a damaged record with
// intact ones after it, a gap in the indexes or a damaged header is a
// *CorruptError. A missing directory is an empty log. fn may be nil to
// check the log without reading it.
func Read(dir string, fn func(index, meta uint64, data []byte) error) (Info, error) {
	var info Info
	names, err := segments(dir)
	if err != nil {
		return info, err
	}
	for i, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return info, err
		}
		last := i == len(names)-1
		if len(b) < headerSize || !bytes.Equal(b[:8], segmentMagic[:]) || binary.BigEndian.Uint32(b[24:]) != crc32.Checksum(b[:24], castagnoli) {
			if last && zero(b) {
				// Created, but the crash came before its header was
				// written: it holds nothing.
				break
			}
			return info, &CorruptError{File: name, Offset: 0, Reason: "damaged segment header"}
		}
		first := binary.BigEndian.Uint64(b[8:])
		meta := binary.BigEndian.Uint64(b[16:])
		if filepath.Base(name) != segmentName(first) {
			return info, &CorruptError{File: name, Offset: 8, Reason: fmt.Sprintf("header says the first index is %d", first)}
		}
		if info.Next != 0 && first != info.Next {
			return info, &CorruptError{File: name, Offset: 8, Reason: fmt.Sprintf("segment starts at index %d, after a segment ending at %d", first, info.Next-1)}
		}
		next := first
		info.Last, info.End = name, headerSize
		for off := headerSize; off < len(b); {
			index, data, size, ok := parseRecord(b[off:])
			if ok && index != next {
				return info, &CorruptError{File: name, Offset: int64(off), Reason: fmt.Sprintf("record %d where %d belongs", index, next)}
			}
			if ok {
				if fn != nil {
					if err := fn(index, meta, data); err != nil {
						return info, err
					}
				}
				info.Records++
				next++
				off += size
				info.End = int64(off)
				continue
			}
			if zero(b[off:]) {
				break // the preallocated rest
			}
			if !last || intactAfter(b[off+1:]) {
				return info, &CorruptError{File: name, Offset: int64(off), Reason: "damaged record with intact records after it"}
			}
			info.Torn, info.TornAt = name, int64(off)
			break
		}
		info.Next = next
	}
	return info, nil
}

func zero(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b) != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// intactAfter reports whether an intact record starts anywhere in b.
func intactAfter(b []byte) bool {
	var magic [4]byte
	binary.BigEndian.PutUint32(magic[:], recordMagic)
	for {
		i := bytes.Index(b, magic[:])
		if i < 0 {
			return false
		}
		if _, _, _, ok := parseRecord(b[i:]); ok {
			return true
		}
		b = b[i+1:]
	}
}
