package channel

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics of the channels. Their labels are the channels' names from the
// config and closed sets of results: never an address.
type Metrics struct {
	// Requests counts what the channels' HTTP endpoints answered, by
	// channel and result.
	Requests *prometheus.CounterVec
	Sender   *SenderMetrics
}

// RequestResults are the results Requests counts.
var RequestResults = []string{"ok", "duplicate", "bad_signature", "stale", "unknown_channel", "too_large", "type", "bad_request", "unavailable", "error"}

// NewMetrics registers the channels' metrics, with a series for every
// result of each channel named.
func NewMetrics(reg prometheus.Registerer, channels []string) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		Requests: f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_channel_requests_total", Help: "Requests to the channels' endpoints (provider webhooks, signed hooks), by channel and result."}, []string{"channel", "result"}),
		Sender: &SenderMetrics{
			Pending: f.NewGauge(prometheus.GaugeOpts{Name: "switchboard_outbox_pending", Help: "Replies and webhook calls waiting to be delivered."}),
			Dead:    f.NewGauge(prometheus.GaugeOpts{Name: "switchboard_outbox_dead", Help: "Replies and webhook calls given up (dead letters), until they are sent again."}),
			Attempts: f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_outbox_results_total", Help: "Outbox attempts, by kind (reply, webhook) and result (sent, retry, dead)."},
				[]string{"kind", "result"}),
			Latency: f.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_outbox_delivery_seconds", Help: "Time from an outbox entry's writing to the provider accepting it, by kind.",
				// 10ms to ~1.5h.
				Buckets: prometheus.ExponentialBuckets(0.01, 2, 20)}, []string{"kind"}),
		},
	}
	// Requests to channels there are not (always counted as one).
	m.Requests.WithLabelValues("unknown", "unknown_channel")
	for _, c := range channels {
		for _, r := range RequestResults {
			m.Requests.WithLabelValues(c, r)
		}
	}
	for _, k := range []string{"reply", "webhook"} {
		m.Sender.Latency.WithLabelValues(k)
		for _, r := range []string{"sent", "retry", "dead"} {
			m.Sender.Attempts.WithLabelValues(k, r)
		}
	}
	return m
}

// Count counts one request of channel with result.
func (m *Metrics) Count(channel, result string) {
	if m != nil {
		m.Requests.WithLabelValues(channel, result).Inc()
	}
}
