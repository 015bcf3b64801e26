package api

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// requestLimiter holds each account to a number of requests per second
// (`serve --rate-limit`), with bursts of twice that. Like the login
// throttle it lives in this node's memory. Off by default: the benchmark
// drives thousands of requests a second with one token.
type requestLimiter struct {
	every     rate.Limit
	burst     int
	mu        sync.Mutex
	accounts  map[int64]*accountLimiter
	lastPrune time.Time
}

type accountLimiter struct {
	lim  *rate.Limiter
	seen time.Time
}

// limiterIdle is how long an account's limiter is kept unused. A limiter
// idle for burst/rate (two seconds) is full again, as good as a new one,
// so dropping it changes nothing and the table holds only the accounts
// active in the last minute.
const limiterIdle = time.Minute

// newRequestLimiter answers a limiter of perSecond requests per second
// per account, or nil for none.
func newRequestLimiter(perSecond int) *requestLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &requestLimiter{every: rate.Limit(perSecond), burst: 2 * perSecond, accounts: map[int64]*accountLimiter{}}
}

// allow takes one request of the account from its budget, or answers how
// long until the next one would fit. The live event stream is one
// long-lived connection, not a stream of requests, and is never limited.
func (l *requestLimiter) allow(account int64, r *http.Request, now time.Time) (wait time.Duration, ok bool) {
	if l == nil || r.URL.Path == "/api/v1/events/stream" {
		return 0, true
	}
	l.mu.Lock()
	if now.Sub(l.lastPrune) >= limiterIdle || now.Before(l.lastPrune) {
		for id, a := range l.accounts {
			if now.Sub(a.seen) >= limiterIdle {
				delete(l.accounts, id)
			}
		}
		l.lastPrune = now
	}
	a := l.accounts[account]
	if a == nil {
		a = &accountLimiter{lim: rate.NewLimiter(l.every, l.burst)}
		l.accounts[account] = a
	}
	a.seen = now
	l.mu.Unlock()

	res := a.lim.ReserveN(now, 1)
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return wait, false
	}
	return 0, true
}

// size answers how many accounts the limiter holds.
func (l *requestLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.accounts)
}

// rateLimited answers a request over the account's budget.
func (s *Server) rateLimited(w http.ResponseWriter, wait time.Duration) {
	secs := retryAfter(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("请求过于频繁，请 %d 秒后再试", secs))
}
