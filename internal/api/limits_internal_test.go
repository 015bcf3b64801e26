package api

import (
	"fmt"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/config"
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
	proxies, err := config.ParsePrefixes("127.0.0.1, 10.0.0.0/8,::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote, forwarded string
		trusted           []netip.Prefix
		want              string
	}{
		{"192.0.2.7:51234", "", nil, "192.0.2.7"},
		{"192.0.2.7:51234", "203.0.113.9", nil, "192.0.2.7"},
		{"[::ffff:192.0.2.7]:443", "", nil, "192.0.2.7"},
		{"[2001:db8:1:2:aaaa::1]:443", "", nil, "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:bbbb::9]:443", "", nil, "2001:db8:1:2::/64"},
		{"pipe", "", nil, "pipe"},
		// Without a trusted proxy the header is not believed, even from
		// an address that would be one.
		{"127.0.0.1:40000", "203.0.113.9", nil, "127.0.0.1"},
		// Behind a trusted proxy the client is the last hop it appended.
		{"127.0.0.1:40000", "203.0.113.9", proxies, "203.0.113.9"},
		{"[::1]:40000", "203.0.113.9", proxies, "203.0.113.9"},
		{"[::ffff:127.0.0.1]:40000", "203.0.113.9:5555", proxies, "203.0.113.9"},
		// A client that writes its own header cannot pick its address:
		// hops are read from the right, past the trusted proxies only.
		{"127.0.0.1:40000", "198.51.100.1, 203.0.113.9", proxies, "203.0.113.9"},
		{"127.0.0.1:40000", "198.51.100.1, 203.0.113.9, 10.1.2.3", proxies, "203.0.113.9"},
		{"127.0.0.1:40000", "2001:db8:1:2:aaaa::1", proxies, "2001:db8:1:2::/64"},
		// Garbage stops the walk at the last hop that could be read.
		{"127.0.0.1:40000", "203.0.113.9, nonsense", proxies, "127.0.0.1"},
		{"127.0.0.1:40000", "nonsense, 10.1.2.3", proxies, "10.1.2.3"},
		// Nothing forwarded: the proxy's own address.
		{"127.0.0.1:40000", "", proxies, "127.0.0.1"},
		// A client that is not a trusted proxy is itself, whatever it sends.
		{"192.0.2.7:51234", "203.0.113.9", proxies, "192.0.2.7"},
	} {
		r, _ := http.NewRequest("POST", "/api/v1/auth/login", nil)
		r.RemoteAddr = c.remote
		if c.forwarded != "" {
			r.Header.Set("X-Forwarded-For", c.forwarded)
		}
		if got := clientAddr(r, c.trusted); got != c.want {
			t.Errorf("clientAddr(%q, X-Forwarded-For %q, %d proxies) = %q, want %q", c.remote, c.forwarded, len(c.trusted), got, c.want)
		}
	}
	// Two header lines are one list.
	r, _ := http.NewRequest("POST", "/api/v1/auth/login", nil)
	r.RemoteAddr = "10.0.0.5:1"
	r.Header.Add("X-Forwarded-For", "203.0.113.9")
	r.Header.Add("X-Forwarded-For", "10.0.0.4")
	if got := clientAddr(r, proxies); got != "203.0.113.9" {
		t.Errorf("two header lines: %q, want 203.0.113.9", got)
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
