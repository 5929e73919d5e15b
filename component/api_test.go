package component_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"switchboard/component/api"
	"switchboard/component/xmppclient"
)

func TestAPIErrorsAndPaging(t *testing.T) {
	customers := []string{"c1", "c2", "c3", "c4", "c5", "c6", "c7"}
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, customers...)
	e.startDesk()
	open := func(names ...string) {
		t.Helper()
		for _, n := range names {
			c := e.login(n, xmppclient.Options{})
			say(t, c, "hi")
			expectChat(t, c, entry, "How can we help?")
		}
	}
	open("c1", "c2", "c3", "c4", "c5")

	// Authentication.
	before := e.metric("switchboard_api_unauthorized_total", "")
	for _, tc := range []struct{ path, token string }{
		{"/api/v1/conversations", ""},
		{"/api/v1/conversations", "wrong"},
		{"/api/v1/conversations/1", "T0KEN"},
		{"/api/v1/agents", ""},
		{"/api/v1/export", "t0ke"},
	} {
		code, body := e.api("GET", tc.path, tc.token, "")
		if code != 401 || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s with token %q: %d %s", tc.path, tc.token, code, body)
		}
	}
	if got := e.metric("switchboard_api_unauthorized_total", "") - before; got != 5 {
		t.Errorf("unauthorized metric went up by %v, want 5", got)
	}
	if code, body := e.api("GET", "/api/v1/status", "", ""); code != 200 || !strings.Contains(string(body), `"agents_available"`) {
		t.Errorf("public status: %d %s", code, body)
	}

	// Errors are JSON with a status code.
	for _, tc := range []struct {
		method, path string
		code         int
		part         string
	}{
		{"GET", "/api/v1/conversations/999", 404, "no conversation 999"},
		{"GET", "/api/v1/conversations/case-2", 200, `"id": 2`},
		{"GET", "/api/v1/conversations/x", 400, "not a conversation id"},
		{"GET", "/api/v1/conversations?status=bogus", 400, "is not one of"},
		{"GET", "/api/v1/conversations?limit=0", 400, "limit: want a number"},
		{"GET", "/api/v1/conversations?limit=x", 400, "limit"},
		{"GET", "/api/v1/conversations?before=-1", 400, "before"},
		{"GET", "/api/v1/conversations?agent=nobody", 400, "not a bare JID"},
		{"GET", "/api/v1/conversations?colour=red", 400, "unknown filter"},
		{"GET", "/api/v1/conversations?status=dialog&status=open", 400, "give it once"},
		{"DELETE", "/api/v1/conversations/1", 405, "not allowed"},
		{"GET", "/api/v1/nothing", 404, "no such endpoint"},
		{"GET", "/api/v1/agents/nobody@localhost", 404, "no agent"},
		{"PUT", "/api/v1/agents/x@localhost", 400, "body"},
	} {
		code, body := e.api(tc.method, tc.path, "t0ken", "")
		if code != tc.code || !strings.Contains(string(body), tc.part) {
			t.Errorf("%s %s: %d %s, want %d with %q", tc.method, tc.path, code, body, tc.code, tc.part)
		}
		if code >= 400 {
			var apiErr api.APIError
			if err := json.Unmarshal(body, &apiErr); err != nil || apiErr.Error == "" {
				t.Errorf("%s %s: not a JSON error: %s", tc.method, tc.path, body)
			}
		}
	}

	// Paging stays stable while conversations are added.
	var ids []uint64
	cursor := ""
	for page := 0; page < 10; page++ {
		path := "/api/v1/conversations?status=dialog&limit=2"
		if cursor != "" {
			path += "&before=" + cursor
		}
		code, body := e.api("GET", path, "t0ken", "")
		if code != 200 {
			t.Fatalf("%s: %d %s", path, code, body)
		}
		var p api.ListPage
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Conversations {
			ids = append(ids, c.ID)
		}
		if page == 0 {
			open("c6", "c7") // new conversations while paging
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	if !slices.Equal(ids, []uint64{5, 4, 3, 2, 1}) {
		t.Errorf("pages = %v, want 5 4 3 2 1", ids)
	}
	code, body := e.api("GET", "/api/v1/conversations?customer=c6@localhost", "t0ken", "")
	if code != 200 || !strings.Contains(string(body), `"customer": "c6@localhost"`) || strings.Contains(string(body), "c7@localhost") {
		t.Errorf("customer filter: %d %s", code, body)
	}
}

// TestAgentsAtRuntime changes agents through the API: effective at once,
// kept across a restart.
func TestAgentsAtRuntime(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7"}, "customer", "shopper", "dave")
	assigned(t, e)
	code, body := e.api("GET", "/api/v1/agents", "t0ken", "")
	if code != 200 || !strings.Contains(string(body), `"jid": "alice@localhost"`) || !strings.Contains(string(body), `"source": "config"`) || !strings.Contains(string(body), `"load": 1`) {
		t.Fatalf("agents: %d %s", code, body)
	}
	for _, tc := range []struct{ body, part string }{
		{`{"skills": {"cooking": 3}}`, `unknown skill \"cooking\"`},
		{`{"skills": {"sales": 11}}`, "out of range 1–10"},
		{`{"max_chats": 0}`, "max_chats 0 is out of range"},
		{`{"skils": {}}`, "unknown field"},
		{`not json`, "body"},
	} {
		if code, body := e.api("PUT", "/api/v1/agents/dave@localhost", "t0ken", tc.body); code != 400 || !strings.Contains(string(body), tc.part) {
			t.Errorf("PUT %s: %d %s, want 400 with %q", tc.body, code, body, tc.part)
		}
	}
	if code, body := e.api("PUT", "/api/v1/agents/not-a-jid", "t0ken", `{}`); code != 400 || !strings.Contains(string(body), "not a bare JID") {
		t.Errorf("PUT bad jid: %d %s", code, body)
	}
	code, body = e.api("PUT", "/api/v1/agents/Dave@localhost", "t0ken", `{"name": "Dave", "skills": {"sales": 5}, "max_chats": 2}`)
	if code != 201 || !strings.Contains(string(body), `"source": "runtime"`) {
		t.Fatalf("PUT dave: %d %s", code, body)
	}
	// Effective at once: dave is asked for his presence and gets a sales
	// conversation.
	dave := e.login("dave", xmppclient.Options{})
	subscribed(t, dave)
	shopper := e.login("shopper", xmppclient.Options{})
	say(t, shopper, "hi")
	say(t, shopper, "2")
	expectInvite(t, dave)
	if code, body := e.api("PUT", "/api/v1/agents/dave@localhost", "t0ken", `{"name": "Dave", "skills": {"sales": 6}, "max_chats": 2}`); code != 200 {
		t.Fatalf("PUT dave again: %d %s", code, body)
	}
	if code, body := e.api("DELETE", "/api/v1/agents/alice@localhost", "t0ken", ""); code != 409 || !strings.Contains(string(body), "case-1") {
		t.Errorf("DELETE busy alice: %d %s", code, body)
	}
	// Restart: dave is still there, with his runtime profile. (He goes
	// offline first, so that the sales conversation is not his when he is
	// deleted below.)
	dave.Close()
	e.stopDesk()
	e.startDesk()
	code, body = e.api("GET", "/api/v1/agents/dave@localhost", "t0ken", "")
	if code != 200 || !strings.Contains(string(body), `"sales": 6`) || !strings.Contains(string(body), `"source": "runtime"`) {
		t.Fatalf("after restart: %d %s", code, body)
	}
	if code, body := e.api("DELETE", "/api/v1/agents/dave@localhost", "t0ken", ""); code != 204 {
		t.Fatalf("DELETE dave: %d %s", code, body)
	}
	if code, _ := e.api("GET", "/api/v1/agents/dave@localhost", "t0ken", ""); code != 404 {
		t.Errorf("dave after DELETE: %d", code)
	}
	e.stopDesk()
	e.startDesk()
	code, body = e.api("GET", "/api/v1/agents", "t0ken", "")
	if code != 200 || strings.Contains(string(body), "dave") {
		t.Errorf("dave came back after a restart: %s", body)
	}
}
