package api

import (
	"crypto/subtle"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"switchboard/component/desk"
	"switchboard/store"
)

// Server serves the HTTP side of one desk.
type Server struct {
	desk   *desk.Desk
	store  *store.Store
	prefix string // the room prefix, accepted in front of conversation ids
	log    *slog.Logger
	token  atomic.Pointer[string]

	outboxRetrier Retrier

	unauthorized prometheus.Counter
}

// Options configure New.
type Options struct {
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	RoomPrefix string
	Token      string // the API's bearer token; "" turns the API off
	// Outbox sends dead outbox entries again.
	Outbox Retrier
}

// New returns the HTTP side of d over st.
func New(d *desk.Desk, st *store.Store, o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Registerer == nil {
		o.Registerer = prometheus.NewRegistry()
	}
	s := &Server{desk: d, store: st, prefix: o.RoomPrefix, log: o.Logger.With("component", "api"),
		unauthorized: promauto.With(o.Registerer).NewCounter(prometheus.CounterOpts{Name: "switchboard_api_unauthorized_total", Help: "HTTP API requests refused for a missing or wrong bearer token."})}
	s.SetToken(o.Token)
	s.outboxRetrier = o.Outbox
	return s
}

// SetToken changes the bearer token (a reloaded configuration).
func (s *Server) SetToken(token string) { s.token.Store(&token) }

// Handler serves /healthz, /readyz, /metrics, the public desk status and
// the API.
func (s *Server) Handler(g prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !s.desk.Ready() {
			http.Error(w, "not connected to the XMPP server", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /api/v1/status", s.status)
	mux.Handle("/api/v1/", s.api())
	// Profiles for operators, behind the API token.
	mux.Handle("GET /debug/pprof/", s.bearer(http.HandlerFunc(pprof.Index)))
	mux.Handle("GET /debug/pprof/profile", s.bearer(http.HandlerFunc(pprof.Profile)))
	return mux
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	qs, err := s.desk.Status(r.Context())
	writeList(w, "queues", qs, err, queueStatus)
}

func queueStatus(q desk.QueueStatus) QueueStatus {
	v := QueueStatus{Queue: q.Queue, AgentsAvailable: q.AgentsAvailable, Waiting: q.Waiting}
	if q.EstimatedWait != nil {
		secs := int(q.EstimatedWait.Round(time.Second).Seconds())
		v.EstimatedWaitSeconds = &secs
	}
	return v
}

// bearer lets a request through only with "Authorization: Bearer token".
func (s *Server) bearer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := *s.token.Load()
		if token == "" || subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+token)) != 1 {
			s.unauthorized.Inc()
			w.Header().Set("WWW-Authenticate", `Bearer realm="switchboard"`)
			msg := "missing or wrong bearer token"
			if token == "" {
				msg = "the API is off: set http.api_token"
			}
			apiError(w, http.StatusUnauthorized, "%s", msg)
			return
		}
		h.ServeHTTP(w, r)
	})
}
