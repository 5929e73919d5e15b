package api

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"switchboard/store"
	"switchboard/store/report"
)

// ParseReportQuery reads from, to and by of GET /api/v1/reports (and of
// switchboard report): days (2006-01-02, in loc; to is the last day
// included) or RFC 3339 times, by queue (default), agent or day.
func ParseReportQuery(q url.Values, loc *time.Location) (from, to time.Time, by report.By, err error) {
	for k := range q {
		if k != "from" && k != "to" && k != "by" {
			return from, to, by, fmt.Errorf("unknown parameter %q (from, to, by)", k)
		}
	}
	parse := func(name string, end bool) (time.Time, error) {
		s := q.Get(name)
		if s == "" {
			return time.Time{}, fmt.Errorf("%s is missing (a day like 2026-11-30, or an RFC 3339 time)", name)
		}
		if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
			if end {
				t = t.AddDate(0, 0, 1)
			}
			return t, nil
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: %q is not a day like 2026-11-30 or an RFC 3339 time", name, s)
		}
		return t, nil
	}
	if from, err = parse("from", false); err != nil {
		return
	}
	if to, err = parse("to", true); err != nil {
		return
	}
	by = report.By(q.Get("by"))
	if by == "" {
		by = report.ByQueue
	}
	err = report.Check(from, to, by)
	return
}

func (s *Server) reports(w http.ResponseWriter, r *http.Request) {
	from, to, by, err := ParseReportQuery(r.URL.Query(), time.Local)
	if err != nil {
		apiError(w, http.StatusBadRequest, "%v", err)
		return
	}
	var rep *report.Report
	if err := s.store.View(func(tx *store.Tx) (err error) {
		rep, err = report.Of(tx, from, to, by, time.Local)
		return err
	}); err != nil {
		apiError(w, http.StatusInternalServerError, "report: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
