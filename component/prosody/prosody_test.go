package prosody_test

import (
	"context"
	"net"
	"testing"
	"time"

	"switchboard/component/prosody"
	"switchboard/component/prosody/prosodytest"
)

func TestStartRegisterRestart(t *testing.T) {
	s := prosodytest.Start(t, prosody.Config{})
	if err := s.Register("someone", "pw"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", s.ComponentAddr())
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
}

func TestRegisterMany(t *testing.T) {
	s := prosodytest.Start(t, prosody.Config{})
	if err := s.RegisterMany([]string{"load-1", "load_2"}, "pw"); err != nil {
		t.Fatal(err)
	}
	if err := s.RegisterMany([]string{"Bad.User"}, "pw"); err == nil {
		t.Fatal("accepted a localpart that needs encoding")
	}
}
