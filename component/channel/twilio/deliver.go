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
		return channel.Unreachable(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var answer struct {
		SID     string `json:"sid"`
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &answer)
	var detail string
	if answer.Code != 0 || answer.Message != "" {
		detail = fmt.Sprintf("%d: %s", answer.Code, answer.Message)
	}
	r := channel.Answered(resp, detail, time.Now())
	if r.Err == nil {
		r.ProviderID = answer.SID
	}
	return r
}
