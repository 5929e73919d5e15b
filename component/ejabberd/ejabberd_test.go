package ejabberd_test

import (
	"context"
	"net"
	"os"
	"testing"
	"time"

	"switchboard/component/ejabberd"
)

func TestStartRegisterRestart(t *testing.T) {
	if err := ejabberd.Installed(); err != nil {
		if os.Getenv("CI") == "true" && os.Getenv("SWITCHBOARD_TEST_SERVER") == "ejabberd" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := ejabberd.Start(ctx, ejabberd.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if err := s.Register("someone", "pw"); err != nil {
		t.Fatal(err)
	}
	if err := s.Register("someone", "pw"); err == nil {
		t.Fatal("registered the same user twice")
	}
	if err := s.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", s.ComponentAddr())
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
}
