package channel

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// File is a stored file, as a channel hands it on.
type File struct {
	ID     string // the first 32 hex digits of SHA256: its name on disk
	Name   string
	Type   string // sniffed
	Size   int64
	SHA256 string
	// Missing says why a file a message named was not fetched (a host
	// that is not the provider's, too large): the room gets a placeholder.
	Missing string
}

// Limits bound the files of one message.
type Limits struct {
	MaxSize  int64    // bytes per file
	MaxFiles int      // per message
	Types    []string // allowed types, "image/*" style; empty: any
}

// The errors of storing a file.
var (
	ErrTooLarge   = errors.New("the file is over the size limit")
	ErrType       = errors.New("files of this type are not taken")
	ErrTooMany    = errors.New("too many files")
	errEmptyFiles = errors.New("files: no directory")
)

// Files stores files under a directory by their hash.
type Files struct {
	Dir    string
	Limits Limits
}

// Store streams r to disk: at most MaxSize bytes (ErrTooLarge beyond,
// nothing kept), its type sniffed from the first bytes and checked
// against the allowed types (ErrType), its SHA-256 its name. declared is
// the type the sender said, used only to tell apart what sniffing calls
// text or octets.
func (f *Files) Store(r io.Reader, name, declared string) (File, error) {
	if f.Dir == "" {
		return File{}, errEmptyFiles
	}
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return File{}, err
	}
	tmp, err := os.CreateTemp(f.Dir, ".incoming-*")
	if err != nil {
		return File{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	limit := f.Limits.MaxSize
	if limit <= 0 {
		limit = 25 << 20
	}
	h := sha256.New()
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return File{}, err
	}
	head = head[:n]
	typ := sniff(head, declared)
	if !allowed(typ, f.Limits.Types) {
		return File{}, fmt.Errorf("%w: %s", ErrType, typ)
	}
	w := io.MultiWriter(tmp, h)
	if _, err := w.Write(head); err != nil {
		return File{}, err
	}
	size, err := io.Copy(w, io.LimitReader(r, limit-int64(n)+1))
	if err != nil {
		return File{}, err
	}
	size += int64(n)
	if size > limit {
		return File{}, ErrTooLarge
	}
	if err := tmp.Sync(); err != nil {
		return File{}, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	id := sum[:32]
	if err := os.Rename(tmp.Name(), filepath.Join(f.Dir, id)); err != nil {
		return File{}, err
	}
	return File{ID: id, Name: CleanName(name, typ), Type: typ, Size: size, SHA256: sum}, nil
}

// Open opens the bytes of file id.
func (f *Files) Open(id string) (*os.File, error) {
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, os.ErrNotExist
	}
	return os.Open(filepath.Join(f.Dir, id))
}

// sniff is a file's type from its first bytes. What the sniffer calls
// octets is taken for the audio or video type the sender declared
// (recordings: it knows few of those formats), never for anything else.
func sniff(head []byte, declared string) string {
	t, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	d, _, _ := mime.ParseMediaType(declared)
	if t == "application/octet-stream" && (strings.HasPrefix(d, "audio/") || strings.HasPrefix(d, "video/")) {
		return d
	}
	return t
}

// allowed reports whether typ matches one of the patterns ("image/*").
func allowed(typ string, patterns []string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		if p == typ || strings.HasSuffix(p, "/*") && strings.HasPrefix(typ, strings.TrimSuffix(p, "*")) {
			return true
		}
	}
	return false
}

// CleanName makes a file name safe for a link: its base, letters,
// digits, dots, dashes and underscores; an extension from its type when
// it has none.
func CleanName(name, typ string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if len(s) > 80 {
		s = s[len(s)-80:]
	}
	if s == "" {
		s = "file"
	}
	if !strings.Contains(s, ".") {
		if exts, _ := mime.ExtensionsByType(typ); len(exts) > 0 {
			s += exts[0]
		}
	}
	return s
}
