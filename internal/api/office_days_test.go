package api_test

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// addEnterprise registers an enterprise in the zone's directory.
func (z *zone) addEnterprise(i int, name string) int64 {
	z.t.Helper()
	first := fmt.Sprintf("91330784MA2H%05d", i)
	check, _ := routing.CreditCodeCheck(first)
	r := z.call("POST", "/api/v1/enterprises", "admin", map[string]any{"name": name, "credit_code": first + string(check),
		"address": "五金城科技路18号", "industry": "door", "headcount": 100}).expect(z.t, 201)
	return r.id()
}

func (z *zone) count(path string) int {
	z.t.Helper()
	r := z.call("GET", path, "admin", nil).expect(z.t, 200)
	items, _ := r.body["items"].([]any)
	return len(items)
}

func demand(text string, extra map[string]any) map[string]any {
	body := map[string]any{"line": "enterprise", "channel": "office_day", "text": text,
		"reporter": map[string]any{"name": "张某", "phone": "13800000001"}}
	for k, v := range extra {
		body[k] = v
	}
	return body
}

func TestOfficeDaySchedule(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	r := z.call("GET", "/api/v1/office-days?from=2026-01-01&to=2026-12-31", "grid", nil).expect(t, 200)
	items := r.body["items"].([]any)
	if len(items) != 12 {
		t.Fatalf("%d office days in 2026: %s", len(items), r.raw)
	}
	feb := items[1].(map[string]any)
	if feb["date"] != "2026-02-24" || feb["rule"] != "next_workday" || !strings.Contains(feb["reason"].(string), "春节") || feb["past"] != true {
		t.Fatalf("February: %v", feb)
	}
	if dec := items[11].(map[string]any); dec["date"] != "2026-12-15" || dec["past"] != false {
		t.Fatalf("December: %v", dec)
	}
	for _, q := range []string{"from=2026-02-30", "to=tomorrow", "from=2026-12-01&to=2026-01-01", "from=2020-01-01&to=2026-01-01", "month=2026-01"} {
		z.call("GET", "/api/v1/office-days?"+q, "grid", nil).expect(t, 400)
	}
}

// TestOfficeDayDemands: a demand raised at an office day is an
// enterprise case of channel office_day, dated on its day, with the
// enterprise SLA; anything else is refused and nothing is stored.
func TestOfficeDayDemands(t *testing.T) {
	t.Parallel()
	onBackends(t, false, func(t *testing.T, z *zone) {
		ent := z.addEnterprise(1, "某五金制品有限公司")
		for _, tc := range []struct {
			body map[string]any
			code string
		}{
			{demand("厂区门口道路破损", nil), "not_office_day"}, // 2026-11-27 is not one
			{demand("厂区门口道路破损", map[string]any{"office_day": "2026-11-15"}), "not_office_day"},
			{demand("厂区门口道路破损", map[string]any{"office_day": "2026-11-31"}), "invalid_office_day"},
			{demand("厂区门口道路破损", map[string]any{"office_day": "16/11/2026"}), "invalid_office_day"},
			{demand("厂区门口道路破损", map[string]any{"office_day": "2026-12-15"}), "office_day_in_future"},
			{demand("厂区门口道路破损", map[string]any{"office_day": "2026-11-16", "occurred_at": "2026-11-17T10:00:00+08:00"}), "occurred_at_not_on_office_day"},
			{demand("厂区门口道路破损", map[string]any{"office_day": "2026-11-16", "line": "incident"}), "office_day_line"},
			{demand("厂区门口道路破损", map[string]any{"office_day": "2026-11-16", "channel": "enterprise"}), "office_day_channel"},
			{demand("厂区门口道路破损", map[string]any{"office_day": "2026-11-16", "enterprise_id": 999}), "unknown_enterprise"},
		} {
			z.call("POST", "/api/v1/cases", "dispatcher", tc.body).expect(t, 400, tc.code)
		}
		if n := z.count("/api/v1/cases"); n != 0 {
			t.Fatalf("refused demands stored %d cases", n)
		}

		r := z.call("POST", "/api/v1/cases", "dispatcher", demand("希望协调解决厂区门口道路破损问题", map[string]any{
			"office_day": "2026-11-16", "enterprise_id": ent, "line": nil})).expect(t, 201)
		if r.str("line") != "enterprise" || r.str("channel") != "office_day" || r.str("office_day") != "2026-11-16" ||
			r.str("occurred_at") != "2026-11-16T09:00:00+08:00" || r.body["enterprise_id"] != float64(ent) || !strings.HasPrefix(r.str("number"), "QY") {
			t.Fatalf("demand: %s", r.raw)
		}
		var resolve map[string]any
		for _, d := range r.body["deadlines"].([]any) {
			if dl := d.(map[string]any); dl["stage"] == "resolve" {
				resolve = dl
			}
		}
		// The enterprise policy: 5 working days from Friday 27 November.
		if resolve == nil || resolve["due_at"] != "2026-12-04T23:59:59+08:00" {
			t.Fatalf("resolve deadline: %v", r.body["deadlines"])
		}

		// On the office day itself no date is needed.
		z.now = time.Date(2026, 12, 15, 10, 0, 0, 0, storetest.Zone)
		today := z.call("POST", "/api/v1/cases", "dispatcher", demand("某五金制品有限公司反映用电增容审批慢", nil)).expect(t, 201)
		if today.str("office_day") != "2026-12-15" || today.body["enterprise_id"] != float64(ent) {
			t.Fatalf("today's demand: %s", today.raw)
		}

		days := z.call("GET", "/api/v1/office-days?from=2026-11-01&to=2026-12-31", "dispatcher", nil).expect(t, 200).body["items"].([]any)
		// By 15 December the November demand is past its 4 December deadline.
		for i, want := range []struct{ date, state string }{{"2026-11-16", "overdue"}, {"2026-12-15", "in_progress"}} {
			d := days[i].(map[string]any)
			demands := d["demands"].([]any)
			if d["date"] != want.date || len(demands) != 1 || d["counts"].(map[string]any)[want.state] != float64(1) {
				t.Fatalf("office day %s: %v", want, d)
			}
			if e := demands[0].(map[string]any)["enterprise"].(map[string]any); e["name"] != "某五金制品有限公司" {
				t.Fatalf("office day %s demand: %v", want, demands[0])
			}
		}
		// The enterprise account of another enterprise's micro-center sees
		// the schedule but not these demands.
		other := z.call("GET", "/api/v1/office-days?from=2026-11-01&to=2026-11-30", "market", nil).expect(t, 200).body["items"].([]any)
		if len(other) != 1 || len(other[0].(map[string]any)["demands"].([]any)) != 0 {
			t.Fatalf("market sees %v", other)
		}

		// Overrides: a month with demands keeps its date; others move.
		z.call("PUT", "/api/v1/office-days/overrides", "admin", map[string]any{"overrides": []map[string]any{
			{"month": "2026-11", "date": "2026-11-18"}}}).expect(t, 409, "office_day_has_demands")
		z.call("PUT", "/api/v1/office-days/overrides", "dispatcher", map[string]any{"overrides": []any{}}).expect(t, 403)
		z.call("PUT", "/api/v1/office-days/overrides", "admin", map[string]any{"overrides": []map[string]any{
			{"month": "2027-01", "date": "2027-02-01"}}}).expect(t, 400, "date_outside_month")
		z.call("PUT", "/api/v1/office-days/overrides", "admin", map[string]any{}).expect(t, 400, "overrides_required")
		put := z.call("PUT", "/api/v1/office-days/overrides", "admin", map[string]any{"overrides": []map[string]any{
			{"month": "2027-01", "date": "2027-01-14", "place": "五金城企业服务驿站"},
			{"month": "2026-11", "place": "工业园区管委会三楼会议室"}}}).expect(t, 200)
		if len(put.body["overrides"].([]any)) != 2 {
			t.Fatalf("overrides: %s", put.raw)
		}
		jan := z.call("GET", "/api/v1/office-days?from=2027-01-01&to=2027-01-31", "grid", nil).expect(t, 200).body["items"].([]any)[0].(map[string]any)
		if jan["date"] != "2027-01-14" || jan["rule"] != "override" || jan["place"] != "五金城企业服务驿站" {
			t.Fatalf("January 2027: %v", jan)
		}
		z.now = time.Date(2027, 1, 15, 10, 0, 0, 0, storetest.Zone)
		z.call("POST", "/api/v1/cases", "dispatcher", demand("厂房消防验收咨询", nil)).expect(t, 400, "not_office_day")
		z.call("POST", "/api/v1/cases", "dispatcher", demand("厂房消防验收咨询", map[string]any{"office_day": "2027-01-14"})).expect(t, 201)
	})
}

// TestProblemList: the list's rows, its filters and the closed loop: an
// item is struck off only when closed with the enterprise's rating.
func TestProblemList(t *testing.T) {
	t.Parallel()
	onBackends(t, false, func(t *testing.T, z *zone) {
		entA := z.addEnterprise(1, "某五金制品有限公司")
		entB := z.addEnterprise(2, "某电动车配件厂")
		labor, market := z.units["labor"], z.units["market"]
		flow := func(id int64, unit int64, upTo string, sat any) {
			steps := []map[string]any{{"action": "dispatch", "unit_id": unit}, {"action": "accept"}, {"action": "arrive"},
				{"action": "resolve", "outcome": "onsite_resolved", "note": "已协调供电所上门"}, {"action": "close", "satisfaction": sat, "note": "企业回访"}}
			for _, s := range steps {
				if sat == nil && s["action"] == "close" {
					delete(s, "satisfaction")
				}
				z.act(id, "dispatcher", s).expect(t, 200)
				if s["action"] == upTo {
					return
				}
			}
		}
		// An item received early in November, never settled: overdue by now.
		z.now = time.Date(2026, 11, 2, 10, 0, 0, 0, storetest.Zone)
		overdue := z.newCase("dispatcher", map[string]any{"line": "enterprise", "channel": "enterprise", "text": "厂区污水管网堵塞", "enterprise_id": entB})
		flow(overdue, market, "accept", nil)
		z.now = t0
		closed := z.newCase("dispatcher", demand("用电增容审批慢", map[string]any{"office_day": "2026-11-16", "enterprise_id": entA}))
		flow(closed, labor, "close", 5)
		noFeedback := z.newCase("dispatcher", demand("招工难，希望对接人社部门", map[string]any{"office_day": "2026-11-16", "enterprise_id": entA}))
		flow(noFeedback, labor, "close", nil)
		resolved := z.newCase("dispatcher", demand("货车进出道路破损", map[string]any{"office_day": "2026-10-15", "enterprise_id": entB}))
		flow(resolved, market, "resolve", nil)
		open := z.newCase("dispatcher", map[string]any{"line": "enterprise", "channel": "enterprise", "text": "某五金制品有限公司希望了解技改补贴政策"})
		z.newCase("dispatcher", nil) // an incident: never on the list
		merged := z.newCase("dispatcher", map[string]any{"line": "enterprise", "channel": "enterprise", "text": "技改补贴政策咨询"})
		z.act(merged, "dispatcher", map[string]any{"action": "merge", "into": open}).expect(t, 200)

		list := func(q string) map[int64]map[string]any {
			t.Helper()
			r := z.call("GET", "/api/v1/problem-list?"+q, "dispatcher", nil).expect(t, 200)
			out := map[int64]map[string]any{}
			for _, it := range r.body["items"].([]any) {
				m := it.(map[string]any)
				out[int64(m["case_id"].(float64))] = m
			}
			return out
		}
		all := list("")
		if len(all) != 5 {
			t.Fatalf("list has %d items, want 5: %v", len(all), all)
		}
		for id, want := range map[int64][3]any{
			overdue:    {"overdue", "open", false},
			closed:     {"done", "closed", false},
			noFeedback: {"done", "awaiting_follow_up", true},
			resolved:   {"done", "awaiting_follow_up", false},
			open:       {"in_progress", "open", false},
		} {
			it := all[id]
			if it["state"] != want[0] || it["loop"] != want[1] || it["closed_without_follow_up"] != want[2] {
				t.Errorf("item %d: state %v loop %v flag %v, want %v", id, it["state"], it["loop"], it["closed_without_follow_up"], want)
			}
		}
		if it := all[overdue]; it["overdue"] != true || it["lead_unit"].(map[string]any)["id"] != float64(market) || it["deadline"] == nil ||
			it["progress"].(map[string]any)["action"] != "accept" || it["enterprise"].(map[string]any)["name"] != "某电动车配件厂" {
			t.Errorf("overdue item: %v", it)
		}
		if it := all[closed]; it["satisfaction"] != float64(5) || it["office_day"] != "2026-11-16" || it["closed_at"] == nil ||
			!strings.Contains(it["progress"].(map[string]any)["text"].(string), "企业回访") {
			t.Errorf("closed item: %v", it)
		}
		if it := all[open]; it["enterprise"].(map[string]any)["id"] != float64(entA) || it["lead_unit"] != nil {
			t.Errorf("open item (enterprise named in the text): %v", it)
		}

		for q, want := range map[string][]int64{
			"status=overdue":                    {overdue},
			"status=closed":                     {closed},
			"status=awaiting_follow_up":         {noFeedback, resolved},
			"status=done":                       {closed, noFeedback, resolved},
			"status=in_progress,overdue":        {overdue, open},
			"enterprise_id=" + fmt.Sprint(entA): {closed, noFeedback, open},
			"unit_id=" + fmt.Sprint(market):     {overdue, resolved},
			"office_day=2026-11-16":             {closed, noFeedback},
			"office_day=2026-10-15&status=done": {resolved},
			"from=2026-11-01&to=2026-11-03":     {overdue},
		} {
			got := list(q)
			if len(got) != len(want) {
				t.Errorf("%s: %d items, want %v", q, len(got), want)
				continue
			}
			for _, id := range want {
				if got[id] == nil {
					t.Errorf("%s: item %d missing", q, id)
				}
			}
		}

		// Settled items leave the default list after recent_days.
		z.now = t0.AddDate(0, 0, 31)
		if got := list(""); len(got) != 2 || got[overdue] == nil || got[open] == nil {
			t.Errorf("a month on, the list holds %v", got)
		}
		if got := list("recent_days=60"); len(got) != 5 {
			t.Errorf("recent_days=60: %d items", len(got))
		}
		// An office day's list is all its demands, however long settled.
		if got := list("office_day=2026-11-16"); len(got) != 2 || got[closed] == nil || got[noFeedback] == nil {
			t.Errorf("a month on, the office day lists %v", got)
		}
		z.now = t0

		// Pages like /cases: the overdue filter applies before paging.
		seen := map[any]bool{}
		cursor := ""
		for pages := 0; ; pages++ {
			r := z.call("GET", "/api/v1/problem-list?limit=2&status=done,overdue&cursor="+url.QueryEscape(cursor), "dispatcher", nil).expect(t, 200)
			for _, it := range r.body["items"].([]any) {
				seen[it.(map[string]any)["case_id"]] = true
			}
			next, _ := r.body["next_cursor"].(string)
			if next == "" {
				if pages != 1 || len(seen) != 4 {
					t.Fatalf("%d pages, %d items", pages+1, len(seen))
				}
				break
			}
			cursor = next
		}

		for _, q := range []string{"status=received", "office_day=2026-11-15", "office_day=x", "unit_id=a", "limit=0", "from=2026-12-01&to=2026-11-01", "recent_days=0", "cursor=!!", "foo=1"} {
			z.call("GET", "/api/v1/problem-list?"+q, "dispatcher", nil).expect(t, 400)
		}
		z.call("GET", "/api/v1/problem-list/export.xlsx?limit=5", "dispatcher", nil).expect(t, 400, "unknown_parameter")

		// The workbook: the merged title, headers, a row per item, counts.
		x := z.call("GET", "/api/v1/problem-list/export.xlsx", "dispatcher", nil).expect(t, 200)
		f, err := excelize.OpenReader(bytes.NewReader(x.raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("问题清单")
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != "企业问题清单（截至 2026年11月27日）" || rows[1][0] != "序号" || rows[1][2] != "企业名称" || rows[1][3] != "反映人" || rows[1][13] != "闭环情况" {
			t.Fatalf("title and headers: %q %q", rows[0], rows[1])
		}
		mergedCells, _ := f.GetMergeCells("问题清单")
		if len(mergedCells) != 1 || mergedCells[0].GetStartAxis() != "A1" || mergedCells[0].GetEndAxis() != "O1" {
			t.Fatalf("merged cells: %v", mergedCells)
		}
		var items, flagged int
		counts := map[string]string{}
		for _, row := range rows[2:] {
			switch {
			case len(row) >= 14:
				items++
				if row[2] == "（未关联企业）" && row[3] != "张某" {
					t.Errorf("an item without an enterprise: %q", row)
				}
				if strings.HasPrefix(row[13], "待回访（办结未获企业反馈）") {
					flagged++
				}
			case len(row) == 2:
				counts[row[0]] = row[1]
			}
		}
		if items != 5 || flagged != 1 || counts["已办结"] != "3" || counts["办理中"] != "1" || counts["逾期"] != "1" || counts["其中已销号"] != "1" || counts["待回访"] != "2" {
			t.Fatalf("%d item rows, %d flagged, counts %v", items, flagged, counts)
		}
	})
}

// TestCalendarKeepsOfficeDays: a calendar override that would move an
// office day which already has demands is refused and saves nothing, as
// an office-day override is; one that moves an empty office day passes.
func TestCalendarKeepsOfficeDays(t *testing.T) {
	t.Parallel()
	onBackends(t, false, func(t *testing.T, z *zone) {
		for _, text := range []string{"用电增容审批慢", "招工难，希望对接人社部门"} {
			z.newCase("dispatcher", demand(text, map[string]any{"office_day": "2026-11-16"}))
		}
		novDay := func() string {
			t.Helper()
			return z.call("GET", "/api/v1/office-days?from=2026-11-01&to=2026-11-30", "grid", nil).expect(t, 200).
				body["items"].([]any)[0].(map[string]any)["date"].(string)
		}
		r := z.call("PUT", "/api/v1/calendar/overrides", "admin",
			`{"overrides":[{"date":"2026-11-16","workday":false,"name":"台风停工"}]}`).expect(t, 409, "office_day_has_demands")
		if msg := r.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "2026-11-16") || !strings.Contains(msg, "2 件") {
			t.Errorf("message: %s", msg)
		}
		if ovs := z.call("GET", "/api/v1/calendar?from=2026-11-01&to=2026-11-30", "admin", nil).expect(t, 200).body["overrides"].([]any); len(ovs) != 0 {
			t.Fatalf("a refused calendar override was saved: %v", ovs)
		}
		if d := novDay(); d != "2026-11-16" {
			t.Fatalf("November's office day moved to %s", d)
		}
		if n := len(z.call("GET", "/api/v1/problem-list?office_day=2026-11-16", "admin", nil).expect(t, 200).body["items"].([]any)); n != 2 {
			t.Fatalf("November's office day has %d demands", n)
		}
		// Making the 15th a working day would move it too.
		z.call("PUT", "/api/v1/calendar/overrides", "admin",
			`{"overrides":[{"date":"2026-11-15","workday":true,"name":"调休上班"}]}`).expect(t, 409, "office_day_has_demands")

		// October has no demands: its office day follows the typhoon.
		z.call("PUT", "/api/v1/calendar/overrides", "admin",
			`{"overrides":[{"date":"2026-10-15","workday":false,"name":"台风停工"}]}`).expect(t, 200)
		oct := z.call("GET", "/api/v1/office-days?from=2026-10-01&to=2026-10-31", "grid", nil).expect(t, 200).body["items"].([]any)[0].(map[string]any)
		if oct["date"] != "2026-10-16" {
			t.Fatalf("October: %v", oct)
		}
		// Taking back an override that moved a day with demands is refused too.
		z.newCase("dispatcher", demand("货车进出道路破损", map[string]any{"office_day": "2026-10-16"}))
		z.call("PUT", "/api/v1/calendar/overrides", "admin", `{"overrides":[]}`).expect(t, 409, "office_day_has_demands")
	})
}

// TestOverrideDates: a date that is not a real day is answered in words
// naming the field, never with an internal error text.
func TestOverrideDates(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	for _, tc := range []struct{ path, body string }{
		{"/api/v1/office-days/overrides", `{"overrides":[{"month":"2026-12","date":"2026-12-32"}]}`},
		{"/api/v1/office-days/overrides", `{"overrides":[{"month":"2026-12","date":"18/12/2026"}]}`},
		{"/api/v1/calendar/overrides", `{"overrides":[{"date":"2026-12-32","workday":false,"name":"台风停工"}]}`},
		{"/api/v1/calendar/overrides", `{"overrides":[{"workday":false,"name":"台风停工"}]}`},
	} {
		r := z.call("PUT", tc.path, "admin", tc.body).expect(t, 400, "invalid_date")
		if msg := r.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "date") || !strings.Contains(msg, "第 1 项") || strings.Contains(msg, "sla") {
			t.Errorf("%s %s: message %q", tc.path, tc.body, msg)
		}
	}
}

// TestOccurredAtAlone: an office-day demand dated only by occurred_at on
// a day that is no office day is refused for that field.
func TestOccurredAtAlone(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	r := z.call("POST", "/api/v1/cases", "dispatcher", demand("厂区门口道路破损",
		map[string]any{"occurred_at": "2026-10-14T15:00:00+08:00"})).expect(t, 400, "occurred_at_not_on_office_day")
	if msg := r.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "2026-10-15") {
		t.Errorf("message %q does not name October's office day", msg)
	}
	z.call("POST", "/api/v1/cases", "dispatcher", demand("厂区门口道路破损",
		map[string]any{"occurred_at": "2026-10-15T15:00:00+08:00"})).expect(t, 201)
}
