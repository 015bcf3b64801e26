package api_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The template comes back with only some rows filled: the blank ones are
// skipped; a template with nothing filled imports nothing.
func TestIndicatorTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	rate, lower, _ := indicatorZone(t, z)
	tpl := string(z.call("GET", "/api/v1/indicators/values/template?format=csv", "admin", nil).expect(t, 200).raw)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(tpl, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("template %q: %v", tpl, err)
	}
	var blank strings.Builder
	if err := csv.NewWriter(&blank).WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	z.call("POST", "/api/v1/indicators/values/import", "admin", blank.String(), "Content-Type", "text/csv").expect(t, 400, "nothing_to_import")
	rows[1][3] = "7.2" // E02's 本期值
	var filled strings.Builder
	if err := csv.NewWriter(&filled).WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	r := z.call("POST", "/api/v1/indicators/values/import", "admin", filled.String(), "Content-Type", "text/csv").expect(t, 200)
	if r.body["imported"].(float64) != 1 || countValues(t, z, rate) != 1 || countValues(t, z, lower) != 0 {
		t.Fatalf("import %s", r.raw)
	}
	// A row with a 年累计 or 同比 but no 本期值 is still an error.
	rows[2][5] = "3.1"
	var half strings.Builder
	if err := csv.NewWriter(&half).WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	z.call("POST", "/api/v1/indicators/values/import", "admin", half.String(), "Content-Type", "text/csv").expect(t, 400, "invalid_rows")

	// A department's template lists only its own indicators.
	mine := string(z.call("GET", "/api/v1/indicators/values/template?format=csv", "labor", nil).expect(t, 200).raw)
	if !strings.Contains(mine, "E02,") || strings.Contains(mine, "P03,") {
		t.Fatalf("the labour department's template: %s", mine)
	}
}

// A CSV saved by Chinese Excel is GBK: it is read as such.
func TestIndicatorImportReadsGBK(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	rate, _, _ := indicatorZone(t, z)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("指标代码,区域,期别,本期值\nE02,某高新区,2026-10,8.4\n")
	if err != nil {
		t.Fatal(err)
	}
	z.call("POST", "/api/v1/indicators/values/import", "admin", gbk, "Content-Type", "text/csv").expect(t, 200)
	if countValues(t, z, rate) != 1 {
		t.Fatal("GBK import stored nothing")
	}
	z.call("POST", "/api/v1/indicators/values/import", "admin", "指标代码,期别,本期值\nE02,2026-10,\xff\xfe\xff\n", "Content-Type", "text/csv").
		expect(t, 400, "invalid_encoding")
}

func TestIndicatorValueNamesMustAgree(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	rate, lower, zones := indicatorZone(t, z)
	for _, tc := range []struct {
		name string
		body map[string]any
		code string
	}{
		{"id and code disagree", map[string]any{"indicator_id": rate, "indicator": "P03", "period": "2026-10", "value": 1}, "indicator_mismatch"},
		{"zone id and name disagree", map[string]any{"indicator": "E02", "zone_id": zones[0], "zone": "某高新区", "period": "2026-10", "value": 1}, "zone_mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z.call("POST", "/api/v1/indicators/values", "admin", tc.body).expect(t, 400, tc.code)
		})
	}
	if countValues(t, z, rate)+countValues(t, z, lower) != 0 {
		t.Fatal("a refused figure was stored")
	}
	z.call("POST", "/api/v1/indicators/values", "admin", map[string]any{"indicator_id": rate, "indicator": "e02", "zone_id": zones[1],
		"zone": "某高新区", "period": "2026-10", "value": 1}).expect(t, 200)
}

func TestIndicatorListActive(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	_, lower, _ := indicatorZone(t, z)
	z.call("PATCH", fmt.Sprintf("/api/v1/indicators/%d", lower), "admin", map[string]any{"active": false}).expect(t, 200)
	codes := func(q string) string {
		var out []string
		for _, it := range z.call("GET", "/api/v1/indicators"+q, "grid", nil).expect(t, 200).body["items"].([]any) {
			out = append(out, it.(map[string]any)["code"].(string))
		}
		return strings.Join(out, ",")
	}
	if all, on, off := codes(""), codes("?active=true"), codes("?active=false"); all != "E02,P03" || on != "E02" || off != "P03" {
		t.Fatalf("all %s, active %s, inactive %s", all, on, off)
	}
	z.call("GET", "/api/v1/indicators?active=maybe", "grid", nil).expect(t, 400, "invalid_active")
}

// Today is 2026-11-27: November has not ended, the fourth quarter neither.
func TestIndicatorReviewOfARunningPeriod(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	_, _, zones := indicatorZone(t, z)
	z.call("POST", "/api/v1/indicators/values", "admin", map[string]any{"items": []any{
		map[string]any{"indicator": "E02", "zone_id": zones[0], "period": "2026-10", "value": 7},
		map[string]any{"indicator": "E02", "zone_id": zones[1], "period": "2026-10", "value": 6},
		map[string]any{"indicator": "E02", "zone_id": zones[0], "period": "2026-11", "value": 7.1},
		map[string]any{"indicator": "E02", "zone_id": zones[1], "period": "2026-11", "value": 6},
	}}).expect(t, 200)
	for _, tc := range []struct {
		period string
		want   []string
		not    []string
	}{
		{"2026-Q4", []string{"2项高质量发展指标中，已报送0项"}, []string{"均无变化", "尚未报送数据", "均未落后", "全市排名第一"}},
		{"2026-11", []string{"已报送1项", "1项数据期尚未结束", "可比的1项指标排名均无变化"}, []string{"尚未报送数据", "城镇调查失业率"}},
		// October has ended: P03 is overdue.
		{"2026-10", []string{"已报送1项", "尚未报送数据的1项：城镇调查失业率", "暂无与上月可比的排名"}, []string{"均无变化"}},
	} {
		t.Run(tc.period, func(t *testing.T) {
			rv := z.call("GET", "/api/v1/indicators/review?period="+tc.period, "leader", nil).expect(t, 200)
			text := rv.str("text")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q: %s", w, text)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(text, n) {
					t.Errorf("says %q: %s", n, text)
				}
			}
		})
	}
}
