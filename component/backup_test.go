package component_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/component/xmppclient"
	"switchboard/store"
)

// A backup taken while customers write restores into a new directory
// with every conversation the desk had when the export began.
func TestBackupUnderLoad(t *testing.T) {
	const customers = 6
	var users []string
	for i := 1; i <= customers; i++ {
		users = append(users, fmt.Sprintf("load%d", i))
	}
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, users...)
	e.startProc()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, u := range users {
		c := e.login(u, xmppclient.Options{})
		billingQuestion(t, c, "123456")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
				if c.Message(ctx(), entry, fmt.Sprintf("line %d", i)) != nil {
					return
				}
			}
		}()
	}
	waitFor(t, "every customer queued", func() bool { return e.waiting("billing") == customers })
	backup := filepath.Join(t.TempDir(), "backup.db")
	out, err := exec.Command(binary(t), "export", "-config", e.cfgPath, "-o", backup).CombinedOutput()
	close(stop)
	wg.Wait()
	if err != nil || !strings.Contains(string(out), "wrote "+backup) {
		t.Fatalf("export under load: %v\n%s", err, out)
	}

	// Restore into a new directory, with a configuration pointing there.
	dir := t.TempDir()
	cfg, err := os.ReadFile(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	newCfg := filepath.Join(dir, "switchboard.toml")
	if err := os.WriteFile(newCfg, []byte(strings.Replace(string(cfg), e.cfg.Store.Path, filepath.Join(dir, "restored.db"), 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(binary(t), "restore", "-config", newCfg, backup).CombinedOutput()
	if err != nil || !strings.Contains(string(out), fmt.Sprintf("%d conversations", customers)) {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	st, err := store.Open(filepath.Join(dir, "restored.db"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(func(tx *store.Tx) error {
		for id := uint64(1); id <= customers; id++ {
			c, err := tx.Conversation(id)
			if err != nil {
				return fmt.Errorf("conversation %d: %w", id, err)
			}
			msgs, err := tx.Transcript(id)
			if err != nil || len(msgs) < 3 {
				return fmt.Errorf("conversation %d (%s): %d messages, %v", id, c.Customer, len(msgs), err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
