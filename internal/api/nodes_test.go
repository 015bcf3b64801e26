package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store/storetest"
	"github.com/yizhan/yizhan/internal/triage/learn/learntest"
)

// twoNodes is a zone served by two servers on one fresh PostgreSQL
// database, each relaying the other's live events: the first as the zone
// the harness builds, the second sharing its accounts.
func twoNodes(t *testing.T, checkDuplicates bool) (first, second *zone) {
	t.Helper()
	tg := storetest.FreshPostgres(t)
	st, _ := tg.Open(t)
	first = newZoneOn(t, st, checkDuplicates)
	st2, _ := tg.Open(t)
	s2, err := api.New(t.Context(), api.Deps{Store: st2, Logger: slog.New(slog.DiscardHandler), Location: storetest.Zone,
		Now: func() time.Time { return t0 }, Webhooks: &notify.Webhooks{Outbox: st2}, Triage: learntest.Shared(t),
		NoDuplicateCheck: !checkDuplicates})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s2.Handler())
	t.Cleanup(srv.Close)
	go first.api.RelayEvents(t.Context())
	go s2.RelayEvents(t.Context())
	second = &zone{t: t, srv: srv, api: s2, st: st2, units: first.units, tokens: first.tokens, now: t0}
	return first, second
}

// TestTwoNodesTakeEveryReport: two servers on one PostgreSQL database,
// both busy with reports of one incident (which merge into one master)
// and with retries that carry one Idempotency-Key to both: every report
// answers 201, none is lost to the other node's locks or writes, and one
// key makes one case.
func TestTwoNodesTakeEveryReport(t *testing.T) {
	t.Parallel()
	z, other := twoNodes(t, true)
	nodes := []string{z.srv.URL, other.srv.URL}

	post := func(node int, body map[string]any, key string) (int, int64, string) {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", nodes[node]+"/api/v1/cases", bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+z.tokens["dispatcher"])
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return -1, 0, err.Error()
		}
		defer resp.Body.Close()
		var out struct {
			ID    int64 `json:"id"`
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out.ID, out.Error.Code
	}

	const perNode, rounds = 6, 8
	var mu sync.Mutex
	failures := map[string]int{}
	byKey := map[string][]int64{}
	var wg sync.WaitGroup
	for node := range 2 {
		for g := range perNode {
			wg.Go(func() {
				for r := range rounds {
					// The same gate, told by many callers on both nodes.
					body := report(fmt.Sprintf("科技路88号某五金制品有限公司门口工人堵门讨薪，第%d个来电", r),
						fmt.Sprintf("138%08d", node*1000+g*100+r), "科技路88号", 28.8890, 120.0610)
					// Every other call is a retry that reached both nodes,
					// by its key or by the 110 system's own number.
					key := ""
					if r%4 == 1 {
						body = report(fmt.Sprintf("110 重发 %d-%d：两车刮擦", g, r), "13800000002", "", 0, 0)
						body["external_id"] = fmt.Sprintf("110-%d-%d", g, r)
					}
					if r%2 == 0 {
						key = fmt.Sprintf("k-%d-%d", g, r)
						body = report(fmt.Sprintf("重发的来电 %d-%d：南门菜市场摊贩占道经营", g, r), "13800000001", "南门菜市场", 0, 0)
					}
					code, id, errCode := post(node, body, key)
					mu.Lock()
					if code != 201 {
						failures[fmt.Sprintf("%d %s", code, errCode)]++
					} else if key != "" {
						byKey[key] = append(byKey[key], id)
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Errorf("reports refused while two nodes were busy: %v", failures)
	}
	for key, ids := range byKey {
		for _, id := range ids[1:] {
			if id != ids[0] {
				t.Errorf("key %s made cases %v", key, ids)
				break
			}
		}
	}
}

// TestConsolesHearOtherNodes: a console connected to one node sees what
// is written through another (the relay over LISTEN/NOTIFY).
func TestConsolesHearOtherNodes(t *testing.T) {
	t.Parallel()
	z, other := twoNodes(t, false)
	// The second node's console, as the center.
	center, closeCenter := other.stream("dispatcher")
	defer closeCenter()
	// The relay listens asynchronously: wait until it hears.
	var id int64
	deadline := time.Now().Add(10 * time.Second)
	got := make(chan map[string]any, 16)
	go func() {
		// Until the stream closes at the test's end.
		for {
			line, err := center.ReadString('\n')
			if err != nil {
				return
			}
			var m map[string]any
			if data, ok := strings.CutPrefix(line, "data: "); ok && json.Unmarshal([]byte(data), &m) == nil && m["case"] != nil {
				got <- m
			}
		}
	}()
	for id == 0 && time.Now().Before(deadline) {
		cid := z.newCase("dispatcher", nil)
		select {
		case m := <-got:
			if int64(m["case"].(map[string]any)["id"].(float64)) == cid && m["event"].(map[string]any)["action"] == "receive" {
				id = cid
			}
		case <-time.After(time.Second):
		}
	}
	if id == 0 {
		t.Fatal("a case received on the first node never reached the second node's console")
	}
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["labor"]}).expect(t, 200)
	select {
	case m := <-got:
		if m["event"].(map[string]any)["action"] != "dispatch" || len(m["case"].(map[string]any)["deadlines"].([]any)) == 0 {
			t.Fatalf("the dispatch reached the other console as %v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the dispatch on the first node never reached the second node's console")
	}
}

// TestTwoNodesRaceForOneName: the same username, phone, indicator code,
// zone name or credit code sent to two PostgreSQL nodes at once. Each
// node checks before it inserts, so both checks may pass; the node whose
// insert loses runs again and answers 409 (the enterprise, which a known
// credit code updates, 201), never 500.
func TestTwoNodesRaceForOneName(t *testing.T) {
	t.Parallel()
	a, b := twoNodes(t, false)
	creditCode := func(i int) string {
		first := fmt.Sprintf("91330784MA3R%05d", i)
		check, _ := routing.CreditCodeCheck(first)
		return first + string(check)
	}
	races := []struct {
		path string
		body func(i int) any
		want map[int]bool
	}{
		{"/api/v1/users", func(i int) any {
			return map[string]any{"username": fmt.Sprintf("racer%d", i), "name": "赵某", "role": "dispatcher"}
		},
			map[int]bool{201: true, 409: true}},
		{"/api/v1/people", func(i int) any {
			return map[string]any{"name": "钱某", "phone": fmt.Sprintf("1380001%04d", i), "role": "队员", "unit_id": a.units["team"]}
		}, map[int]bool{201: true, 409: true}},
		{"/api/v1/indicators/zones", func(i int) any { return map[string]any{"name": fmt.Sprintf("某开发区%d", i)} },
			map[int]bool{201: true, 409: true}},
		{"/api/v1/indicators", func(i int) any {
			return map[string]any{"code": fmt.Sprintf("R%d", i), "name": "规上工业增加值", "group": "经济发展"}
		}, map[int]bool{201: true, 409: true}},
		{"/api/v1/enterprises", func(i int) any {
			return map[string]any{"name": fmt.Sprintf("某五金制品有限公司%d", i), "credit_code": creditCode(i)}
		}, map[int]bool{201: true}},
	}
	for _, race := range races {
		for i := range 12 {
			raw, _ := json.Marshal(race.body(i))
			var wg sync.WaitGroup
			codes := make([]int, 2)
			for n, node := range []*zone{a, b} {
				wg.Go(func() {
					req, _ := http.NewRequest("POST", node.srv.URL+race.path, bytes.NewReader(raw))
					req.Header.Set("Authorization", "Bearer "+a.tokens["admin"])
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					codes[n] = resp.StatusCode
				})
			}
			wg.Wait()
			if !race.want[codes[0]] || !race.want[codes[1]] || codes[0] == 409 && codes[1] == 409 {
				t.Fatalf("POST %s raced on two nodes: %v", race.path, codes)
			}
		}
	}
}
