package channel

import (
	"net/http"
	"strings"
	"time"
)

// Served is what the file server needs of a stored file: its type, from
// the store's record of it.
type Served func(id string) (typ string, ok bool)

// Handler serves GET /files/{id}/{name}?exp=…&sig=…: the file's bytes
// while the link is valid (403 otherwise, 404 for a file not there).
// What a browser could run (HTML, SVG, scripts) is never shown inline,
// and no response may be sniffed into something else.
func (f *Files) Handler(links *Links, served Served, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, name := r.PathValue("id"), r.PathValue("name")
		q := r.URL.Query()
		if !links.Verify(id, name, q.Get("exp"), q.Get("sig"), now()) {
			Error(w, http.StatusForbidden, "the link is not valid or has expired")
			return
		}
		typ, ok := served(id)
		file, err := f.Open(id)
		if !ok || err != nil {
			Error(w, http.StatusNotFound, "no such file")
			return
		}
		defer file.Close()
		st, err := file.Stat()
		if err != nil {
			Error(w, http.StatusNotFound, "no such file")
			return
		}
		h := w.Header()
		h.Set("Content-Type", typ)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
		h.Set("Cache-Control", "private, max-age=3600")
		disposition := "attachment"
		if inline(typ) {
			disposition = "inline"
		}
		h.Set("Content-Disposition", disposition+`; filename="`+CleanName(name, typ)+`"`)
		http.ServeContent(w, r, "", st.ModTime(), file)
	})
}

// inline reports whether a type is shown in the browser: pictures,
// sound, video, PDF and plain text, never markup.
func inline(typ string) bool {
	switch {
	case typ == "image/svg+xml":
		return false
	case strings.HasPrefix(typ, "image/"), strings.HasPrefix(typ, "audio/"), strings.HasPrefix(typ, "video/"):
		return true
	}
	return typ == "application/pdf" || strings.HasPrefix(typ, "text/plain")
}
