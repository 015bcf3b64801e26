package api

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestLoginThrottleStaysBounded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	lt := newLoginThrottle(LoginLimits{MaxEntries: 100})
	// A locked name must survive a flood of new ones.
	for range DefaultLoginPerUser {
		if _, ok := lt.admit("victim", "10.0.0.1", now); !ok {
			t.Fatal("victim refused before the limit")
		}
	}
	for i := range 5000 {
		lt.admit(fmt.Sprint("made-up-", i), fmt.Sprint("192.0.2.", i%250, ":", i), now.Add(time.Duration(i)*time.Millisecond))
		if users, addrs := lt.size(); users > 100 || addrs > 100 {
			t.Fatalf("after %d names the tables hold %d names and %d addresses, cap 100", i+1, users, addrs)
		}
	}
	if _, ok := lt.admit("victim", "10.0.0.2", now.Add(10*time.Second)); ok {
		t.Fatal("the flood of new names lifted the victim's lock")
	}
	// Once the window has passed, one attempt prunes everything old.
	lt.admit("late", "10.0.0.3", now.Add(DefaultLoginWindow+time.Hour))
	if users, addrs := lt.size(); users != 1 || addrs != 1 {
		t.Fatalf("after the window the tables hold %d names and %d addresses, want 1 and 1", users, addrs)
	}
}

func TestRequestLimiterForgetsIdleAccounts(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	l := newRequestLimiter(10)
	r, _ := http.NewRequest("GET", "/api/v1/me", nil)
	for id := range int64(1000) {
		l.allow(id, r, now)
	}
	if n := l.size(); n != 1000 {
		t.Fatalf("holds %d accounts, want 1000", n)
	}
	l.allow(1, r, now.Add(limiterIdle))
	if n := l.size(); n != 1 {
		t.Fatalf("after a minute idle it holds %d accounts, want 1", n)
	}
	if newRequestLimiter(0) != nil {
		t.Fatal("--rate-limit 0 must mean no limiter")
	}
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ remote, forwarded, want string }{
		{"192.0.2.7:51234", "", "192.0.2.7"},
		{"192.0.2.7:51234", "203.0.113.9", "192.0.2.7"},
		{"[::ffff:192.0.2.7]:443", "", "192.0.2.7"},
		{"[2001:db8:1:2:aaaa::1]:443", "", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:bbbb::9]:443", "", "2001:db8:1:2::/64"},
		{"pipe", "", "pipe"},
	} {
		r, _ := http.NewRequest("POST", "/api/v1/auth/login", nil)
		r.RemoteAddr = c.remote
		if c.forwarded != "" {
			r.Header.Set("X-Forwarded-For", c.forwarded)
		}
		if got := clientAddr(r); got != c.want {
			t.Errorf("clientAddr(%q) = %q, want %q", c.remote, got, c.want)
		}
	}
}

func TestLoginThrottleCountsAttemptsInFlight(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	lt := newLoginThrottle(LoginLimits{})
	// Fifty guesses at once, none finished: only the first five get to
	// have their password checked.
	admitted := make(chan bool, 50)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, ok := lt.admit("chen", "192.0.2.7", now)
			admitted <- ok
		})
	}
	wg.Wait()
	close(admitted)
	n := 0
	for ok := range admitted {
		if ok {
			n++
		}
	}
	if n != DefaultLoginPerUser {
		t.Fatalf("%d of 50 parallel attempts let in, want %d", n, DefaultLoginPerUser)
	}
}
