package twilio

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/component/channel"
	"switchboard/store/outbox"
)

// Deliver posts a reply to the provider's Messages resource: To, From,
// Body, MediaUrl and a StatusCallback that names the entry, with the
// account's Basic auth. Network errors, 408, 429 and 5xx are worth
// another attempt (after the Retry-After the provider gives); any other
// answer is final, with the provider's code and message.
func (c *Channel) Deliver(ctx context.Context, e *outbox.Entry) channel.Result {
	form := url.Values{"To": {e.To}, "From": {c.Cfg.Number}, "Body": {e.Body},
		"StatusCallback": {c.publicURL("status", url.Values{"outbox": {strconv.FormatUint(e.ID, 10)}})}}
	for _, m := range e.Media {
		form.Add("MediaUrl", m)
	}
	endpoint := c.Cfg.APIURL + "/2010-04-01/Accounts/" + url.PathEscape(c.Cfg.AccountSID) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return channel.Result{Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(c.Cfg.AccountSID, c.Cfg.AuthToken)
	resp, err := c.Client.Do(req)
	if err != nil {
		return channel.Result{Err: fmt.Errorf("the provider did not answer: %w", err), Retry: true}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var answer struct {
		SID     string `json:"sid"`
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &answer)
	if resp.StatusCode/100 == 2 {
		return channel.Result{ProviderID: answer.SID}
	}
	why := fmt.Sprintf("the provider answered %d", resp.StatusCode)
	if answer.Code != 0 || answer.Message != "" {
		why += fmt.Sprintf(" (%d: %s)", answer.Code, answer.Message)
	}
	retry := resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return channel.Result{Err: fmt.Errorf("%s", why), Retry: retry, After: RetryAfter(resp.Header.Get("Retry-After"), time.Now())}
}

// RetryAfter reads a Retry-After header: seconds, or an HTTP date.
func RetryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
