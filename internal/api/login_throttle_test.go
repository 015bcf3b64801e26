package api_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

const chenPassword = "long-enough-1"

// withChen is a zone with an account "chen" that logs in with a password.
func withChen(t *testing.T) *zone {
	t.Helper()
	z := newZone(t)
	z.call("POST", "/api/v1/users", "admin", map[string]any{
		"username": "chen", "name": "陈某", "role": "department", "unit_id": z.units["labor"], "password": chenPassword}).expect(t, 201)
	return z
}

func (z *zone) login(username, password string, headers ...string) reply {
	z.t.Helper()
	return z.call("POST", "/api/v1/auth/login", "", map[string]any{"username": username, "password": password}, headers...)
}

// expectLocked fails unless r is a refused login with the wait in seconds.
func expectLocked(t *testing.T, r reply, retryAfter string) {
	t.Helper()
	r.expect(t, 429, "too_many_attempts")
	if got := r.header.Get("Retry-After"); got != retryAfter {
		t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
	e, _ := r.body["error"].(map[string]any)
	if msg, _ := e["message"].(string); !strings.Contains(msg, "后再试") || !strings.Contains(msg, ":") {
		t.Fatalf("message %q says not when to retry", msg)
	}
}

func TestLoginLocksAfterFiveFailures(t *testing.T) {
	t.Parallel()
	z := withChen(t)
	for i := range 5 {
		z.login("chen", fmt.Sprint("wrong-", i)).expect(t, 401, "bad_credentials")
	}
	expectLocked(t, z.login("chen", "wrong-5"), "900")
	// The right password is not even looked at while the name is locked.
	expectLocked(t, z.login("chen", chenPassword), "900")
	// Case and spaces do not make a new name to guess on.
	expectLocked(t, z.login(" CHEN ", chenPassword), "900")
	// Another name from the same address still gets its own answer.
	z.login("admin", "wrong").expect(t, 401, "bad_credentials")

	z.now = t0.Add(15*time.Minute - time.Second)
	expectLocked(t, z.login("chen", chenPassword), "1")
	z.now = t0.Add(15 * time.Minute)
	z.login("chen", chenPassword).expect(t, 200)
}

func TestLoginSuccessClearsFailures(t *testing.T) {
	t.Parallel()
	z := withChen(t)
	for range 4 {
		z.login("chen", "wrong").expect(t, 401, "bad_credentials")
	}
	z.login("chen", chenPassword).expect(t, 200)
	// Counted on from four, the first of these would be refused.
	for range 5 {
		z.login("chen", "wrong").expect(t, 401, "bad_credentials")
	}
	expectLocked(t, z.login("chen", "wrong"), "900")
}

func TestLoginLocksAddressAfterItsFailures(t *testing.T) {
	t.Parallel()
	// The default is 100 an address; 20 here keeps the test short (each
	// refused login costs a bcrypt comparison, unknown names too).
	z := newZoneOn(t, storetest.SQLite(t), false, func(d *api.Deps) { d.Login.PerIP = 20 })
	z.call("POST", "/api/v1/users", "admin", map[string]any{
		"username": "chen", "name": "陈某", "role": "department", "unit_id": z.units["labor"], "password": chenPassword}).expect(t, 201)
	// Spraying one guess over many names: no name reaches its limit.
	for i := range 20 {
		z.login(fmt.Sprint("user", i), "wrong").expect(t, 401, "bad_credentials")
	}
	expectLocked(t, z.login("chen", chenPassword), "900")
	// Without --trusted-proxies a forwarded-for header changes nothing.
	expectLocked(t, z.login("chen", chenPassword, "X-Forwarded-For", "203.0.113.9"), "900")
	z.now = t0.Add(16 * time.Minute)
	z.login("chen", chenPassword).expect(t, 200)
}

func TestLoginBehindATrustedProxyCountsEachClient(t *testing.T) {
	t.Parallel()
	// The test's requests come from 127.0.0.1: here, the reverse proxy.
	z := newZoneOn(t, storetest.SQLite(t), false, func(d *api.Deps) {
		d.Login.PerIP = 20
		d.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	})
	z.call("POST", "/api/v1/users", "admin", map[string]any{
		"username": "chen", "name": "陈某", "role": "department", "unit_id": z.units["labor"], "password": chenPassword}).expect(t, 201)
	for i := range 20 {
		// What the client wrote itself (the left hop) does not save it.
		z.login(fmt.Sprint("user", i), "wrong", "X-Forwarded-For", fmt.Sprintf("198.51.100.%d, 203.0.113.9", i)).expect(t, 401, "bad_credentials")
	}
	expectLocked(t, z.login("chen", chenPassword, "X-Forwarded-For", "203.0.113.9"), "900")
	// Another client behind the same proxy keeps its own count.
	z.login("chen", chenPassword, "X-Forwarded-For", "203.0.113.10").expect(t, 200)
}

func TestLoginUnknownNamesLockLikeKnownOnes(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	// Were only real accounts locked, a 429 would tell which names exist.
	for range 5 {
		z.login("nobody", "wrong").expect(t, 401, "bad_credentials")
	}
	expectLocked(t, z.login("nobody", "wrong"), "900")
}
