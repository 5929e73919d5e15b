package channel

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Answered is the Result of an HTTP answer to a delivery: a 2xx is
// accepted; 408, 429 and 5xx are worth another attempt, after the
// Retry-After the server gave; any other answer is final. detail, when
// set, is what the server said of its refusal.
func Answered(resp *http.Response, detail string, now time.Time) Result {
	if resp.StatusCode/100 == 2 {
		return Result{}
	}
	why := fmt.Sprintf("answered %d", resp.StatusCode)
	if detail != "" {
		why += " (" + detail + ")"
	}
	code := resp.StatusCode
	retry := code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500
	if !retry {
		return Result{Err: final(why)}
	}
	return Result{Err: errors.New(why), Retry: true, After: RetryAfter(resp.Header.Get("Retry-After"), now)}
}

// Unreachable is the Result of a delivery that got no answer: worth
// another attempt.
func Unreachable(err error) Result {
	return Result{Err: fmt.Errorf("no answer: %w", err), Retry: true}
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

// final is an answer that retrying cannot help: errors.Is(ErrFinal).
type final string

func (f final) Error() string        { return string(f) }
func (f final) Is(target error) bool { return target == ErrFinal }
