package component_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"switchboard/component"
	"switchboard/component/config"
	"switchboard/store"
)

const monitoring = "../cmd/switchboard/monitoring"

// Every metric the dashboard and the alert rules name is one the daemon
// registers, and the rules are valid Prometheus rules.
func TestMonitoringNamesRegisteredMetrics(t *testing.T) {
	cfg, err := config.Load("../cmd/switchboard/switchboard.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	st, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := component.New(cfg, st, component.Options{Registerer: reg}); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, mf := range mfs {
		known[mf.GetName()] = true
		if mf.GetType() == dto.MetricType_HISTOGRAM {
			for _, s := range []string{"_bucket", "_sum", "_count"} {
				known[mf.GetName()+s] = true
			}
		}
	}
	name := regexp.MustCompile(`switchboard_[a-z0-9_]+`)
	for _, f := range []string{"grafana-dashboard.json", "switchboard.rules.yml"} {
		b, err := os.ReadFile(filepath.Join(monitoring, f))
		if err != nil {
			t.Fatal(err)
		}
		names := slices.Compact(slices.Sorted(slices.Values(name.FindAllString(string(b), -1))))
		if len(names) < 5 {
			t.Fatalf("%s names only %v", f, names)
		}
		for _, n := range names {
			if !known[n] {
				t.Errorf("%s names %s, which switchboard does not register", f, n)
			}
		}
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool is missing under CI (Debian: apt-get install prometheus)")
		}
		t.Skip("promtool is not installed: the rules' syntax is not checked")
	}
	out, err := exec.Command(promtool, "check", "rules", filepath.Join(monitoring, "switchboard.rules.yml")).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
