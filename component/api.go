package component

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/store"
)

// The operators' API under /api/v1/: conversations, agents and a
// consistent export of the store, behind the bearer token.

// ListPage is one page of GET /api/v1/conversations.
type ListPage struct {
	Conversations []ConversationView `json:"conversations"`
	// Next is the cursor for the next page (pass it as before=), "" on
	// the last page.
	Next string `json:"next,omitempty"`
}

// APIError is the body of every error answer.
type APIError struct {
	Error string `json:"error"`
}

var statuses = []string{store.StatusDialog, store.StatusQueued, store.StatusOffered, store.StatusOpen,
	store.StatusPending, store.StatusResolved, store.StatusClosed, store.StatusAbandoned}

// DefaultPage and MaxPage bound a page of conversations.
const (
	DefaultPage = 50
	MaxPage     = 500
)

// ParseListQuery checks the filters and paging of a conversation list.
func ParseListQuery(q url.Values) (f store.Filter, before uint64, limit int, err error) {
	limit = DefaultPage
	for k, vs := range q {
		if len(vs) != 1 {
			return f, 0, 0, fmt.Errorf("%s: give it once", k)
		}
		v := vs[0]
		switch k {
		case "status":
			if !slices.Contains(statuses, v) {
				return f, 0, 0, fmt.Errorf("status: %q is not one of %s", v, strings.Join(statuses, ", "))
			}
			f.Status = v
		case "queue":
			f.Queue = v
		case "agent", "customer":
			if v == "" || !strings.Contains(v, "@") || strings.Contains(v, "/") {
				return f, 0, 0, fmt.Errorf("%s: %q is not a bare JID", k, v)
			}
			if k == "agent" {
				f.Agent = strings.ToLower(v)
			} else {
				f.Customer = strings.ToLower(v)
			}
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxPage {
				return f, 0, 0, fmt.Errorf("limit: want a number from 1 to %d, got %q", MaxPage, v)
			}
			limit = n
		case "before":
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil || n == 0 {
				return f, 0, 0, fmt.Errorf("before: want a conversation id, got %q", v)
			}
			before = n
		default:
			return f, 0, 0, fmt.Errorf("unknown filter %q (status, queue, agent, customer, limit, before)", k)
		}
	}
	return f, before, limit, nil
}

// ListConversations reads one page.
func ListConversations(tx *store.Tx, f store.Filter, before uint64, limit int) (ListPage, error) {
	list, next, err := tx.List(f, before, limit)
	page := ListPage{Conversations: make([]ConversationView, 0, len(list))}
	for _, c := range list {
		page.Conversations = append(page.Conversations, ViewOf(c))
	}
	if next != 0 {
		page.Next = strconv.FormatUint(next, 10)
	}
	return page, err
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func apiError(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, APIError{Error: fmt.Sprintf(format, args...)})
}

// methods dispatches by method, answering others with a JSON 405.
func methods(m map[string]http.HandlerFunc) http.HandlerFunc {
	var allow []string
	for k := range m {
		allow = append(allow, k)
	}
	slices.Sort(allow)
	return func(w http.ResponseWriter, r *http.Request) {
		h, ok := m[r.Method]
		if !ok {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			apiError(w, http.StatusMethodNotAllowed, "method %s not allowed here (%s)", r.Method, strings.Join(allow, ", "))
			return
		}
		h(w, r)
	}
}

// api serves /api/v1/ but the public status.
func (d *Desk) api() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/conversations", methods(map[string]http.HandlerFunc{"GET": d.apiList}))
	mux.HandleFunc("/api/v1/conversations/{id}", methods(map[string]http.HandlerFunc{"GET": d.apiConversation}))
	mux.HandleFunc("/api/v1/agents", methods(map[string]http.HandlerFunc{"GET": d.apiAgents}))
	mux.HandleFunc("/api/v1/agents/{jid}", methods(map[string]http.HandlerFunc{"GET": d.apiAgent, "PUT": d.apiPutAgent, "DELETE": d.apiDeleteAgent}))
	mux.HandleFunc("/api/v1/export", methods(map[string]http.HandlerFunc{"GET": d.apiExport}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "no such endpoint %s", r.URL.Path)
	})
	return d.bearer(mux)
}

func (d *Desk) apiList(w http.ResponseWriter, r *http.Request) {
	f, before, limit, err := ParseListQuery(r.URL.Query())
	if err != nil {
		apiError(w, http.StatusBadRequest, "%v", err)
		return
	}
	var page ListPage
	if err := d.store.View(func(tx *store.Tx) (err error) {
		page, err = ListConversations(tx, f, before, limit)
		return err
	}); err != nil {
		d.log.Error("api: list conversations", "err", err)
		apiError(w, http.StatusInternalServerError, "reading the store failed")
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// conversationID parses a conversation id, with or without the room prefix.
func (d *Desk) conversationID(s string) (uint64, error) {
	s = strings.TrimPrefix(s, d.cfg.XMPP.RoomPrefix)
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("%q is not a conversation id", s)
	}
	return id, nil
}

func (d *Desk) apiConversation(w http.ResponseWriter, r *http.Request) {
	id, err := d.conversationID(r.PathValue("id"))
	if err != nil {
		apiError(w, http.StatusBadRequest, "%v", err)
		return
	}
	var v ConversationView
	err = d.store.View(func(tx *store.Tx) (err error) {
		v, err = ReadConversation(tx, id)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		apiError(w, http.StatusNotFound, "no conversation %d", id)
	case err != nil:
		d.log.Error("api: read conversation", "id", id, "err", err)
		apiError(w, http.StatusInternalServerError, "reading the store failed")
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

func (d *Desk) apiAgents(w http.ResponseWriter, r *http.Request) {
	var out []AgentView
	if !d.ask(func() {
		for _, j := range d.agentJIDs() {
			out = append(out, d.agentView(j))
		}
	}) {
		apiError(w, http.StatusServiceUnavailable, "desk busy")
		return
	}
	if out == nil {
		out = []AgentView{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"agents": out})
}

func (d *Desk) apiAgent(w http.ResponseWriter, r *http.Request) {
	jid := strings.ToLower(r.PathValue("jid"))
	var v AgentView
	var ok bool
	if !d.ask(func() {
		if _, ok = d.agents[jid]; ok {
			v = d.agentView(jid)
		}
	}) {
		apiError(w, http.StatusServiceUnavailable, "desk busy")
		return
	}
	if !ok {
		apiError(w, http.StatusNotFound, "no agent %q", jid)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// maxAPIBody bounds a request body.
const maxAPIBody = 64 << 10

func (d *Desk) apiPutAgent(w http.ResponseWriter, r *http.Request) {
	jid := strings.ToLower(r.PathValue("jid"))
	var in AgentInput
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAPIBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		apiError(w, http.StatusBadRequest, "body: %v", err)
		return
	}
	a, err := d.checkAgent(jid, in)
	if err != nil {
		apiError(w, http.StatusBadRequest, "%v", err)
		return
	}
	done := make(chan error, 1)
	var created bool
	var v AgentView
	if !d.ask(func() {
		created = d.setAgent(a, func(err error) { done <- err })
		v = d.agentView(a.JID)
	}) {
		apiError(w, http.StatusServiceUnavailable, "desk busy")
		return
	}
	if !d.committed(w, done) {
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	writeJSON(w, code, v)
}

func (d *Desk) apiDeleteAgent(w http.ResponseWriter, r *http.Request) {
	jid := strings.ToLower(r.PathValue("jid"))
	done := make(chan error, 1)
	var err error
	if !d.ask(func() { err = d.removeAgent(jid, func(err error) { done <- err }) }) {
		apiError(w, http.StatusServiceUnavailable, "desk busy")
		return
	}
	switch {
	case errors.Is(err, errNoAgent):
		apiError(w, http.StatusNotFound, "no agent %q", jid)
		return
	case err != nil:
		apiError(w, http.StatusConflict, "%v", err)
		return
	}
	if d.committed(w, done) {
		w.WriteHeader(http.StatusNoContent)
	}
}

// committed waits for a change's write and answers an error if it failed.
func (d *Desk) committed(w http.ResponseWriter, done chan error) bool {
	select {
	case err := <-done:
		if err != nil {
			apiError(w, http.StatusInternalServerError, "the change is effective but could not be stored")
			return false
		}
		return true
	case <-time.After(10 * time.Second):
		apiError(w, http.StatusServiceUnavailable, "the store did not commit in time")
		return false
	}
}

// apiExport streams a consistent copy of the store while it is in use.
func (d *Desk) apiExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="switchboard.db"`)
	if _, err := d.store.WriteTo(w); err != nil {
		d.log.Error("api: export", "err", err)
	}
}

// bearer lets a request through only with "Authorization: Bearer token".
func (d *Desk) bearer(h http.Handler) http.Handler {
	token := d.cfg.HTTP.APIToken
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token == "" || subtleEqual(r.Header.Get("Authorization"), want) != 1 {
			d.metrics.apiUnauthorized.Inc()
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
