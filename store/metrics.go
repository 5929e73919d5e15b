package store

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type metrics struct {
	commit  prometheus.Histogram
	batch   prometheus.Histogram
	apply   prometheus.Histogram
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
			Help: "Time to make one group of writes durable: run, appended to the write-ahead log and fdatasynced.",
			// 100µs to ~3.3s.
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
		batch: f.NewHistogram(prometheus.HistogramOpts{
			Name: "switchboard_store_writes_per_commit",
			Help: "How many writes shared one record (and one fdatasync) of the write-ahead log.",
			// 1 to 512.
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		apply: f.NewHistogram(prometheus.HistogramOpts{
			Name: "switchboard_store_apply_seconds",
			Help: "Time to commit what the write-ahead log holds to bbolt (in the background of writes).",
			// 100µs to ~3.3s.
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
		failed: f.NewCounter(prometheus.CounterOpts{
			Name: "switchboard_store_commit_failures_total",
			Help: "Groups of writes that failed to be made durable, and bbolt commits that failed (retried from the log).",
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

func (m *metrics) applied(records int, d time.Duration, err error) {
	if !m.enabled {
		return
	}
	m.apply.Observe(d.Seconds())
	if err != nil {
		m.failed.Inc()
	}
}
