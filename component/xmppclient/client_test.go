package xmppclient_test

import (
	"context"
	"testing"
	"time"

	"switchboard/component/prosody"
	"switchboard/component/prosody/prosodytest"
	"switchboard/component/wire"
	"switchboard/component/xmppclient"
)

func TestTwoClientsChat(t *testing.T) {
	srv := prosodytest.Start(t, prosody.Config{})
	for _, u := range []string{"a", "b"} {
		if err := srv.Register(u, "pw"); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, err := xmppclient.Dial(ctx, srv.C2SAddr(), "a@localhost", "pw", xmppclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := xmppclient.Dial(ctx, srv.C2SAddr(), "b@localhost", "pw", xmppclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	body := `hi <there> & "you"`
	if err := a.Send(ctx, wire.Message{To: "b@localhost", Type: "chat", Body: body, URL: "https://example.com/x.png"}.String()); err != nil {
		t.Fatal(err)
	}
	m, err := b.Expect(5*time.Second, "message", func(s wire.Stanza) bool { return s.Body != "" })
	if err != nil {
		t.Fatal(err)
	}
	if m.Body != body || m.OOB == nil || m.OOB.URL != "https://example.com/x.png" || wire.Bare(m.From) != "a@localhost" {
		t.Fatalf("got %+v", m)
	}
}
