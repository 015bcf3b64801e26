package api_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestUnits(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	area := `{"type":"Polygon","coordinates":[[[120.03,28.89],[120.05,28.89],[120.05,28.90],[120.03,28.90],[120.03,28.89]]]}`
	r := z.call("POST", "/api/v1/units", "admin", fmt.Sprintf(`{"name":"东城网格","kind":"grid","parent_id":%d,"area":%s}`, z.units["center"], area)).expect(t, 201)
	if r.str("name") != "东城网格" || r.str("kind") != "grid" || r.body["area"] == nil {
		t.Fatalf("unit %s", r.raw)
	}
	multi := `{"type":"MultiPolygon","coordinates":[[[[120.0,28.0],[120.1,28.0],[120.1,28.1],[120.0,28.0]]]]}`
	z.call("POST", "/api/v1/units", "admin", `{"name":"两块的网格","kind":"grid","area":`+multi+`}`).expect(t, 201)
	list := z.call("GET", "/api/v1/units", "responder", nil).expect(t, 200)
	if n := len(list.body["items"].([]any)); n != 8 {
		t.Fatalf("%d units", n)
	}
	z.call("GET", fmt.Sprintf("/api/v1/units/%d", r.id()), "admin", nil).expect(t, 200)
	z.call("GET", "/api/v1/units/9999", "admin", nil).expect(t, 404, "unit_not_found")
	cases := []struct {
		name, user, body string
		status           int
		code             string
	}{
		{"not admin", "dispatcher", `{"name":"x","kind":"grid"}`, 403, "forbidden"},
		{"no name", "admin", `{"kind":"grid"}`, 400, "name_required"},
		{"bad kind", "admin", `{"name":"x","kind":"village"}`, 400, "invalid_kind"},
		{"unknown parent", "admin", `{"name":"x","kind":"grid","parent_id":777}`, 400, "unknown_parent"},
		{"point is not an area", "admin", `{"name":"x","kind":"grid","area":{"type":"Point","coordinates":[120,28]}}`, 400, "invalid_area"},
		{"open ring", "admin", `{"name":"x","kind":"grid","area":{"type":"Polygon","coordinates":[[[120,28],[121,28],[121,29]]]}}`, 400, "invalid_area"},
		{"lat/lon swapped out of range", "admin", `{"name":"x","kind":"grid","area":{"type":"Polygon","coordinates":[[[28,200],[29,200],[29,201],[28,200]]]}}`, 400, "invalid_area"},
		{"garbage area", "admin", `{"name":"x","kind":"grid","area":"东边那块"}`, 400, "invalid_area"},
		{"duplicate sibling", "admin", fmt.Sprintf(`{"name":"东城网格","kind":"grid","parent_id":%d}`, z.units["center"]), 409, "unit_exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			z.call("POST", "/api/v1/units", tc.user, tc.body).expect(t, tc.status, tc.code)
		})
	}
	// A rename follows the rules of a new unit's name.
	path := fmt.Sprintf("/api/v1/units/%d", z.units["team"])
	z.call("PATCH", path, "admin", map[string]any{"name": strings.Repeat("队", 101)}).expect(t, 400, "invalid_name")
	z.call("PATCH", path, "admin", map[string]any{"name": " "}).expect(t, 400, "name_required")
	z.call("PATCH", path, "admin", map[string]any{"name": "东城网格"}).expect(t, 409, "unit_exists")
	z.call("PATCH", path, "admin", map[string]any{"name": "政务110先期处置队"}).expect(t, 200)
	z.call("PATCH", path, "admin", map[string]any{"name": "政务110先期处置一队"}).expect(t, 200)
}

func TestUsersAndTokens(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	r := z.call("POST", "/api/v1/users", "admin", map[string]any{
		"username": "chen", "name": "陈某", "role": "department", "unit_id": z.units["labor"], "password": "long-enough-1"}).expect(t, 201)
	if r.str("role") != "department" || r.body["password_hash"] != nil {
		t.Fatalf("user %s", r.raw)
	}
	tok := z.call("POST", fmt.Sprintf("/api/v1/users/%d/tokens", r.id()), "admin", nil).expect(t, 201)
	token := tok.str("token")
	if !strings.HasPrefix(token, "yz_") {
		t.Fatalf("token %s", tok.raw)
	}
	z.tokens["chen"] = token
	me := z.call("GET", "/api/v1/me", "chen", nil).expect(t, 200)
	if me.str("username") != "chen" {
		t.Fatalf("me %s", me.raw)
	}
	// The token acts as the user: a labor-unit account sees labor's cases only.
	id := z.newCase("dispatcher", nil)
	z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "chen", nil).expect(t, 404)
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["labor"]}).expect(t, 200)
	z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "chen", nil).expect(t, 200)
	// Login with the password gives a session token too.
	login := z.call("POST", "/api/v1/auth/login", "", map[string]any{"username": "chen", "password": "long-enough-1"}).expect(t, 200)
	if login.str("token") == "" {
		t.Fatalf("login %s", login.raw)
	}
	z.call("POST", "/api/v1/auth/login", "", map[string]any{"username": "chen", "password": "wrong"}).expect(t, 401, "bad_credentials")
	z.call("POST", "/api/v1/auth/login", "", map[string]any{"username": "nobody", "password": "wrong"}).expect(t, 401, "bad_credentials")
	cases := []struct {
		name, user string
		body       map[string]any
		status     int
		code       string
	}{
		{"not admin", "dispatcher", map[string]any{"username": "x", "role": "grid"}, 403, "forbidden"},
		{"duplicate", "admin", map[string]any{"username": "chen", "role": "grid"}, 409, "username_taken"},
		{"bad role", "admin", map[string]any{"username": "y", "role": "boss"}, 400, "invalid_role"},
		{"bad username", "admin", map[string]any{"username": "王 五", "role": "grid"}, 400, "invalid_username"},
		{"weak password", "admin", map[string]any{"username": "z", "role": "grid", "password": "123"}, 400, "weak_password"},
		{"unknown unit", "admin", map[string]any{"username": "w", "role": "grid", "unit_id": 4040}, 400, "unknown_unit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			z.call("POST", "/api/v1/users", tc.user, tc.body).expect(t, tc.status, tc.code)
		})
	}
	z.call("POST", "/api/v1/users/9999/tokens", "admin", nil).expect(t, 404, "user_not_found")
	z.call("POST", fmt.Sprintf("/api/v1/users/%d/tokens", r.id()), "dispatcher", nil).expect(t, 403)
	users := z.call("GET", "/api/v1/users", "admin", nil).expect(t, 200)
	if n := len(users.body["items"].([]any)); n != 9 {
		t.Fatalf("%d users", n)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	z.call("GET", "/healthz", "", nil).expect(t, 200)
	z.newCase("dispatcher", nil)
	m := z.call("GET", "/metrics", "", nil).expect(t, 200)
	text := string(m.raw)
	for _, want := range []string{
		`yizhan_cases{line="incident",status="received"} 1`,
		`yizhan_http_requests_total{code="201",method="POST",route="POST /api/v1/cases"} 1`,
		`yizhan_http_request_duration_seconds_bucket`,
		`yizhan_store_commit_batch_size_bucket`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
