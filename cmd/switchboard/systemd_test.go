package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// unit reads a systemd unit file's settings: key → values, in order.
func unit(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is not key=value", path, line)
		}
		out[k] = append(out[k], v)
	}
	return out
}

// The service file checks the configuration before it starts the desk,
// reloads with SIGHUP, runs as its own user with its state directory, and
// keeps the hardening.
func TestServiceFile(t *testing.T) {
	u := unit(t, "systemd/switchboard.service")
	want := map[string]string{
		"User": "switchboard", "StateDirectory": "switchboard", "ProtectSystem": "strict", "NoNewPrivileges": "yes",
		"ProtectHome": "yes", "PrivateTmp": "yes", "CapabilityBoundingSet": "", "ExecReload": "/bin/kill -HUP $MAINPID",
		"ExecStartPre": "/usr/local/bin/switchboard check -config /etc/switchboard/switchboard.toml",
		"ExecStart":    "/usr/local/bin/switchboard run -config /etc/switchboard/switchboard.toml",
	}
	for k, v := range want {
		if got := u[k]; len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	b := unit(t, "systemd/switchboard-backup.service")
	if x := strings.Join(b["ExecStart"], ""); !strings.Contains(x, "switchboard export -config /etc/switchboard/switchboard.toml -o /var/lib/switchboard/backups/") {
		t.Errorf("backup ExecStart = %q", x)
	}
	if tm := unit(t, "systemd/switchboard-backup.timer"); len(tm["OnCalendar"]) != 1 {
		t.Errorf("timer = %v", tm)
	}
	if sa, err := exec.LookPath("systemd-analyze"); err == nil {
		// Where systemd is installed, let it read the units too (it may
		// only warn about the binary's path, not yet installed here).
		out, _ := exec.Command(sa, "verify", "systemd/switchboard.service", "systemd/switchboard-backup.service", "systemd/switchboard-backup.timer").CombinedOutput()
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "Unknown key") || strings.Contains(line, "Failed to parse") || strings.Contains(line, "Invalid") {
				t.Errorf("systemd-analyze: %s", line)
			}
		}
	}
}
