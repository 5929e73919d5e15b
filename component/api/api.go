package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"switchboard/component/desk"
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

var statuses = desk.Statuses

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
		case "agent":
			if v == "" || !strings.Contains(v, "@") || strings.Contains(v, "/") {
				return f, 0, 0, fmt.Errorf("%s: %q is not a bare JID", k, v)
			}
			f.Agent = strings.ToLower(v)
		case "customer":
			c, ok := CustomerID(v)
			if !ok {
				return f, 0, 0, fmt.Errorf("customer: %q is not a bare JID, tel:+E.164 or hook:CHANNEL:ID", v)
			}
			f.Customer = c
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

// CustomerID checks a customer's id as the API takes it: a bare JID
// (any case), tel: and a number in E.164, or hook:CHANNEL:ID.
func CustomerID(v string) (string, bool) {
	switch {
	case strings.HasPrefix(v, "tel:+") && len(v) > 6 && strings.Trim(v[5:], "0123456789") == "":
		return v, true
	case strings.HasPrefix(v, "hook:") && strings.Count(v, ":") >= 2:
		return v, true
	case v != "" && strings.Contains(v, "@") && !strings.ContainsAny(v, "/ "):
		return strings.ToLower(v), true
	}
	return "", false
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

// writeList answers a list the desk gave (or 503 when it could not) as
// {"key": [view of each]}.
func writeList[T, V any](w http.ResponseWriter, key string, list []T, err error, view func(T) V) {
	if err != nil {
		apiError(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	out := make([]V, 0, len(list))
	for _, x := range list {
		out = append(out, view(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{key: out})
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
func (s *Server) api() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/conversations", methods(map[string]http.HandlerFunc{"GET": s.list}))
	mux.HandleFunc("/api/v1/conversations/{id}", methods(map[string]http.HandlerFunc{"GET": s.conversation}))
	mux.HandleFunc("/api/v1/agents", methods(map[string]http.HandlerFunc{"GET": s.agents}))
	mux.HandleFunc("/api/v1/agents/{jid}", methods(map[string]http.HandlerFunc{"GET": s.agent, "PUT": s.putAgent, "DELETE": s.deleteAgent}))
	mux.HandleFunc("/api/v1/replies", methods(map[string]http.HandlerFunc{"GET": s.replies}))
	mux.HandleFunc("/api/v1/replies/{name}", methods(map[string]http.HandlerFunc{"GET": s.reply, "PUT": s.putReply, "DELETE": s.deleteReply}))
	mux.HandleFunc("/api/v1/reports", methods(map[string]http.HandlerFunc{"GET": s.reports}))
	mux.HandleFunc("/api/v1/customers/{id}", methods(map[string]http.HandlerFunc{"GET": s.customer}))
	mux.HandleFunc("/api/v1/outbox", methods(map[string]http.HandlerFunc{"GET": s.outbox}))
	mux.HandleFunc("/api/v1/outbox/{id}/retry", methods(map[string]http.HandlerFunc{"POST": s.retry}))
	mux.HandleFunc("/api/v1/export", methods(map[string]http.HandlerFunc{"GET": s.export}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "no such endpoint %s", r.URL.Path)
	})
	return s.bearer(mux)
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	f, before, limit, err := ParseListQuery(r.URL.Query())
	if err != nil {
		apiError(w, http.StatusBadRequest, "%v", err)
		return
	}
	var page ListPage
	if err := s.store.View(func(tx *store.Tx) (err error) {
		page, err = ListConversations(tx, f, before, limit)
		return err
	}); err != nil {
		s.log.Error("list conversations", "err", err)
		apiError(w, http.StatusInternalServerError, "reading the store failed")
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// conversationID parses a conversation id, with or without the room prefix.
func (s *Server) conversationID(v string) (uint64, error) {
	v = strings.TrimPrefix(v, s.prefix)
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("%q is not a conversation id", v)
	}
	return id, nil
}

func (s *Server) conversation(w http.ResponseWriter, r *http.Request) {
	id, err := s.conversationID(r.PathValue("id"))
	if err != nil {
		apiError(w, http.StatusBadRequest, "%v", err)
		return
	}
	var v ConversationView
	err = s.store.View(func(tx *store.Tx) (err error) {
		v, err = ReadConversation(tx, id)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		apiError(w, http.StatusNotFound, "no conversation %d", id)
	case err != nil:
		s.log.Error("read conversation", "id", id, "err", err)
		apiError(w, http.StatusInternalServerError, "reading the store failed")
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

func (s *Server) agents(w http.ResponseWriter, r *http.Request) {
	list, err := s.desk.Agents(r.Context())
	writeList(w, "agents", list, err, agentView)
}

func (s *Server) agent(w http.ResponseWriter, r *http.Request) {
	jid := strings.ToLower(r.PathValue("jid"))
	a, err := s.desk.Agent(r.Context(), jid)
	switch {
	case errors.Is(err, desk.ErrNoAgent):
		apiError(w, http.StatusNotFound, "no agent %q", jid)
	case err != nil:
		apiError(w, http.StatusServiceUnavailable, "%v", err)
	default:
		writeJSON(w, http.StatusOK, agentView(a))
	}
}

// maxAPIBody bounds a request body.
const maxAPIBody = 64 << 10

func (s *Server) putAgent(w http.ResponseWriter, r *http.Request) {
	jid := strings.ToLower(r.PathValue("jid"))
	var in AgentInput
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAPIBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		apiError(w, http.StatusBadRequest, "body: %v", err)
		return
	}
	a, created, err := s.desk.PutAgent(r.Context(), desk.AgentChange{JID: jid, Name: in.Name, Skills: in.Skills, Languages: in.Languages, MaxChats: in.MaxChats})
	var invalid desk.InvalidAgent
	switch {
	case errors.As(err, &invalid):
		apiError(w, http.StatusBadRequest, "%v", err)
	case errors.Is(err, desk.ErrNotStored):
		apiError(w, http.StatusInternalServerError, "%v", err)
	case err != nil:
		apiError(w, http.StatusServiceUnavailable, "%v", err)
	case created:
		writeJSON(w, http.StatusCreated, agentView(a))
	default:
		writeJSON(w, http.StatusOK, agentView(a))
	}
}

func (s *Server) deleteAgent(w http.ResponseWriter, r *http.Request) {
	jid := strings.ToLower(r.PathValue("jid"))
	err := s.desk.RemoveAgent(r.Context(), jid)
	switch {
	case errors.Is(err, desk.ErrNoAgent):
		apiError(w, http.StatusNotFound, "no agent %q", jid)
	case errors.Is(err, desk.ErrAgentBusy):
		apiError(w, http.StatusConflict, "%v", err)
	case errors.Is(err, desk.ErrNotStored):
		apiError(w, http.StatusInternalServerError, "%v", err)
	case err != nil:
		apiError(w, http.StatusServiceUnavailable, "%v", err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// export streams a consistent copy of the store while it is in use.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="switchboard.db"`)
	if _, err := s.store.WriteTo(w); err != nil {
		s.log.Error("export", "err", err)
	}
}
