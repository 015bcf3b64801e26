package api_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// indicatorZone is a test zone with two indicators (a higher-is-better
// rate the labour department answers for, a lower-is-better one) and four
// comparison zones, this zone first.
func indicatorZone(t *testing.T, z *zone) (rate, lower int64, zones []int64) {
	t.Helper()
	rate = z.call("POST", "/api/v1/indicators", "leader", map[string]any{"code": "E02", "name": "规上工业增加值增速", "group": "经济发展",
		"measure": "%", "direction": "higher", "target": 8, "unit_id": z.units["labor"]}).expect(t, 201).id()
	lower = z.call("POST", "/api/v1/indicators", "admin", map[string]any{"code": "P03", "name": "城镇调查失业率", "group": "民生保障",
		"measure": "%", "direction": "lower", "target": 5.5}).expect(t, 201).id()
	for i, name := range []string{"某某经济开发区", "某高新区", "某临港经济区", "某科技城"} {
		zones = append(zones, z.call("POST", "/api/v1/indicators/zones", "admin", map[string]any{"name": name, "home": i == 0, "sort": i}).expect(t, 201).id())
	}
	return rate, lower, zones
}

func countValues(t *testing.T, z *zone, ind int64) int {
	t.Helper()
	items, _ := z.call("GET", fmt.Sprintf("/api/v1/indicators/%d/values?year=2026", ind), "grid", nil).expect(t, 200).body["items"].([]any)
	return len(items)
}

func TestIndicatorCatalogue(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	rate, _, _ := indicatorZone(t, z)
	for _, tc := range []struct {
		name, user string
		body       any
		status     int
		code       string
	}{
		{"dispatcher may not", "dispatcher", map[string]any{"code": "X1", "name": "某指标", "group": "经济发展"}, 403, "forbidden"},
		{"duplicate code", "admin", map[string]any{"code": "e02", "name": "重复", "group": "经济发展"}, 409, "indicator_code_taken"},
		{"unknown group", "admin", map[string]any{"code": "X1", "name": "某指标", "group": "经济"}, 400, "invalid_group"},
		{"unknown unit", "admin", map[string]any{"code": "X1", "name": "某指标", "group": "经济发展", "unit_id": 999}, 400, "unknown_unit"},
		{"bad direction", "admin", map[string]any{"code": "X1", "name": "某指标", "group": "经济发展", "direction": "up"}, 400, "invalid_direction"},
		{"unknown field", "admin", map[string]any{"code": "X1", "name": "某指标", "group": "经济发展", "traget": 3}, 400, "unknown_field"},
		{"target not a number", "admin", `{"code":"X1","name":"某指标","group":"经济发展","target":"八"}`, 400, "invalid_field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z.call("POST", "/api/v1/indicators", tc.user, tc.body).expect(t, tc.status, tc.code)
		})
	}
	list := z.call("GET", "/api/v1/indicators", "enterprise", nil).expect(t, 200)
	if items := list.body["items"].([]any); len(items) != 2 {
		t.Fatalf("catalogue after refusals: %d", len(items))
	}
	upd := z.call("PATCH", fmt.Sprintf("/api/v1/indicators/%d", rate), "leader", map[string]any{"target": 7.5, "note": "年初目标调整"}).expect(t, 200)
	if upd.body["target"].(float64) != 7.5 || upd.str("name") != "规上工业增加值增速" {
		t.Fatalf("update %s", upd.raw)
	}
	z.call("PATCH", fmt.Sprintf("/api/v1/indicators/%d", rate), "labor", map[string]any{"target": 9}).expect(t, 403)
	z.call("PATCH", "/api/v1/indicators/999", "admin", map[string]any{"target": 9}).expect(t, 404, "indicator_not_found")
	z.call("PATCH", fmt.Sprintf("/api/v1/indicators/%d", rate), "admin", map[string]any{"code": "P03"}).expect(t, 409, "indicator_code_taken")
	z.call("POST", "/api/v1/indicators/zones", "admin", map[string]any{"name": "另一个本区", "home": true}).expect(t, 409, "home_zone_exists")
	if zs := z.call("GET", "/api/v1/indicators/zones", "grid", nil).expect(t, 200).body["items"].([]any); len(zs) != 4 {
		t.Fatalf("zones %d", len(zs))
	}
}

func TestIndicatorValuesRefuseBadInput(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	rate, lower, zones := indicatorZone(t, z)
	z.call("POST", "/api/v1/indicators/values", "admin", map[string]any{"indicator": "E02", "period": "2026-10", "value": 7.2}).expect(t, 200)
	for _, tc := range []struct {
		name, user string
		body       any
		status     int
		code       string
	}{
		{"unknown indicator", "admin", map[string]any{"indicator": "E99", "period": "2026-10", "value": 1}, 400, "unknown_indicator"},
		{"bad period", "admin", map[string]any{"indicator": "E02", "period": "2026-13", "value": 1}, 400, "invalid_period"},
		{"weekly period for a monthly indicator", "admin", map[string]any{"indicator": "E02", "period": "2026-W40", "value": 1}, 400, "period_cadence_mismatch"},
		{"future period", "admin", map[string]any{"indicator": "E02", "period": "2026-12", "value": 1}, 400, "period_in_future"},
		{"non-numeric value", "admin", `{"indicator":"E02","period":"2026-09","value":"七点二"}`, 400, "invalid_field"},
		{"no value", "admin", map[string]any{"indicator": "E02", "period": "2026-09"}, 400, "missing_value"},
		{"unknown zone", "admin", map[string]any{"indicator": "E02", "zone": "无此区", "period": "2026-09", "value": 1}, 400, "unknown_zone"},
		{"cumulative of a rate", "admin", map[string]any{"indicator": "E02", "period": "2026-09", "value": 1, "cumulative": 3}, 400, "cumulative_not_applicable"},
		{"one bad item refuses all", "admin", map[string]any{"items": []any{
			map[string]any{"indicator": "E02", "period": "2026-09", "value": 6.1},
			map[string]any{"indicator": "E02", "period": "2026-9x", "value": 6.1},
		}}, 400, "invalid_period"},
		{"the same figure twice", "admin", map[string]any{"items": []any{
			map[string]any{"indicator": "E02", "period": "2026-09", "value": 6.1},
			map[string]any{"indicator_id": rate, "zone_id": zones[0], "period": "2026-09", "value": 6.2},
		}}, 400, "duplicate_value"},
		{"grid may not", "grid", map[string]any{"indicator": "E02", "period": "2026-09", "value": 1}, 403, "forbidden"},
		{"not the department's indicator", "labor", map[string]any{"indicator": "P03", "period": "2026-09", "value": 1}, 403, "forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := z.call("POST", "/api/v1/indicators/values", tc.user, tc.body).expect(t, tc.status, tc.code)
			if msg := string(r.raw); strings.Contains(msg, "Input") {
				t.Errorf("the message names a Go type: %s", msg)
			}
		})
	}
	if n, m := countValues(t, z, rate), countValues(t, z, lower); n != 1 || m != 0 {
		t.Fatalf("refusals changed the values: %d, %d", n, m)
	}
	// The responsible department reports its own indicator.
	z.call("POST", "/api/v1/indicators/values", "labor", map[string]any{"indicator": "E02", "period": "2026-09", "value": 6.9}).expect(t, 200)
	if n := countValues(t, z, rate); n != 2 {
		t.Fatalf("values %d", n)
	}
}

func TestIndicatorImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	rate, lower, _ := indicatorZone(t, z)
	bad := "指标代码,区域,期别,本期值\nE02,,2026-10,7.2\nE02,某高新区,2026-10,abc\nE99,,2026-10,1\nP03,某科技城,2026-10,5.1\nE02,,2026-10,7.3\n"
	r := z.call("POST", "/api/v1/indicators/values/import", "admin", bad, "Content-Type", "text/csv").expect(t, 400, "invalid_rows")
	rows := r.body["rows"].([]any)
	if len(rows) != 3 {
		t.Fatalf("row errors %s", r.raw)
	}
	for i, want := range []float64{3, 4, 6} {
		if got := rows[i].(map[string]any)["row"].(float64); got != want {
			t.Errorf("error %d on row %v, want %v: %s", i, got, want, r.raw)
		}
	}
	if countValues(t, z, rate)+countValues(t, z, lower) != 0 {
		t.Fatal("a refused import stored values")
	}
	good := "\ufeff指标代码,指标名称,区域,期别,本期值\nE02,增速,,2026-10,7.2\nE02,增速,某高新区,2026-10,8.4\nP03,失业率,某科技城,2026-10,5.1\n"
	r = z.call("POST", "/api/v1/indicators/values/import", "leader", good, "Content-Type", "text/csv").expect(t, 200)
	if r.body["imported"].(float64) != 3 || countValues(t, z, rate) != 2 || countValues(t, z, lower) != 1 {
		t.Fatalf("import %s", r.raw)
	}
	// The same as XLSX; a responsible department may not import another's.
	f := excelize.NewFile()
	for i, row := range [][]any{{"指标代码", "区域", "期别", "本期值"}, {"P03", "某高新区", "2026-10", 4.8}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	z.call("POST", "/api/v1/indicators/values/import", "labor", buf.Bytes()).expect(t, 403)
	// An account that reports no indicator is refused before its file is
	// read: not even a malformed one is looked at.
	z.call("POST", "/api/v1/indicators/values/import", "grid", "not,a\ncsv\x00", "Content-Type", "text/csv").expect(t, 403, "forbidden")
	z.call("POST", "/api/v1/indicators/values/import", "admin", buf.Bytes()).expect(t, 200)
	if countValues(t, z, lower) != 2 {
		t.Fatal("xlsx import")
	}
	tpl := z.call("GET", "/api/v1/indicators/values/template?format=csv", "admin", nil).expect(t, 200)
	if !strings.Contains(string(tpl.raw), "E02,某某经济开发区,2026-10") {
		t.Fatalf("template %s", tpl.raw)
	}
}

func TestIndicatorRankingReviewAndExport(t *testing.T) {
	t.Parallel()
	onBackends(t, false, func(t *testing.T, z *zone) {
		_, _, zones := indicatorZone(t, z)
		var items []any
		add := func(code, period string, vals ...float64) {
			for i, v := range vals {
				items = append(items, map[string]any{"indicator": code, "zone_id": zones[i], "period": period, "value": v})
			}
		}
		add("E02", "2026-09", 6.0, 7.0, 9.0, 8.0)
		add("E02", "2026-10", 7.5, 7.5, 9.1, 6.0) // this zone ties for second
		add("P03", "2026-09", 4.2, 4.0, 6.0, 4.5)
		add("P03", "2026-10", 5.8, 4.0, 6.0, 4.5) // lower is better: this zone third, over target
		z.call("POST", "/api/v1/indicators/values", "admin", map[string]any{"items": items}).expect(t, 200)

		r := z.call("GET", "/api/v1/indicators/ranking?period=2026-10", "grid", nil).expect(t, 200)
		if r.str("period") != "2026-10" || r.body["schedule"].(float64) != 83.3 || r.str("previous_period") != "2026-09" {
			t.Fatalf("ranking head %s", r.raw)
		}
		rows := r.body["items"].([]any)
		if len(rows) != 2 {
			t.Fatalf("rows %d", len(rows))
		}
		e02, p03 := rows[0].(map[string]any), rows[1].(map[string]any)
		ranks := func(row map[string]any) []float64 {
			var out []float64
			for _, zf := range row["zones"].([]any) {
				out = append(out, zf.(map[string]any)["rank"].(float64))
			}
			return out
		}
		if got := fmt.Sprint(ranks(e02)); got != "[2 2 1 4]" {
			t.Errorf("E02 ranks %s", got)
		}
		if got := fmt.Sprint(ranks(p03)); got != "[3 1 4 2]" {
			t.Errorf("P03 ranks (lower is better) %s", got)
		}
		if e02["rank_change"].(float64) != 2 || e02["progress"].(float64) != 93.8 || e02["behind_schedule"] != true || e02["tier"] != "advantage" {
			t.Errorf("E02 %v", e02)
		}
		if p03["rank_change"].(float64) != -1 || p03["tier"] != "weak" || p03["behind_schedule"] != true || e02["change"].(float64) != 1.5 || p03["change"].(float64) != 1.6 {
			t.Errorf("P03 %v", p03)
		}
		other := z.call("GET", fmt.Sprintf("/api/v1/indicators/ranking?period=2026-10&zone_id=%d", zones[3]), "grid", nil).expect(t, 200)
		if row := other.body["items"].([]any)[0].(map[string]any); row["rank"].(float64) != 4 || row["tier"] != "weak" {
			t.Errorf("from 某科技城's side: %v", row)
		}

		rv := z.call("GET", "/api/v1/indicators/review?period=2026-10", "leader", nil).expect(t, 200)
		text := rv.str("text")
		for _, want := range []string{"2026年10月，某某经济开发区2项高质量发展指标中", "较上月排名上升的1项：规上工业增加值增速（由第4位升至第2位）",
			"较上月排名下降的1项：城镇调查失业率（由第2位降至第3位）", "劳动保障监察中队"} {
			if !strings.Contains(text, want) {
				t.Errorf("review lacks %q: %s", want, text)
			}
		}

		x := z.call("GET", "/api/v1/indicators/export.xlsx?period=2026-10", "dispatcher", nil).expect(t, 200)
		f, err := excelize.OpenReader(bytes.NewReader(x.raw))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetList()[0]
		title, _ := f.GetCellValue(sheet, "A1")
		head, _ := f.GetCellValue(sheet, "D3")
		code, _ := f.GetCellValue(sheet, "C5")
		rank, _ := f.GetCellValue(sheet, "M4")
		merged, _ := f.GetMergeCells(sheet)
		cond, _ := f.GetConditionalFormats(sheet)
		if title != "某某经济开发区高质量发展指标一表清（2026年10月）" || head != "指标名称" || code != "P03" || rank != "2/4" || len(merged) < 2 || len(cond) != 1 {
			t.Errorf("workbook: %q %q %q %q merges %d conditions %d", title, head, code, rank, len(merged), len(cond))
		}
		h := z.call("GET", "/api/v1/indicators/export.html?period=2026-10", "dispatcher", nil).expect(t, 200)
		if !strings.Contains(string(h.raw), "<h1>某某经济开发区高质量发展指标一表清（2026年10月）</h1>") || !strings.Contains(string(h.raw), `class="lag"`) {
			t.Errorf("print view %s", h.raw)
		}

		z.call("GET", "/api/v1/indicators/ranking?period=2026-1x", "grid", nil).expect(t, 400, "invalid_period")
		z.call("GET", "/api/v1/indicators/ranking?period=2027-01", "grid", nil).expect(t, 400, "period_in_future")
		z.call("GET", "/api/v1/indicators/ranking?zone_id=999", "grid", nil).expect(t, 404, "zone_not_found")
		z.call("GET", "/api/v1/indicators/ranking?perod=2026-10", "grid", nil).expect(t, 400, "unknown_parameter")
		z.call("GET", "/api/v1/indicators/export.xlsx?zone=1", "grid", nil).expect(t, 400, "unknown_parameter")
		z.call("GET", "/api/v1/indicators/ranking", "", nil).expect(t, 401)
	})
}
