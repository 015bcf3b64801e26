package api_test

import (
	"bytes"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// resolveCase takes a case to resolved with an outcome, at the zone's clock.
func (z *zone) resolveCase(id int64, outcome string) {
	z.t.Helper()
	for _, body := range []map[string]any{
		{"action": "dispatch", "unit_id": z.units["team"]}, {"action": "accept"}, {"action": "arrive"},
		{"action": "resolve", "outcome": outcome},
	} {
		z.act(id, "dispatcher", body).expect(z.t, 200)
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	mk := func(typ string) int64 {
		return z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "纠纷", "type": typ}).expect(t, 201).id()
	}
	for range 3 {
		z.resolveCase(mk("neighbor"), "onsite_resolved")
	}
	z.resolveCase(mk("wage_arrears"), "taken_back_resolved")
	z.resolveCase(mk("loan_debt"), "unresolved")
	mk("environment") // still open
	dup := mk("neighbor")
	master := mk("neighbor")
	z.act(dup, "dispatcher", map[string]any{"action": "merge", "into": master}).expect(t, 200)
	police := mk("loan_debt")
	z.act(police, "dispatcher", map[string]any{"action": "refer_police", "reason": "持械"}).expect(t, 200)

	r := z.call("GET", "/api/v1/stats/summary?line=incident&from=2026-11-27&to=2026-11-28", "leader", nil).expect(t, 200)
	if r.body["total"].(float64) != 7 || r.body["success"].(float64) != 4 || r.body["merged"].(float64) != 1 ||
		r.body["referred_police"].(float64) != 1 || r.body["open"].(float64) != 2 || r.body["success_rate"].(float64) != 57.1 {
		t.Fatalf("summary %s", r.raw)
	}
	var got []string
	sum := 0.0
	for _, c := range r.body["by_category"].([]any) {
		m := c.(map[string]any)
		got = append(got, fmt.Sprintf("%s:%v:%v:%v:%s", m["category"], m["count"], m["percent"], m["percent_whole"], m["label"]))
		sum += m["percent_whole"].(float64)
	}
	if fmt.Sprint(got) != "[civil:4:57.1:57:民事纠纷 labor:1:14.3:15:劳资纠纷 contract:1:14.3:14:合同纠纷 other:1:14.3:14:其他纠纷]" || sum != 100 {
		t.Fatalf("by category %v (sum %v)", got, sum)
	}
	// An empty period answers zeros.
	e := z.call("GET", "/api/v1/stats/summary?from=2020-01-01&to=2020-02-01", "leader", nil).expect(t, 200)
	if e.body["total"].(float64) != 0 || e.body["success_rate"].(float64) != 0 || len(e.body["by_category"].([]any)) != 4 {
		t.Fatalf("empty period %s", e.raw)
	}
	for _, q := range []string{"from=2026-12-01&to=2026-11-01", "from=昨天", "to=2026-13-45", "line=tax", "colour=red", "unit_id=x", "unit_id=999", "from=0001-01-01"} {
		z.call("GET", "/api/v1/stats/summary?"+q, "leader", nil).expect(t, 400)
	}
	// References to nothing are refused, not answered with zeros.
	z.call("GET", "/api/v1/stats/summary?unit_id=999", "leader", nil).expect(t, 400, "unknown_unit")
	z.call("GET", "/api/v1/cases?unit_id=999", "leader", nil).expect(t, 400, "unknown_unit")
	z.call("GET", "/api/v1/problem-list?enterprise_id=999", "leader", nil).expect(t, 400, "unknown_enterprise")
	z.call("GET", "/api/v1/stats/breakdown?grid_id=999", "leader", nil).expect(t, 400, "unknown_unit")
	if all := z.call("GET", "/api/v1/stats/summary?line=all", "leader", nil).expect(t, 200); all.str("line") != "all" {
		t.Errorf("line=all answers line %q", all.str("line"))
	}
	z.call("GET", "/api/v1/stats/summary", "responder", nil).expect(t, 403)
	// Per unit, from the rollup by unit: the team holds the five it handled.
	u := z.call("GET", fmt.Sprintf("/api/v1/stats/summary?from=2026-11-27&to=2026-11-28&unit_id=%d", z.units["team"]), "leader", nil).expect(t, 200)
	if u.body["total"].(float64) != 5 {
		t.Fatalf("team summary %s", u.raw)
	}
}

func TestBreakdownsAndReports(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	for i, typ := range []string{"neighbor", "wage_arrears", "wage_arrears", "consumer"} {
		id := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "纠纷", "type": typ, "channel": []string{"110", "12345"}[i%2]}).expect(t, 201).id()
		z.now = t0.Add(time.Duration(i+1) * 30 * time.Second)
		z.resolveCase(id, "onsite_resolved")
		z.act(id, "dispatcher", map[string]any{"action": "close", "satisfaction": 4 + i%2}).expect(t, 200)
	}
	ret := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "退单的"}).expect(t, 201).id()
	z.act(ret, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["market"]}).expect(t, 200)
	z.act(ret, "market", map[string]any{"action": "return", "reason": "不归我们"}).expect(t, 200)

	for _, by := range []string{"category", "type", "channel", "unit", "grid", "enterprise", "risk", "line"} {
		r := z.call("GET", "/api/v1/stats/breakdown?from=2026-11-27&to=2026-11-28&by="+by, "dispatcher", nil).expect(t, 200)
		if r.body["total"].(map[string]any)["reports"].(float64) != 5 {
			t.Fatalf("by %s: %s", by, r.raw)
		}
	}
	r := z.call("GET", "/api/v1/stats/breakdown?from=2026-11-27&to=2026-11-28&by=type&type=wage_arrears", "dispatcher", nil).expect(t, 200)
	row := r.body["rows"].([]any)[0].(map[string]any)
	if row["label"] != "欠薪讨薪" || row["total"].(float64) != 2 || row["follow_up_rate"].(float64) != 100 || row["satisfaction_rate"].(float64) != 100 {
		t.Fatalf("wage row %v", row)
	}
	z.call("GET", "/api/v1/stats/breakdown?by=colour", "dispatcher", nil).expect(t, 400, "invalid_dimension")
	z.call("GET", "/api/v1/stats/breakdown?risk=extreme", "dispatcher", nil).expect(t, 400)

	sla := z.call("GET", "/api/v1/stats/sla?from=2026-11-27&to=2026-11-28", "dispatcher", nil).expect(t, 200)
	first := sla.body["stages"].([]any)[0].(map[string]any)
	if first["stage"] != "respond" || first["count"].(float64) != 5 || first["median_seconds"] == nil {
		t.Fatalf("sla %s", sla.raw)
	}
	rets := z.call("GET", "/api/v1/stats/returns?from=2026-11-27&to=2026-11-28", "dispatcher", nil).expect(t, 200)
	if !strings.Contains(string(rets.raw), `"unit_name":"市场监管所","returns":1`) {
		t.Fatalf("returns %s", rets.raw)
	}
	z.call("GET", "/api/v1/stats/trend?from=2026-11-27&to=2026-11-28", "leader", nil).expect(t, 200)

	x := z.call("GET", "/api/v1/reports/summary.xlsx?from=2026-11-27&to=2026-11-28&line=incident", "leader", nil).expect(t, 200)
	f, err := excelize.OpenReader(bytes.NewReader(x.raw))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(f.GetSheetList()) != "[汇总 图表 说明]" {
		t.Fatalf("sheets %v", f.GetSheetList())
	}
	title, _ := f.GetCellValue("汇总", "A1")
	merged, _ := f.GetMergeCells("汇总")
	if title != "开发区综合指挥平台纠纷调处情况统计" || len(merged) == 0 || merged[0].GetStartAxis() != "A1" {
		t.Fatalf("title %q merged %v", title, merged)
	}
	header, _ := f.GetCellValue("汇总", "A5")
	if header != "纠纷类别" {
		t.Fatalf("header %q", header)
	}
	// 说明: each label beside its own text.
	for row, label := range []string{"计算口径", "指标口径", "环比与同比", "报告文字", "生成时间"} {
		a, _ := f.GetCellValue("说明", fmt.Sprintf("A%d", row+1))
		b, _ := f.GetCellValue("说明", fmt.Sprintf("B%d", row+1))
		if a != label || b == "" {
			t.Errorf("说明 row %d: %q beside %q, want %q beside its text", row+1, a, b, label)
		}
	}
	if b, _ := f.GetCellValue("说明", "B2"); !strings.Contains(b, "成功调处率 =") {
		t.Errorf("指标口径 reads %q", b)
	}
	if b, _ := f.GetCellValue("说明", "B5"); !strings.HasPrefix(b, "2026-") {
		t.Errorf("生成时间 reads %q", b)
	}
	h := z.call("GET", "/api/v1/reports/daily.html?date=2026-11-27", "leader", nil).expect(t, 200)
	if !strings.Contains(string(h.raw), "值班日报") || !strings.Contains(string(h.raw), "@media print") {
		t.Fatal("daily html report")
	}
	txt := z.call("GET", "/api/v1/reports/monthly.txt?month=2026-11", "leader", nil).expect(t, 200)
	if !strings.Contains(string(txt.raw), "2026年11月1日至2026年11月30日") || !strings.Contains(string(txt.raw), "实际流转纠纷共5起") {
		t.Fatalf("monthly text %s", txt.raw)
	}
	z.call("GET", "/api/v1/reports/weekly.txt?week=2026-11-27", "leader", nil).expect(t, 200)
	z.call("GET", "/api/v1/reports/summary.pdf", "leader", nil).expect(t, 404)
	z.call("GET", "/api/v1/reports/monthly.txt?month=2026-13", "leader", nil).expect(t, 400)
	z.call("GET", "/api/v1/reports/summary.xlsx?from=2026-12-01&to=2026-11-01", "leader", nil).expect(t, 400)
	for q, code := range map[string]string{
		// A period of nothing prints its end before its start.
		"summary.txt?from=2026-01-01&to=2026-01-01": "invalid_period",
		// A month's report is of its month: from/to would retitle another period.
		"monthly.txt?from=2026-01-01":               "invalid_period",
		"weekly.txt?week=2026-11-27&to=2026-12-01":  "invalid_period",
		"monthly.txt?month=2027-05":                 "period_in_future",
		"daily.txt?date=2026-12-25":                 "period_in_future",
		"monthly.txt?month=0001-01":                 "invalid_month",
		"daily.txt?date=0001-01-01":                 "invalid_date",
		"summary.txt?from=0001-01-01&to=2026-01-01": "invalid_from",
	} {
		z.call("GET", "/api/v1/reports/"+q, "leader", nil).expect(t, 400, code)
	}
}

// TestReturnsAndTransfersCountTheUnitThatPassedTheCaseOn: 各单位退单、转办
// counts a transfer against the unit the case left, not the one it went
// to, on both backends.
func TestReturnsAndTransfersCountTheUnitThatPassedTheCaseOn(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		z := newZoneOn(t, st, false)
		id := z.newCase("dispatcher", nil)
		z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)
		z.act(id, "responder", map[string]any{"action": "transfer", "unit_id": z.units["labor"], "reason": "欠薪归劳动保障"}).expect(t, 200)
		z.act(id, "labor", map[string]any{"action": "return", "reason": "需先期处置"}).expect(t, 200)
		r := z.call("GET", "/api/v1/stats/returns?from=2026-11-27&to=2026-11-28", "leader", nil).expect(t, 200)
		got := map[string][2]float64{}
		for _, u := range r.body["units"].([]any) {
			m := u.(map[string]any)
			got[m["unit_name"].(string)] = [2]float64{m["returns"].(float64), m["transfers"].(float64)}
		}
		want := map[string][2]float64{"政务110先期处置队": {0, 1}, "劳动保障监察中队": {1, 0}}
		if !maps.Equal(got, want) {
			t.Fatalf("returns and transfers by unit %v, want %v (%s)", got, want, r.raw)
		}
	})
}
