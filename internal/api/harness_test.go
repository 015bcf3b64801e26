package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
	"github.com/yizhan/yizhan/internal/triage/learn/learntest"
)

// zone is a test server with a small directory and an account per role.
type zone struct {
	t      testing.TB
	srv    *httptest.Server
	api    *api.Server
	st     *store.Store
	units  map[string]int64
	tokens map[string]string // by username
	now    time.Time
}

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, storetest.Zone)

// newZone is a test server without the duplicate check, so that tests may
// file many alike reports; newZoneWith turns it on.
func newZone(t testing.TB) *zone {
	t.Helper()
	return newZoneWith(t, false)
}

func newZoneWith(t testing.TB, checkDuplicates bool) *zone {
	t.Helper()
	return newZoneOn(t, storetest.SQLite(t), checkDuplicates)
}

// onBackends runs a test on a zone of each backend (PostgreSQL when it is
// reachable), for behaviour whose queries differ between them.
func onBackends(t *testing.T, checkDuplicates bool, test func(t *testing.T, z *zone)) {
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		test(t, newZoneOn(t, st, checkDuplicates))
	})
}

// newZoneOn builds the zone on a store; opts change the server's Deps.
func newZoneOn(t testing.TB, st *store.Store, checkDuplicates bool, opts ...func(*api.Deps)) *zone {
	t.Helper()
	z := &zone{t: t, st: st, units: map[string]int64{}, tokens: map[string]string{}, now: t0}
	ctx := context.Background()
	mk := func(key, name string, kind routing.Kind, parent string) {
		nu := routing.NewUnit{Name: name, Kind: kind}
		if parent != "" {
			p := z.units[parent]
			nu.ParentID = &p
		}
		u, err := st.CreateUnit(ctx, nu, t0)
		if err != nil {
			t.Fatal(err)
		}
		z.units[key] = u.ID
	}
	mk("center", "社会治理中心", routing.KindCenter, "")
	mk("team", "政务110先期处置队", routing.KindResponseTeam, "center")
	mk("labor", "劳动保障监察中队", routing.KindDepartment, "center")
	mk("market", "市场监管所", routing.KindDepartment, "center")
	mk("grid", "五金城企业专属网格", routing.KindGrid, "center")
	mk("ent", "某五金制品有限公司微中心", routing.KindEnterprise, "grid")
	users := []struct {
		name string
		role casework.Role
		unit string
	}{
		{"admin", casework.RoleAdmin, ""},
		{"dispatcher", casework.RoleDispatcher, "center"},
		{"leader", casework.RoleLeader, "center"},
		{"responder", casework.RoleResponder, "team"},
		{"labor", casework.RoleDepartment, "labor"},
		{"market", casework.RoleDepartment, "market"},
		{"grid", casework.RoleGrid, "grid"},
		{"enterprise", casework.RoleEnterprise, "ent"},
	}
	for _, u := range users {
		nu := account.NewUser{Username: u.name, Name: u.name, Role: u.role}
		if u.unit != "" {
			id := z.units[u.unit]
			nu.UnitID = &id
		}
		created, err := st.CreateUser(ctx, nu, "", false, t0)
		if err != nil {
			t.Fatal(err)
		}
		tok := account.NewToken()
		if _, err := st.CreateToken(ctx, created.ID, account.HashToken(tok), account.TokenAPI, "", t0, nil); err != nil {
			t.Fatal(err)
		}
		z.tokens[u.name] = tok
	}
	deps := api.Deps{Store: st, Logger: slog.New(slog.DiscardHandler), Location: storetest.Zone,
		Now: func() time.Time { return z.now }, Webhooks: &notify.Webhooks{Outbox: st}, Triage: learntest.Shared(t),
		NoDuplicateCheck: !checkDuplicates}
	for _, o := range opts {
		o(&deps)
	}
	s, err := api.New(ctx, deps)
	if err != nil {
		t.Fatal(err)
	}
	z.api = s
	z.srv = httptest.NewServer(s.Handler())
	t.Cleanup(z.srv.Close)
	return z
}

// reply is an answer: its status, headers and decoded JSON body.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (r reply) code() string {
	if e, ok := r.body["error"].(map[string]any); ok {
		s, _ := e["code"].(string)
		return s
	}
	return ""
}

func (r reply) id() int64 {
	f, _ := r.body["id"].(float64)
	return int64(f)
}

func (r reply) str(k string) string {
	s, _ := r.body[k].(string)
	return s
}

// call sends body (a value to encode, a string or []byte to send as is).
func (z *zone) call(method, path, user string, body any, headers ...string) reply {
	z.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			z.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, z.srv.URL+path, rd)
	if err != nil {
		z.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+z.tokens[user])
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		z.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			z.t.Fatalf("%s %s: bad JSON answer %q: %v", method, path, raw, err)
		}
	}
	return r
}

// expect fails unless the reply has the status (and, if given, the code).
func (r reply) expect(t testing.TB, status int, code ...string) reply {
	t.Helper()
	if r.status != status || len(code) > 0 && r.code() != code[0] {
		t.Fatalf("got %d %s, want %d %v: %s", r.status, r.code(), status, code, r.raw)
	}
	return r
}

func (z *zone) newCase(user string, body map[string]any) int64 {
	z.t.Helper()
	if body == nil {
		body = map[string]any{"channel": "110", "text": "厂门口有工人讨要工资", "reporter": map[string]any{"name": "张某", "phone": "13800000001"}}
	}
	return z.call("POST", "/api/v1/cases", user, body).expect(z.t, 201).id()
}

func (z *zone) act(id int64, user string, body map[string]any) reply {
	z.t.Helper()
	return z.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions", id), user, body)
}

func time_h(h int) time.Duration { return time.Duration(h) * time.Hour }
