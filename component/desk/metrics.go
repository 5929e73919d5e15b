package desk

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"switchboard/component/config"
	"switchboard/component/desk/rooms"
	"switchboard/presence"
	"switchboard/routing"
)

// metrics of the desk. No label ever carries a JID: queues, outcomes,
// results and kinds are closed sets from the code or the config.
type metrics struct {
	queueLength    *prometheus.GaugeVec
	oldestWait     *prometheus.GaugeVec
	maxWait        *prometheus.GaugeVec
	waitSeconds    *prometheus.HistogramVec
	outcomes       *prometheus.CounterVec
	offers         *prometheus.CounterVec
	agents         *prometheus.GaugeVec
	relayed        *prometheus.CounterVec
	replyBreaches  *prometheus.CounterVec
	routingSeconds prometheus.Histogram
	badInput       *prometheus.CounterVec
	panics         prometheus.Counter
	storeFailures  prometheus.Counter
	durable        prometheus.Histogram
	opened         prometheus.Counter
	open           prometheus.Gauge
	memoryReleases prometheus.Counter
	pendingWrites  prometheus.Gauge
	ratings        *prometheus.CounterVec
	roomFailures   *prometheus.CounterVec
	reopened       prometheus.Counter
	dropped        prometheus.Counter
}

func newMetrics(reg prometheus.Registerer, cfg *config.Config) *metrics {
	f := promauto.With(reg)
	m := &metrics{
		queueLength: f.NewGaugeVec(prometheus.GaugeOpts{Name: "switchboard_queue_length", Help: "Conversations waiting in each queue."}, []string{"queue"}),
		oldestWait:  f.NewGaugeVec(prometheus.GaugeOpts{Name: "switchboard_queue_oldest_wait_seconds", Help: "How long the longest-waiting conversation of each queue has waited."}, []string{"queue"}),
		maxWait:     f.NewGaugeVec(prometheus.GaugeOpts{Name: "switchboard_queue_max_wait_seconds", Help: "Each queue's max_wait, for alerts on the oldest wait."}, []string{"queue"}),
		waitSeconds: f.NewHistogramVec(prometheus.HistogramOpts{Name: "switchboard_waiting_seconds", Help: "Time from queueing to an agent joining.",
			// 1s to ~2.3h.
			Buckets: prometheus.ExponentialBuckets(1, 2, 14)}, []string{"queue"}),
		outcomes:      f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_conversations_total", Help: "Conversations ended, by outcome."}, []string{"outcome"}),
		offers:        f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_offers_total", Help: "Offers to agents, by result."}, []string{"result"}),
		agents:        f.NewGaugeVec(prometheus.GaugeOpts{Name: "switchboard_agents", Help: "Agents by state."}, []string{"state"}),
		replyBreaches: f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_reply_breaches_total", Help: "Customers' lines unanswered for twice their queue's first_reply or reply time, by queue and kind (first_reply, reply)."}, []string{"queue", "kind"}),
		relayed:       f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_messages_relayed_total", Help: "Messages relayed, by direction (in: customer to room, out: room to customer)."}, []string{"direction"}),
		routingSeconds: f.NewHistogram(prometheus.HistogramOpts{Name: "switchboard_routing_decision_seconds", Help: "Time of one routing pass.",
			// 1µs to ~16ms.
			Buckets: prometheus.ExponentialBuckets(1e-6, 2, 15)}),
		badInput:      f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_bad_input_total", Help: "Refused input, by kind."}, []string{"kind"}),
		panics:        f.NewCounter(prometheus.CounterOpts{Name: "switchboard_panics_total", Help: "Panics recovered in the desk."}),
		storeFailures: f.NewCounter(prometheus.CounterOpts{Name: "switchboard_store_failures_total", Help: "Writes the store refused; their stanzas were not sent."}),
		durable: f.NewHistogram(prometheus.HistogramOpts{Name: "switchboard_durable_seconds", Help: "Time from a change to its commit, before anything is sent.",
			// 100µs to ~1.6s.
			Buckets: prometheus.ExponentialBuckets(1e-4, 2, 15)}),
		opened:         f.NewCounter(prometheus.CounterOpts{Name: "switchboard_conversations_opened_total", Help: "Conversations opened."}),
		open:           f.NewGauge(prometheus.GaugeOpts{Name: "switchboard_conversations_open", Help: "Conversations not ended."}),
		memoryReleases: f.NewCounter(prometheus.CounterOpts{Name: "switchboard_memory_releases_total", Help: "Times the desk, quiet for a few seconds, gave its free memory back to the system."}),
		pendingWrites:  f.NewGauge(prometheus.GaugeOpts{Name: "switchboard_store_pending_writes", Help: "Changes submitted to the store and not yet committed."}),
		ratings:        f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_ratings_total", Help: "Customers' ratings of closed conversations, by rating (1-5)."}, []string{"rating"}),
		dropped:        f.NewCounter(prometheus.CounterOpts{Name: "switchboard_agent_dropped_total", Help: "Conversations that went back to their queue because their agent left and was not back within desk.agent_grace."}),
		reopened:       f.NewCounter(prometheus.CounterOpts{Name: "switchboard_conversations_reopened_total", Help: "Closed conversations the customer came back to within the reopen window."}),
	}
	m.roomFailures = f.NewCounterVec(prometheus.CounterOpts{Name: "switchboard_room_failures_total", Help: "Joins and configurations of conversation rooms the server refused, by condition."}, []string{"condition"})
	for _, c := range rooms.Conditions {
		m.roomFailures.WithLabelValues(c)
	}
	for r := 1; r <= 5; r++ {
		m.ratings.WithLabelValues(string(rune('0' + r)))
	}
	for _, q := range cfg.Queues {
		m.queues(q)
	}
	for _, s := range presence.States {
		m.agents.WithLabelValues(string(s))
	}
	for _, o := range []string{closed, abandoned} {
		m.outcomes.WithLabelValues(o)
	}
	for _, r := range []string{"accepted", "declined", "timeout"} {
		m.offers.WithLabelValues(r)
	}
	for _, d := range []string{"in", "out"} {
		m.relayed.WithLabelValues(d)
	}
	for _, k := range []string{"encrypted", "oversized", "rate_limited_jid", "rate_limited_domain", "malformed", "not_agent", "not_agent_command", "bad_command"} {
		m.badInput.WithLabelValues(k)
	}
	return m
}

// queues starts a queue's series.
func (m *metrics) queues(q routing.Queue) {
	m.queueLength.WithLabelValues(q.Name)
	m.waitSeconds.WithLabelValues(q.Name)
	m.oldestWait.WithLabelValues(q.Name)
	m.maxWait.WithLabelValues(q.Name).Set(q.MaxWait.Seconds())
}
