package component

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"switchboard/routing"
)

// Handler serves /healthz, /readyz, /metrics and the public desk status.
func (d *Desk) Handler(g prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !d.Ready() {
			http.Error(w, "not connected to the XMPP server", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /api/v1/status", d.apiStatus)
	mux.Handle("/api/v1/", d.api())
	// Profiles for operators, behind the API token.
	mux.Handle("GET /debug/pprof/", d.bearer(http.HandlerFunc(pprof.Index)))
	mux.Handle("GET /debug/pprof/profile", d.bearer(http.HandlerFunc(pprof.Profile)))
	return mux
}

func subtleEqual(got string, want []byte) int {
	return subtle.ConstantTimeCompare([]byte(got), want)
}

type queueStatus struct {
	Queue                string `json:"queue"`
	AgentsAvailable      int    `json:"agents_available"`
	Waiting              int    `json:"waiting"`
	EstimatedWaitSeconds *int   `json:"estimated_wait_seconds"`
}

// ask runs fn on the actor and waits for it, for readers on other
// goroutines.
func (d *Desk) ask(fn func()) bool {
	done := make(chan struct{})
	select {
	case d.events <- func() { fn(); close(done) }:
	case <-time.After(2 * time.Second):
		return false
	}
	select {
	case <-done:
		return true
	case <-time.After(2 * time.Second):
		return false
	}
}

func (d *Desk) apiStatus(w http.ResponseWriter, r *http.Request) {
	var out []queueStatus
	ok := d.ask(func() {
		lengths := d.router.QueueLength()
		for _, q := range d.cfg.Queues {
			n := 0
			for j, a := range d.agents {
				if d.presence.Routable(j) && d.router.Load(j) < a.MaxChats && routing.HasSkills(a.Skills, q.Skills) {
					n++
				}
			}
			out = append(out, queueStatus{Queue: q.Name, AgentsAvailable: n, Waiting: lengths[q.Name]})
		}
	})
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]string{"error": "desk busy"})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"queues": out})
}
