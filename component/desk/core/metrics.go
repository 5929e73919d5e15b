package core

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"switchboard/component/config"
	"switchboard/component/desk/rooms"
	"switchboard/presence"
	"switchboard/routing"
)

// Metrics of the desk. No label ever carries a JID: queues, outcomes,
// results and kinds are closed sets from the code or the config.
type Metrics struct {
	QueueLength    *prometheus.GaugeVec
	OldestWait     *prometheus.GaugeVec
	MaxWait        *prometheus.GaugeVec
	WaitSeconds    *prometheus.HistogramVec
	Outcomes       *prometheus.CounterVec
	Offers         *prometheus.CounterVec
	Agents         *prometheus.GaugeVec
	Relayed        *prometheus.CounterVec
	ReplyBreaches  *prometheus.CounterVec
	RoutingSeconds prometheus.Histogram
	BadInput       *prometheus.CounterVec
	Panics         prometheus.Counter
	StoreFailures  prometheus.Counter
	Durable        prometheus.Histogram
	Opened         prometheus.Counter
	Open           prometheus.Gauge
	MemoryReleases prometheus.Counter
	PendingWrites  prometheus.Gauge
	Ratings        *prometheus.CounterVec
	RoomFailures   *prometheus.CounterVec
	Reopened       prometheus.Counter
	Dropped        prometheus.Counter
}

func NewMetrics(reg prometheus.Registerer, cfg *config.Config) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		QueueLength: f.NewGaugeVec(prometheus.GaugeOpts{Name: "switchboard_queue_length", Help: "Conversations waiting in each queue."}, []string{"queue"}),
		OldestWait:  f.NewGaugeVec(prometheus.GaugeOpts{Name: "switchboard_queue_oldest_wait_seconds", Help: "How long the longest-waiting conversation of each queue has waited."}, []string{"queue"}),
		MaxWait:     f.NewGaugeVec(prometheus.GaugeOpts{Name: "switchboard_queue_max_wait_seconds", Help: "Each queue's max_wait, for alerts on the oldest wait."}, []string{"queue"}),
		WaitSeconds: f.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_waiting_seconds", Help: "Time from queueing to an agent joining.",
			// 1s to ~2.3h.
			Buckets: prometheus.ExponentialBuckets(1, 2, 14)}, []string{"queue"}),
		Outcomes:      f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_conversations_total", Help: "Conversations ended, by outcome."}, []string{"outcome"}),
		Offers:        f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_offers_total", Help: "Offers to agents, by result."}, []string{"result"}),
		Agents:        f.NewGaugeVec(prometheus.GaugeOpts{Name: "switchboard_agents", Help: "Agents by state."}, []string{"state"}),
		ReplyBreaches: f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_reply_breaches_total", Help: "Customers' lines unanswered for twice their queue's first_reply or reply time, by queue and kind (first_reply, reply)."}, []string{"queue", "kind"}),
		Relayed:       f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_messages_relayed_total", Help: "Messages relayed, by direction (in: customer to room, out: room to customer)."}, []string{"direction"}),
		RoutingSeconds: f.NewHistogram(prometheus.HistogramOpts{Name: "switchboard_routing_decision_seconds", Help: "Time of one routing pass.",
			// 1µs to ~16ms.
			Buckets: prometheus.ExponentialBuckets(1e-6, 2, 15)}),
		BadInput:      f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_bad_input_total", Help: "Refused input, by kind."}, []string{"kind"}),
		Panics:        f.NewCounter(prometheus.CounterOpts{Name: "switchboard_panics_total", Help: "Panics recovered in the desk."}),
		StoreFailures: f.NewCounter(prometheus.CounterOpts{Name: "switchboard_store_failures_total", Help: "Writes the store refused; their stanzas were not sent."}),
		Durable: f.NewHistogram(prometheus.HistogramOpts{Name: "switchboard_durable_seconds", Help: "Time from a change to its commit, before anything is sent.",
			// 100µs to ~1.6s.
			Buckets: prometheus.ExponentialBuckets(1e-4, 2, 15)}),
		Opened:         f.NewCounter(prometheus.CounterOpts{Name: "switchboard_conversations_opened_total", Help: "Conversations opened."}),
		Open:           f.NewGauge(prometheus.GaugeOpts{Name: "switchboard_conversations_open", Help: "Conversations not ended."}),
		MemoryReleases: f.NewCounter(prometheus.CounterOpts{Name: "switchboard_memory_releases_total", Help: "Times the desk, quiet for a few seconds, gave its free memory back to the system."}),
		PendingWrites:  f.NewGauge(prometheus.GaugeOpts{Name: "switchboard_store_pending_writes", Help: "Changes submitted to the store and not yet committed."}),
		Ratings:        f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_ratings_total", Help: "Customers' ratings of closed conversations, by rating (1-5)."}, []string{"rating"}),
		Dropped:        f.NewCounter(prometheus.CounterOpts{Name: "switchboard_agent_dropped_total", Help: "Conversations that went back to their queue because their agent left and was not back within desk.agent_grace."}),
		Reopened:       f.NewCounter(prometheus.CounterOpts{Name: "switchboard_conversations_reopened_total", Help: "Closed conversations the customer came back to within the reopen window."}),
	}
	m.RoomFailures = f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_room_failures_total", Help: "Joins and configurations of conversation rooms the server refused, by condition."}, []string{"condition"})
	for _, c := range rooms.Conditions {
		m.RoomFailures.WithLabelValues(c)
	}
	for r := 1; r <= 5; r++ {
		m.Ratings.WithLabelValues(string(rune('0' + r)))
	}
	for _, q := range cfg.Queues {
		m.Queues(q)
	}
	for _, s := range presence.States {
		m.Agents.WithLabelValues(string(s))
	}
	for _, o := range []string{Closed, Abandoned} {
		m.Outcomes.WithLabelValues(o)
	}
	for _, r := range []string{"accepted", "declined", "timeout"} {
		m.Offers.WithLabelValues(r)
	}
	for _, d := range []string{"in", "out"} {
		m.Relayed.WithLabelValues(d)
	}
	for _, k := range []string{"encrypted", "oversized", "rate_limited_jid", "rate_limited_domain", "malformed", "not_agent", "not_agent_command", "bad_command"} {
		m.BadInput.WithLabelValues(k)
	}
	return m
}

// Queues starts a queue's series.
func (m *Metrics) Queues(q routing.Queue) {
	m.QueueLength.WithLabelValues(q.Name)
	m.WaitSeconds.WithLabelValues(q.Name)
	m.OldestWait.WithLabelValues(q.Name)
	m.MaxWait.WithLabelValues(q.Name).Set(q.MaxWait.Seconds())
}
