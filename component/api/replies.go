package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"switchboard/component/desk"
)

// ReplyView is a canned reply in the API.
type ReplyView struct {
	Name         string   `json:"name"`
	Text         string   `json:"text"`
	Placeholders []string `json:"placeholders"`
	// Runtime is set for a reply set through the API, which the config
	// file's reply of the same name no longer changes.
	Runtime bool `json:"runtime"`
}

// ReplyInput is the body of PUT /api/v1/replies/{name}.
type ReplyInput struct {
	Text string `json:"text"`
}

func replyView(r desk.ReplyInfo) ReplyView {
	ph := r.Placeholders
	if ph == nil {
		ph = []string{}
	}
	return ReplyView{Name: r.Name, Text: r.Text, Placeholders: ph, Runtime: r.Runtime}
}

func (s *Server) replies(w http.ResponseWriter, r *http.Request) {
	list, err := s.desk.Replies(r.Context())
	writeList(w, "replies", list, err, replyView)
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	list, err := s.desk.Replies(r.Context())
	if err != nil {
		apiError(w, http.StatusServiceUnavailable, "%v", err)
		return
	}
	for _, x := range list {
		if x.Name == name {
			writeJSON(w, http.StatusOK, replyView(x))
			return
		}
	}
	apiError(w, http.StatusNotFound, "no reply %q", name)
}

func (s *Server) putReply(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	var in ReplyInput
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAPIBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		apiError(w, http.StatusBadRequest, "body: %v", err)
		return
	}
	err := s.desk.PutReply(r.Context(), name, in.Text, "api")
	var invalid *desk.InvalidReply
	switch {
	case errors.As(err, &invalid):
		apiError(w, http.StatusBadRequest, "%v", err)
	case errors.Is(err, desk.ErrNotStored):
		apiError(w, http.StatusInternalServerError, "%v", err)
	case err != nil:
		apiError(w, http.StatusServiceUnavailable, "%v", err)
	default:
		s.reply(w, r)
	}
}

func (s *Server) deleteReply(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	err := s.desk.RemoveReply(r.Context(), name, "api")
	switch {
	case errors.Is(err, desk.ErrNoReply):
		apiError(w, http.StatusNotFound, "no reply %q", name)
	case errors.Is(err, desk.ErrNotStored):
		apiError(w, http.StatusInternalServerError, "%v", err)
	case err != nil:
		apiError(w, http.StatusServiceUnavailable, "%v", err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
