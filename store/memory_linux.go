package store

import (
	"fmt"
	"syscall"
)

// dropPages advises the kernel that the mapped pages at addr are not
// needed: for a shared file mapping their contents stay in the file and
// the page cache.
func dropPages(addr, size uintptr) error {
	if size == 0 {
		return nil
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, addr, size, syscall.MADV_DONTNEED); errno != 0 {
		return fmt.Errorf("store: release memory: %w", errno)
	}
	return nil
}
