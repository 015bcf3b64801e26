package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// newLimitedZone is a zone whose accounts may make perSecond requests a second.
func newLimitedZone(t *testing.T, perSecond int) *zone {
	t.Helper()
	return newZoneOn(t, storetest.SQLite(t), false, func(d *api.Deps) { d.RateLimit = perSecond })
}

func TestRateLimitPerAccount(t *testing.T) {
	t.Parallel()
	z := newLimitedZone(t, 3)
	// The clock stands still, so the budget is the burst: twice the rate.
	for range 6 {
		z.call("GET", "/api/v1/me", "dispatcher", nil).expect(t, 200)
	}
	r := z.call("GET", "/api/v1/me", "dispatcher", nil).expect(t, 429, "rate_limited")
	if got := r.header.Get("Retry-After"); got != "1" {
		t.Fatalf("Retry-After %q, want 1", got)
	}
	// A refused request costs nothing from the budget.
	z.call("GET", "/api/v1/cases", "dispatcher", nil).expect(t, 429, "rate_limited")
	// Another account has its own budget.
	z.call("GET", "/api/v1/me", "leader", nil).expect(t, 200)
	// Neither the probes nor the live stream are limited.
	z.call("GET", "/healthz", "dispatcher", nil).expect(t, 200)
	z.call("GET", "/metrics", "dispatcher", nil).expect(t, 200)
	if got := openStream(t, z, "dispatcher"); got != 200 {
		t.Fatalf("stream answered %d while the account is over its budget", got)
	}
	// One second later, three more requests fit, and no fourth.
	z.now = t0.Add(time.Second)
	for range 3 {
		z.call("GET", "/api/v1/me", "dispatcher", nil).expect(t, 200)
	}
	z.call("GET", "/api/v1/me", "dispatcher", nil).expect(t, 429, "rate_limited")
}

func TestRateLimitOffByDefault(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	for range 50 {
		z.call("GET", "/api/v1/me", "dispatcher", nil).expect(t, 200)
	}
}

// openStream opens the live event stream, answers its status and hangs up.
func openStream(t *testing.T, z *zone, user string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", z.srv.URL+"/api/v1/events/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+z.tokens[user])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode
}
