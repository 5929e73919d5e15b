package hook

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"time"

	"switchboard/component/channel"
	"switchboard/component/config"
)

// Channel is one [[channel]] of kind hook, at /hooks/NAME.
type Channel struct {
	Cfg     config.Channel
	Desk    channel.Desk
	Files   *channel.Files
	Client  *http.Client
	Log     *slog.Logger
	Metrics *channel.Metrics
	Now     func() time.Time
}

// ServeHTTP takes a signed message: the signature headers first (403
// without them, 401 when stale), then the body, spooled to disk while
// its signature is computed, at most the channel's limit (413 beyond, as
// soon as it is passed), then JSON or multipart (415 for anything else).
// It answers 201 {"conversation": ID} once the message is durable.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		c.refuse(w, http.StatusMethodNotAllowed, "bad_request", "POST only")
		return
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	v, err := NewVerifier(c.Cfg.Secrets, r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), now)
	switch {
	case errors.Is(err, ErrStale):
		c.refuse(w, http.StatusUnauthorized, "stale", err.Error())
		return
	case err != nil:
		c.refuse(w, http.StatusForbidden, "bad_signature", err.Error())
		return
	}
	typ, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || typ != "application/json" && typ != "multipart/form-data" {
		c.refuse(w, http.StatusUnsupportedMediaType, "type", "the body is application/json or multipart/form-data")
		return
	}
	limit := c.bodyLimit(typ)
	if r.ContentLength > limit {
		c.refuse(w, http.StatusRequestEntityTooLarge, "too_large", "the body is over the channel's limit")
		return
	}
	spool, err := c.spool(w, r, v, limit)
	if spool != nil {
		defer os.Remove(spool.Name())
		defer spool.Close()
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		c.refuse(w, http.StatusRequestEntityTooLarge, "too_large", "the body is over the channel's limit")
		return
	case err != nil:
		c.Log.Error("hook: spooling a body failed", "channel", c.Cfg.Name, "err", err)
		c.refuse(w, http.StatusInternalServerError, "error", "not stored")
		return
	}
	if !v.Valid(r.Header.Get("webhook-signature")) {
		c.refuse(w, http.StatusForbidden, "bad_signature", ErrSignature.Error())
		return
	}
	var p *Payload
	if typ == "application/json" {
		p, err = ReadJSON(spool)
	} else {
		p, err = ReadMultipart(spool, params["boundary"], c.Files)
	}
	if err != nil {
		c.refusePayload(w, err)
		return
	}
	in, err := c.inbound(r.Context(), r.Header.Get("webhook-id"), p)
	if err != nil {
		c.refusePayload(w, err)
		return
	}
	c.take(w, r, in)
}

// bodyLimit is the most a body of type typ may hold: every file at its
// largest for multipart; one, in base64, for JSON (which is read whole).
func (c *Channel) bodyLimit(typ string) int64 {
	l := c.Files.Limits
	size, n := max(l.MaxSize, 1<<20), int64(max(l.MaxFiles, 1))
	if typ == "application/json" {
		return size/3*4 + 1<<20
	}
	return size*n + 1<<20
}

// spool copies the body to a temporary file beside the stored ones,
// through the verifier.
func (c *Channel) spool(w http.ResponseWriter, r *http.Request, v *Verifier, limit int64) (*os.File, error) {
	if err := os.MkdirAll(c.Files.Dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(c.Files.Dir, ".hook-*")
	if err != nil {
		return nil, err
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	if _, err := io.Copy(f, io.TeeReader(body, v)); err != nil {
		return f, err
	}
	_, err = f.Seek(0, io.SeekStart)
	return f, err
}

// refusePayload answers a body that is signed but not taken.
func (c *Channel) refusePayload(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, channel.ErrTooLarge), errors.Is(err, channel.ErrTooMany), errors.Is(err, channel.ErrTooLong):
		c.refuse(w, http.StatusRequestEntityTooLarge, "too_large", err.Error())
	case errors.Is(err, channel.ErrType):
		c.refuse(w, http.StatusUnsupportedMediaType, "type", err.Error())
	case errors.Is(err, ErrPayload):
		c.refuse(w, http.StatusBadRequest, "bad_request", err.Error())
	default:
		c.Log.Error("hook: a file was not stored", "channel", c.Cfg.Name, "err", err)
		c.refuse(w, http.StatusInternalServerError, "error", "not stored")
	}
}

// refuse answers a request that is not taken, and counts it.
func (c *Channel) refuse(w http.ResponseWriter, code int, result, why string) {
	channel.Refuse(w, c.Metrics, c.Log, c.Cfg.Name, code, result, why)
}

// take hands in to the desk and answers once it is durable.
func (c *Channel) take(w http.ResponseWriter, r *http.Request, in channel.Inbound) {
	got, status, result, why := channel.Take(r.Context(), c.Desk, in)
	if status != 0 {
		c.refuse(w, status, result, why.Error())
		return
	}
	c.Metrics.Count(c.Cfg.Name, result)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]uint64{"conversation": got.Conversation})
}
