package wal

import (
	"os"
	"syscall"
)

// preallocate reserves size bytes for f, read back as zeros, so that
// writing into them changes no metadata fdatasync would have to write.
func preallocate(f *os.File, size int64) error {
	for {
		err := syscall.Fallocate(int(f.Fd()), 0, 0, size)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EOPNOTSUPP {
			return f.Truncate(size)
		}
		return err
	}
}

func datasync(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
}
