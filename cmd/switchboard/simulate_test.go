package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/component/channel/twilio/twiliofake"
	"switchboard/component/config"
	"switchboard/component/prosody"
)

// simulate posts to a running desk what the providers would: the desk
// takes it (no XMPP server is needed to store it), a repeated id is a
// duplicate, a bad number a usage error.
func TestSimulate(t *testing.T) {
	dir := t.TempDir()
	ports, err := prosody.FreePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	provider := httptest.NewServer(&twiliofake.Provider{AccountSID: "ACsim", AuthToken: "tok"})
	defer provider.Close()
	cfgFile := filepath.Join(dir, "switchboard.toml")
	text := fmt.Sprintf(recordsConfig, ports[0]) + fmt.Sprintf(`
[[channel]]
name = "sms"
kind = "twilio"
number = "+4930123456"
account_sid = "ACsim"
auth_token = "tok"
api_url = %q
public_url = "https://help.example.com"

[[channel]]
name = "forms"
kind = "hook"
queue = "billing"
secret = "whsec_c2VjcmV0LXNlY3JldA=="
`, provider.URL)
	if err := os.WriteFile(cfgFile, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	defer serve(t, cfg)()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sms", "-config", cfgFile, "-from", "+49 30 1234567", "-id", "SM1", "my", "invoice"}, "SMS SM1 from +49301234567: 200 <Response></Response>"},
		{[]string{"sms", "-config", cfgFile, "-from", "+49301234567", "-id", "SM1", "my invoice"}, "SMS SM1 from +49301234567: 200"},
		{[]string{"voicemail", "-config", cfgFile, "-from", "+49301234567", "call me"}, "<Hangup></Hangup>"},
		{[]string{"hook", "-config", cfgFile, "-from", "ada", "the form"}, `201 {"conversation":3}`},
	} {
		out, err := cli(t, append([]string{"simulate"}, tc.args...)...)
		if err != nil || !strings.Contains(out, tc.want) {
			t.Errorf("simulate %v: %q, %v; want %q", tc.args, out, err, tc.want)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sms", "-config", cfgFile, "-from", "0301234567", "x"}, "not a phone number with its country code"},
		{[]string{"sms", "-config", cfgFile, "-from", "+49301234567"}, "TEXT is missing"},
		{[]string{"hook", "-config", cfgFile, "-channel", "sms", "x"}, `no [[channel]] "sms" of kind hook`},
		{[]string{"fax"}, "usage: switchboard simulate"},
	} {
		if _, err := cli(t, append([]string{"simulate"}, tc.args...)...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("simulate %v: %v, want %q", tc.args, err, tc.want)
		}
	}
	out, err := cli(t, "conversations", "list", "-config", cfgFile)
	for _, want := range []string{"1   queued  billing  sms", "2   queued  billing  voice", "3   queued  billing  hook:forms"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("list lacks %q: %s %v", want, out, err)
		}
	}
}
