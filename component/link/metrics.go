package link

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// metrics of the link.
type metrics struct {
	connected       prometheus.Gauge
	connectFailures prometheus.Counter
	stanzasIn       prometheus.Counter
	stanzasOut      prometheus.Counter
	echoes          prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	f := promauto.With(reg)
	return &metrics{
		connected:       f.NewGauge(prometheus.GaugeOpts{Name: "switchboard_xmpp_connected", Help: "1 while the component stream to the server is up."}),
		connectFailures: f.NewCounter(prometheus.CounterOpts{Name: "switchboard_xmpp_connect_failures_total", Help: "Failed attempts to connect to the server."}),
		stanzasIn:       f.NewCounter(prometheus.CounterOpts{Name: "switchboard_stanzas_in_total", Help: "Messages and presence received."}),
		stanzasOut:      f.NewCounter(prometheus.CounterOpts{Name: "switchboard_stanzas_out_total", Help: "Stanzas sent."}),
		echoes:          f.NewCounter(prometheus.CounterOpts{Name: "switchboard_room_echoes_total", Help: "Copies of the desk's own room messages, dropped on arrival."}),
	}
}

// queued reports the send queue's length.
func (m *metrics) queued(reg prometheus.Registerer, n func() float64) {
	if reg == nil {
		return
	}
	promauto.With(reg).NewGaugeFunc(prometheus.GaugeOpts{Name: "switchboard_send_queue", Help: "Stanzas committed and waiting to be written to the server."}, n)
}
