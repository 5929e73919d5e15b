package store

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type metrics struct {
	commit  prometheus.Histogram
	batch   prometheus.Histogram
	failed  prometheus.Counter
	purge   *prometheus.CounterVec
	enabled bool
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		return &metrics{}
	}
	f := promauto.With(reg)
	return &metrics{
		enabled: true,
		commit: f.NewHistogram(prometheus.HistogramOpts{
			Name: "switchboard_store_write_seconds",
			Help: "Time to commit one group of writes to bbolt, fsync included.",
			// 100µs to ~3.3s.
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
		batch: f.NewHistogram(prometheus.HistogramOpts{
			Name: "switchboard_store_writes_per_commit",
			Help: "How many writes shared one bbolt transaction.",
			// 1 to 512.
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		failed: f.NewCounter(prometheus.CounterOpts{
			Name: "switchboard_store_commit_failures_total",
			Help: "Transactions that failed to commit.",
		}),
		purge: f.NewCounterVec(prometheus.CounterOpts{
			Name: "switchboard_store_purged_total",
			Help: "Records removed by retention: closed conversations, and transcript messages (with their conversation or beyond a customer's limits).",
		}, []string{"kind"}),
	}
}

func (m *metrics) purged(conversations, messages int) {
	if !m.enabled {
		return
	}
	m.purge.WithLabelValues("conversations").Add(float64(conversations))
	m.purge.WithLabelValues("messages").Add(float64(messages))
}

func (m *metrics) observe(n int, d time.Duration, err error) {
	if !m.enabled {
		return
	}
	m.commit.Observe(d.Seconds())
	m.batch.Observe(float64(n))
	if err != nil {
		m.failed.Inc()
	}
}
