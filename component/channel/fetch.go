package channel

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Fetcher stores files a message names by URL: only from its hosts,
// within the size limit.
type Fetcher struct {
	Files  *Files
	Client *http.Client
	// Hosts are the hosts files may come from ("*.example.com" for its
	// subdomains); a link elsewhere is not fetched.
	Hosts []string
	// Auth, when set, signs in a request (a provider's account).
	Auth func(*http.Request)
}

// Fetch stores the file at raw; typ is the type the message declared.
// What it cannot fetch comes back with why, for a placeholder in the
// room.
func (f *Fetcher) Fetch(ctx context.Context, raw, typ string) File {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return File{Name: "file", Missing: "not a link"}
	}
	name := path.Base(u.Path)
	if !f.allowed(u.Hostname()) {
		return File{Name: name, Missing: "not fetched: " + u.Hostname() + " is not one of the channel's media hosts"}
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return File{Name: name, Missing: "not fetched: " + err.Error()}
	}
	if f.Auth != nil {
		f.Auth(req)
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return File{Name: name, Missing: "not fetched: the provider did not answer"}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return File{Name: name, Missing: fmt.Sprintf("not fetched: the provider answered %d", resp.StatusCode)}
	}
	if max := f.Files.Limits.MaxSize; max > 0 && resp.ContentLength > max {
		return File{Name: name, Missing: "not fetched: over the size limit"}
	}
	if t := resp.Header.Get("Content-Type"); t != "" {
		typ = t
	}
	file, err := f.Files.Store(resp.Body, name, typ)
	if err != nil {
		return File{Name: name, Missing: "not stored: " + err.Error()}
	}
	return file
}

// allowed reports whether host is one files may come from.
func (f *Fetcher) allowed(host string) bool {
	host = strings.ToLower(host)
	for _, h := range f.Hosts {
		h = strings.ToLower(h)
		if h == host || strings.HasPrefix(h, "*.") && strings.HasSuffix(host, h[1:]) {
			return true
		}
	}
	return false
}
