package web_test

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

	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/demo"
	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/sla/scheduler"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
	"github.com/yizhan/yizhan/internal/triage"
	"github.com/yizhan/yizhan/internal/triage/learn"
	"github.com/yizhan/yizhan/internal/triage/learn/learntest"
	"github.com/yizhan/yizhan/internal/web"
)

// consoleServer is the whole product in-process: a fresh store with the
// demo zone, the API and the console on one test server. The zone's
// taxonomy has one type of its own (zoneTriage), and the SLA scheduler
// has fired once, so that the demo's late cases carry their breaches and
// the system's supervision orders.
type consoleServer struct {
	t   testing.TB
	srv *httptest.Server
	st  *store.Store
}

func newConsoleServer(t testing.TB) *consoleServer {
	t.Helper()
	ctx := context.Background()
	st := storetest.SQLite(t)
	tri := learntest.Shared(t)
	if _, err := demo.LoadIfEmpty(ctx, st, storetest.Zone, time.Now(), tri); err != nil {
		t.Fatalf("load demo zone: %v", err)
	}
	srv, err := api.New(ctx, api.Deps{
		Store:    st,
		Location: storetest.Zone,
		Logger:   slog.New(slog.DiscardHandler),
		Triage:   zoneTriage{tri},
		Console:  web.Handler(),
	})
	if err != nil {
		t.Fatalf("api: %v", err)
	}
	quiet := slog.New(slog.DiscardHandler)
	sched := &scheduler.Scheduler{Store: st, Publish: srv, SMS: notify.LogSMS{Log: quiet}, Log: quiet}
	if _, err := sched.Tick(ctx, time.Now().In(storetest.Zone)); err != nil {
		t.Fatalf("fire the SLA clocks: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	// Live streams stay open until the browser goes; close them first.
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
	})
	return &consoleServer{t: t, srv: ts, st: st}
}

// zoneTriage is the shared triage with a type of the zone's own, as a
// --taxonomy file adds one: only GET /api/v1/taxonomy can tell the
// console its label.
type zoneTriage struct{ *learn.Learner }

const zoneType, zoneTypeLabel = "street_vending", "占道经营"

func (z zoneTriage) Types() []triage.TypeInfo {
	return append(z.Learner.Types(), triage.TypeInfo{Code: zoneType, Label: zoneTypeLabel, Category: "other", CategoryLabel: "其他纠纷"})
}

func (z zoneTriage) CategoryOf(typ string) (string, bool) {
	if typ == zoneType {
		return "other", true
	}
	return z.Learner.CategoryOf(typ)
}

// call sends one API request and decodes the answer into out.
func (s *consoleServer) call(token, method, path string, body, out any) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.srv.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		s.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

// status sends one API request and answers only its status code.
func (s *consoleServer) status(token, method, path string) int {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// caseView is what the tests read of a case.
type caseView struct {
	ID             int64    `json:"id"`
	Number         string   `json:"number"`
	Status         string   `json:"status"`
	AllowedActions []string `json:"allowed_actions"`
	Events         []struct {
		Seq     int            `json:"seq"`
		Action  string         `json:"action"`
		Details map[string]any `json:"details"`
	} `json:"events"`
}

// getCase reads a case as an account sees it.
func (s *consoleServer) getCase(token string, id int64) caseView {
	s.t.Helper()
	var c caseView
	s.call(token, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, &c)
	return c
}

// login answers a session token for a demo account.
func (s *consoleServer) login(username string) string {
	s.t.Helper()
	var ans struct {
		Token string `json:"token"`
	}
	s.call("", "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": demoPassword}, &ans)
	return ans.Token
}

// unitID finds a unit of the demo directory by name.
func (s *consoleServer) unitID(token, name string) int64 {
	s.t.Helper()
	var ans struct {
		Items []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"items"`
	}
	s.call(token, "GET", "/api/v1/units", nil, &ans)
	for _, u := range ans.Items {
		if u.Name == name {
			return u.ID
		}
	}
	s.t.Fatalf("no unit %s", name)
	return 0
}

// act takes an action on a case through the API.
func (s *consoleServer) act(token string, caseID int64, body map[string]any) {
	s.t.Helper()
	s.call(token, "POST", fmt.Sprintf("/api/v1/cases/%d/actions", caseID), body, nil)
}

const demoPassword = "yizhan-demo"
