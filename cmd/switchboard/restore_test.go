package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/store"
	"switchboard/store/backup"
)

// TestMain lets the test binary stand in for switchboard as restore's
// child, which checks a backup in a process of its own.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "verify-store" {
		if err := cmdVerifyStore(os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "switchboard:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRestore restores an export into a new directory, refuses a store a
// desk holds, and refuses a damaged copy without touching anything.
func TestRestore(t *testing.T) {
	dir, cfgFile := seeded(t)
	bak := filepath.Join(dir, "backup.db")
	if out, err := cli(t, "export", "-config", cfgFile, "-o", bak); err != nil {
		t.Fatalf("export: %s %v", out, err)
	}

	// Into a new directory.
	_, other := seeded(t)
	os.Remove(filepath.Join(filepath.Dir(other), "sb.db"))
	out, err := cli(t, "restore", "-config", other, bak)
	if err != nil || !strings.Contains(out, "1 conversations") {
		t.Fatalf("restore = %q, %v", out, err)
	}
	if out, err := cli(t, "conversations", "show", "-config", other, "1"); err != nil || !strings.Contains(out, "rating    4/5") {
		t.Fatalf("the restored record: %s %v", out, err)
	}

	// Over a store a desk holds: refused.
	st, err := store.Open(filepath.Join(dir, "sb.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, "restore", "-config", cfgFile, bak); err == nil || !strings.Contains(err.Error(), "stop it first") {
		t.Errorf("restore over a store in use: %v", err)
	}
	st.Close()

	// A damaged copy: refused with what is wrong, the store untouched.
	data, _ := os.ReadFile(bak)
	for i := 2 * 4096; i < len(data); i += 97 {
		data[i] ^= 0x5a
	}
	bad := filepath.Join(dir, "damaged.db")
	os.WriteFile(bad, data, 0o600)
	_, err = cli(t, "restore", "-config", cfgFile, bad)
	t.Logf("restore of a damaged copy: %v", err)
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("restore of a damaged copy: %v", err)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "sb.db.before-restore-*"))
	if len(matches) != 0 {
		t.Errorf("a refused restore moved the store aside: %v", matches)
	}
	if _, err := backup.Verify(filepath.Join(dir, "sb.db")); err != nil {
		t.Errorf("the store after a refused restore: %v", err)
	}
	out, err = cli(t, "restore", "-config", cfgFile, bak)
	if err != nil || !strings.Contains(out, "kept as "+filepath.Join(dir, "sb.db.before-restore-")) {
		t.Errorf("restore over a stopped store = %q, %v", out, err)
	}
}
