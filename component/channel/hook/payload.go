package hook

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
	"unicode/utf8"

	"switchboard/component/channel"
)

// Payload is what a hook message says: who sent it, the text, its
// attachments (stored already for multipart; links or data for JSON).
type Payload struct {
	From        Sender       `json:"from"`
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments"`
	// Files are the multipart body's, stored as they were read.
	Files []channel.File `json:"-"`
}

// Sender is a hook message's sender: the id the sending system knows
// them by, and what they typed about themselves.
type Sender struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Attachment is a JSON message's file: a link, or the bytes in base64.
type Attachment struct {
	URL  string `json:"url"`
	Data string `json:"data"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// ErrPayload is a body that does not say what a message needs.
var ErrPayload = errors.New("bad payload")

// maxField bounds a multipart field that is not a file.
const maxField = 64 << 10

// ReadJSON reads a JSON message.
func ReadJSON(r io.Reader) (*Payload, error) {
	var p Payload
	dec := json.NewDecoder(r)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: the JSON does not parse: %v", ErrPayload, err)
	}
	return &p, p.check()
}

// ReadMultipart reads a multipart message: the fields from.id,
// from.name, from.email, from.phone and text, and any part with a file
// name, streamed to files (its limits hold: ErrTooMany, ErrTooLarge,
// ErrType).
func ReadMultipart(r io.Reader, boundary string, files *channel.Files) (*Payload, error) {
	if boundary == "" {
		return nil, fmt.Errorf("%w: the multipart body has no boundary", ErrPayload)
	}
	var p Payload
	mr := multipart.NewReader(r, boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: the multipart body does not parse: %v", ErrPayload, err)
		}
		if part.FileName() != "" {
			if max := files.Limits.MaxFiles; max > 0 && len(p.Files) >= max {
				return nil, fmt.Errorf("%w: more than %d files", channel.ErrTooMany, max)
			}
			f, err := files.Store(part, part.FileName(), part.Header.Get("Content-Type"))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", channel.CleanName(part.FileName(), ""), err)
			}
			p.Files = append(p.Files, f)
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxField+1))
		if err != nil {
			return nil, fmt.Errorf("%w: the multipart body does not parse: %v", ErrPayload, err)
		}
		if len(b) > maxField {
			return nil, fmt.Errorf("%w: field %q is over 64 KiB", ErrPayload, part.FormName())
		}
		v := string(b)
		switch part.FormName() {
		case "from.id":
			p.From.ID = v
		case "from.name":
			p.From.Name = v
		case "from.email":
			p.From.Email = v
		case "from.phone":
			p.From.Phone = v
		case "text":
			p.Text = v
		}
	}
	return &p, p.check()
}

// check refuses a payload a message cannot be made of.
func (p *Payload) check() error {
	for _, s := range []string{p.From.ID, p.From.Name, p.From.Email, p.From.Phone, p.Text} {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%w: a field is not UTF-8", ErrPayload)
		}
	}
	if len(p.From.ID) > 256 || len(p.From.Name) > 256 || len(p.From.Email) > 256 || len(p.From.Phone) > 64 {
		return fmt.Errorf("%w: a field of from is too long", ErrPayload)
	}
	if strings.TrimSpace(p.Text) == "" && len(p.Attachments) == 0 && len(p.Files) == 0 {
		return fmt.Errorf("%w: a message needs text or attachments", ErrPayload)
	}
	for _, a := range p.Attachments {
		if (a.URL == "") == (a.Data == "") {
			return fmt.Errorf("%w: an attachment has a url or data", ErrPayload)
		}
	}
	return nil
}

// inbound makes the desk's message of a payload sent as id: its JSON
// attachments stored (data decoded, links fetched from the channel's
// media hosts only).
func (c *Channel) inbound(ctx context.Context, id string, p *Payload) (channel.Inbound, error) {
	in := channel.Inbound{Channel: "hook:" + c.Cfg.Name, Provider: c.Cfg.Name, Key: id, Name: p.From.Name,
		Text: strings.TrimSpace(p.Text), Entry: c.Cfg.Entry, Queue: c.Cfg.Queue, Files: p.Files}
	if c.Cfg.ReplyURL == "" {
		in.Kind = "message" // a form: nothing goes back
	}
	// Who it is: the id the sending system vouches for, else this one
	// message.
	in.Address = p.From.ID
	if in.Address == "" {
		in.Address = "message " + id
	}
	in.Customer = "hook:" + c.Cfg.Name + ":" + in.Address
	in.Email, in.Phone = strings.TrimSpace(p.From.Email), strings.TrimSpace(p.From.Phone)
	max := c.Files.Limits.MaxFiles
	if max > 0 && len(p.Files)+len(p.Attachments) > max {
		return in, fmt.Errorf("%w: more than %d files", channel.ErrTooMany, max)
	}
	fetch := channel.Fetcher{Files: c.Files, Client: c.Client, Hosts: c.Cfg.MediaHosts}
	for _, a := range p.Attachments {
		if a.URL != "" {
			in.Files = append(in.Files, fetch.Fetch(ctx, a.URL, a.Type))
			continue
		}
		data, err := base64.StdEncoding.DecodeString(a.Data)
		if err != nil {
			return in, fmt.Errorf("%w: an attachment's data is not base64", ErrPayload)
		}
		f, err := c.Files.Store(bytes.NewReader(data), a.Name, a.Type)
		if err != nil {
			return in, fmt.Errorf("%s: %w", channel.CleanName(a.Name, ""), err)
		}
		in.Files = append(in.Files, f)
	}
	return in, nil
}
