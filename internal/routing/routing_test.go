package routing

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

func id(v int64) *int64 { return &v }

func poly(coords string) json.RawMessage {
	return json.RawMessage(`{"type":"Polygon","coordinates":` + coords + `}`)
}

// testDir is a small zone: a center, a team, two departments, a grid with
// a hole (a lake), an enterprise grid of two squares with a micro-center.
func testDir() *Directory {
	return NewDirectory([]Unit{
		{ID: 1, Name: "中心", Kind: KindCenter},
		{ID: 2, Name: "处置队", Kind: KindResponseTeam, ParentID: id(1)},
		{ID: 3, Name: "劳动监察", Kind: KindDepartment, ParentID: id(1)},
		{ID: 4, Name: "派出所联络室", Kind: KindDepartment, ParentID: id(1)},
		{ID: 5, Name: "东城网格", Kind: KindGrid, ParentID: id(1),
			Area: poly(`[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]`)},
		{ID: 6, Name: "企业专属网格", Kind: KindGrid, ParentID: id(1),
			Area: json.RawMessage(`{"type":"MultiPolygon","coordinates":[[[[10,0],[12,0],[12,2],[10,2],[10,0]]],[[[20,20],[22,20],[22,22],[20,22],[20,20]]]]}`)},
		{ID: 7, Name: "某五金制品有限公司微中心", Kind: KindEnterprise, ParentID: id(6)},
		{ID: 8, Name: "东城小区网格", Kind: KindGrid, ParentID: id(5), Area: poly(`[[[1,1],[3,1],[3,3],[1,3],[1,1]]]`)},
	})
}

func at(lon, lat float64) *casework.Location { return &casework.Location{Lat: lat, Lon: lon} }

func TestAreasHolesMultiPolygonsAndBorders(t *testing.T) {
	t.Parallel()
	d := testDir()
	cases := []struct {
		name string
		loc  *casework.Location
		want []int64
	}{
		{"inside the grid", at(2, 8), []int64{5}},
		{"inside the hole", at(5, 5), nil},
		{"on the hole's edge", at(4, 5), []int64{5}},
		{"nested grid wins (smaller first)", at(2, 2), []int64{8, 5}},
		{"second polygon of a multipolygon", at(21, 21), []int64{6}},
		{"first polygon of a multipolygon", at(11, 1), []int64{6}},
		{"on the shared border of two grids", at(10, 1), []int64{6, 5}},
		{"on an outer corner", at(0, 0), []int64{5}},
		{"outside everything", at(50, 50), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []int64
			for _, u := range d.UnitsAt(*tc.loc) {
				got = append(got, u.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("units at %v = %v, want %v", *tc.loc, got, tc.want)
			}
		})
	}
}

func TestRulesPrecedence(t *testing.T) {
	t.Parallel()
	d := testDir()
	yes := true
	rs := RuleSet{Rules: []Rule{
		{Name: "police", Match: Match{Police: &yes}, Lead: "派出所联络室", Co: []string{"处置队"}},
		{Name: "night wages", Match: Match{Type: StringList{"wage_arrears"}, Hours: "22:00-08:00"}, Lead: "处置队"},
		{Name: "wages", Match: Match{Type: StringList{"wage_arrears", "work_injury"}}, Lead: "劳动监察", Co: []string{"area:grid", "劳动监察"}},
		{Name: "grid self report", Match: Match{Channel: StringList{"grid"}}, Lead: "reporter_unit", Dispatch: true},
		{Name: "in enterprise grid", Match: Match{Area: "企业专属网格"}, Lead: "enterprise", Co: []string{"area"}},
		{Name: "fallback", Lead: "kind:response_team", Co: []string{"area:grid"}},
	}}
	if err := rs.Validate(d, casework.ContractTypes{}); err != nil {
		t.Fatal(err)
	}
	noon := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	night := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)
	early := time.Date(2026, 11, 27, 7, 59, 0, 0, time.UTC)
	ent := &Enterprise{ID: 1, Name: "某五金制品有限公司", GridID: id(6), MicroCenter: id(7)}
	cases := []struct {
		name     string
		f        Facts
		rule     string
		lead     int64
		co       []int64
		dispatch bool
	}{
		{"police first, even for wages", Facts{Type: "wage_arrears", Police: true, At: noon}, "police", 4, []int64{2}, false},
		{"night wages before wages", Facts{Type: "wage_arrears", At: night}, "night wages", 2, []int64{}, false},
		{"hours wrap past midnight", Facts{Type: "wage_arrears", At: early}, "night wages", 2, []int64{}, false},
		{"daytime wages with co-units, lead not repeated", Facts{Type: "wage_arrears", At: noon, Location: at(2, 8)}, "wages", 3, []int64{5}, false},
		{"grid report with a reporter unit", Facts{Channel: "grid", ReporterUnit: id(8), At: noon}, "grid self report", 8, []int64{}, true},
		{"grid report without a unit falls through", Facts{Channel: "grid", At: noon}, "fallback", 2, []int64{}, false},
		{"grid report typed in at the center falls through", Facts{Channel: "grid", ReporterUnit: id(1), At: noon}, "fallback", 2, []int64{}, false},
		{"enterprise named inside its grid", Facts{Type: "neighbor", Location: at(11, 1), Enterprise: ent, At: noon}, "in enterprise grid", 7, []int64{6}, false},
		{"in the enterprise grid but none named: lead unresolved, next rule", Facts{Type: "neighbor", Location: at(11, 1), At: noon}, "fallback", 2, []int64{6}, false},
		{"no location", Facts{Type: "neighbor", At: noon}, "fallback", 2, []int64{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := rs.Evaluate(d, tc.f)
			if got.Rule != tc.rule || got.UnitID == nil || *got.UnitID != tc.lead || fmt.Sprint(got.CoUnitIDs) != fmt.Sprint(tc.co) || got.Dispatch != tc.dispatch {
				t.Fatalf("got rule %q lead %v co %v dispatch %v", got.Rule, *got.UnitID, got.CoUnitIDs, got.Dispatch)
			}
		})
	}
	// The micro-center of the enterprise grid a case lies in is always told.
	got := rs.Evaluate(d, Facts{Type: "neighbor", Location: at(21, 21), At: noon})
	if fmt.Sprint(got.NotifyUnitIDs) != "[7]" {
		t.Fatalf("notify %v", got.NotifyUnitIDs)
	}
}

func TestRulesValidation(t *testing.T) {
	t.Parallel()
	d := testDir()
	for name, yaml := range map[string]string{
		"unknown unit":    "rules: [{name: a, lead: 不存在的单位}]",
		"no lead":         "rules: [{name: a}]",
		"no name":         "rules: [{lead: 处置队}]",
		"bad type":        "rules: [{name: a, lead: 处置队, match: {type: flying}}]",
		"bad hours":       "rules: [{name: a, lead: 处置队, match: {hours: '25:00-08:00'}}]",
		"bad kind":        "rules: [{name: a, lead: 'kind:village'}]",
		"bad channel":     "rules: [{name: a, lead: 处置队, match: {channel: fax}}]",
		"unknown id":      "rules: [{name: a, lead: '#99'}]",
		"unknown field":   "rules: [{name: a, lead: 处置队, mach: {}}]",
		"not yaml at all": "rules: [",
		"empty":           "",
		"null":            "null",
		"no rules key":    "{}",
		"misspelt key":    `{"rulez": []}`,
		"rules null":      `{"rules": null}`,
		"a list":          "[]",
	} {
		t.Run(name, func(t *testing.T) {
			rs, err := ParseRules([]byte(yaml))
			if err == nil {
				err = rs.Validate(d, casework.ContractTypes{})
			}
			if e, ok := casework.AsError(err); !ok || e.Kind != casework.KindInvalid {
				t.Fatalf("got %v, want a 400 refusal", err)
			}
		})
	}
	if rs, err := ParseRules([]byte(`{"rules": []}`)); err != nil || len(rs.Rules) != 0 {
		t.Fatalf("an explicit empty list clears the rules: %v %v", rs, err)
	}
	if err := DefaultRules().Validate(d, casework.ContractTypes{}); err != nil {
		t.Fatalf("built-in rules: %v", err)
	}
	for _, r := range DefaultRules().Rules {
		if r.Dispatch {
			t.Fatalf("built-in rule %q dispatches by itself", r.Name)
		}
	}
}

func TestRosterGapsAndOnDuty(t *testing.T) {
	t.Parallel()
	d := testDir()
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return day.Add(time.Duration(n) * time.Hour) }
	shifts := []Shift{
		{ID: 1, UnitID: 1, PersonID: 1, Start: h(0), End: h(8)},
		{ID: 2, UnitID: 1, PersonID: 2, Start: h(8), End: h(16)},
		{ID: 3, UnitID: 1, PersonID: 3, Start: h(17), End: h(24)}, // 16:00–17:00 uncovered
		{ID: 4, UnitID: 2, PersonID: 4, Start: h(0), End: h(24)},
		{ID: 5, UnitID: 2, PersonID: 5, Start: h(6), End: h(10)}, // overlap is fine
		{ID: 6, UnitID: 3, PersonID: 6, Start: h(0), End: h(1)},  // departments need no 24h cover
	}
	gaps := Gaps(d, shifts, h(0), h(24))
	if len(gaps) != 1 || gaps[0].UnitID != 1 || !gaps[0].Start.Equal(h(16)) || !gaps[0].End.Equal(h(17)) || gaps[0].Hours != 1 {
		t.Fatalf("gaps %+v", gaps)
	}
	gaps = Gaps(d, shifts, h(0), h(48))
	if len(gaps) != 3 { // the 16:00 hour, and all of the second day for both units
		t.Fatalf("two days: %+v", gaps)
	}
	if on := OnDuty(shifts, h(7)); len(on) != 3 {
		t.Fatalf("on duty at 07:00: %+v", on)
	}
	if on := OnDuty(shifts, h(8)); len(on) != 3 || on[0].ID != 2 { // a shift ending at 8 is over at 8
		t.Fatalf("on duty at 08:00: %+v", on)
	}
	half := Gaps(d, []Shift{{UnitID: 1, Start: h(0).Add(30 * time.Minute), End: h(24)}, {UnitID: 2, Start: h(0), End: h(24)}}, h(0), h(24))
	if len(half) != 1 || half[0].Hours != 1 {
		t.Fatalf("a half-hour gap touches one hour: %+v", half)
	}
}

func TestShiftValidation(t *testing.T) {
	t.Parallel()
	d := testDir()
	p := Person{ID: 1, Name: "赵某", UnitID: 2}
	start := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	if err := (NewShift{UnitID: 2, PersonID: 1, Start: start, End: start.Add(8 * time.Hour)}).Validate(d, p); err != nil {
		t.Fatal(err)
	}
	if err := (NewShift{UnitID: 1, PersonID: 1, Start: start, End: start.Add(8 * time.Hour)}).Validate(d, p); err != nil {
		t.Fatalf("a team member may stand duty for the center above it: %v", err)
	}
	for name, sh := range map[string]NewShift{
		"other unit":  {UnitID: 3, PersonID: 1, Start: start, End: start.Add(time.Hour)},
		"backwards":   {UnitID: 2, PersonID: 1, Start: start, End: start.Add(-time.Hour)},
		"too long":    {UnitID: 2, PersonID: 1, Start: start, End: start.Add(25 * time.Hour)},
		"no unit":     {UnitID: 99, PersonID: 1, Start: start, End: start.Add(time.Hour)},
		"zero length": {UnitID: 2, PersonID: 1, Start: start, End: start},
	} {
		if err := sh.Validate(d, p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCreditCode(t *testing.T) {
	t.Parallel()
	for code, ok := range map[string]bool{
		"91350100M000100Y43": true,  // the example of GB 32100-2015
		"91350100M000100Y42": false, // wrong check digit
		"91350100M000100Y4":  false, // too short
		"91350100M000100I43": false, // I is not used
		"":                   false,
	} {
		if got := ValidCreditCode(code); got != ok {
			t.Errorf("ValidCreditCode(%q) = %v, want %v", code, got, ok)
		}
	}
}

func TestRecommendNearestOnDutyFirst(t *testing.T) {
	t.Parallel()
	d := testDir()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	recent, old := now.Add(-10*time.Minute), now.Add(-5*time.Hour)
	people := []Person{
		{ID: 1, Name: "甲", UnitID: 2, Location: at(2, 2), LocatedAt: &recent},
		{ID: 2, Name: "乙", UnitID: 2, Location: at(2.01, 2.01), LocatedAt: &recent},
		{ID: 3, Name: "丙", UnitID: 2},
		{ID: 4, Name: "丁", UnitID: 2, Location: at(2, 2), LocatedAt: &old},
		{ID: 5, Name: "戊", UnitID: 2, Location: at(2, 2), LocatedAt: &recent},
		{ID: 6, Name: "己", UnitID: 3, Location: at(2, 2), LocatedAt: &recent},
	}
	shifts := []Shift{
		{UnitID: 2, PersonID: 1, Start: now.Add(-time.Hour), End: now.Add(time.Hour)},
		{UnitID: 2, PersonID: 2, Start: now.Add(-time.Hour), End: now.Add(time.Hour)},
		{UnitID: 2, PersonID: 3, Start: now.Add(-time.Hour), End: now.Add(time.Hour)},
		{UnitID: 2, PersonID: 4, Start: now.Add(-time.Hour), End: now.Add(time.Hour)},
		{UnitID: 2, PersonID: 5, Start: now.Add(time.Hour), End: now.Add(2 * time.Hour)}, // not yet on duty
		{UnitID: 3, PersonID: 6, Start: now.Add(-time.Hour), End: now.Add(time.Hour)},    // another unit
	}
	recs := Recommend(d, 2, people, shifts, now, at(2.011, 2.011))
	var names []string
	for _, r := range recs {
		names = append(names, r.Person.Name)
	}
	if fmt.Sprint(names) != "[乙 甲 丁 丙]" {
		t.Fatalf("order %v", names)
	}
	if recs[2].DistanceM != nil {
		t.Fatal("a five-hour-old position must not count")
	}
}

func TestEnterpriseIndexFindsLongestName(t *testing.T) {
	t.Parallel()
	ix := NewEnterpriseIndex([]Enterprise{
		{ID: 1, Name: "某五金制品有限公司"},
		{ID: 2, Name: "某五金有限公司"},
		{ID: 3, Name: "某电动车配件厂"},
	})
	cases := map[string]int64{
		"某五金制品有限公司门口有人闹事": 1,
		"某五金制品的工人说被拖欠工资":  1,
		"某电动车配件厂门口堵车":     3,
		"厂门口有人闹事":         0,
	}
	for text, want := range cases {
		got := ix.Find(text)
		if (got == nil && want != 0) || (got != nil && got.ID != want) {
			t.Errorf("Find(%q) = %v, want %d", text, got, want)
		}
	}
}

func TestImportTables(t *testing.T) {
	t.Parallel()
	d := testDir()
	rows := [][]string{
		{"姓名", "手机号", "职务", "所属单位", "技能"},
		{"赵某", "13800000101", "队员", "处置队", "调解、劳动法"},
		{"钱某", "1380000", "队员", "处置队", ""},
		{"孙某", "13800000103", "队员", "不存在的单位", ""},
		{"", "", "", "", ""},
		{"李某", "13800000101", "队员", "2", ""},
	}
	ps, errs := ParsePeople(rows, d)
	if len(errs) != 3 || errs[0].Row != 3 || errs[1].Row != 4 || errs[2].Row != 6 {
		t.Fatalf("errors %+v", errs)
	}
	if len(ps) != 1 || fmt.Sprint(ps[0].Skills) != "[调解 劳动法]" {
		t.Fatalf("people %+v", ps)
	}
	if _, errs := ParsePeople([][]string{{"姓名"}}, d); len(errs) == 0 {
		t.Fatal("missing required columns must be reported")
	}
	code := "91350100M000100Y43"
	erows := [][]string{
		{"企业名称", "统一社会信用代码", "行业", "职工人数", "所属网格"},
		{"某五金制品有限公司", code, "门业", "420", "企业专属网格"},
		{"某杯业有限公司", "91350100M000100Y42", "cup", "10", ""},
		{"某车业有限公司", "91350100M000100Y43", "火箭", "10", ""},
	}
	es, errs := ParseEnterprises(erows, d, nil)
	// Row 4 has two problems, both reported.
	if len(es) != 1 || es[0].Industry != "door" || *es[0].GridID != 6 || len(errs) != 3 {
		t.Fatalf("enterprises %+v errors %+v", es, errs)
	}
	// Every problem of a row at once, not one per upload.
	_, errs = ParseEnterprises([][]string{
		{"企业名称", "统一社会信用代码", "职工人数", "纬度", "经度", "所属网格"},
		{"某锁业有限公司", "91350100M000100Y4X", "-5", "999", "120", "不存在的网格"},
	}, d, nil)
	cols := map[string]bool{}
	for _, e := range errs {
		if e.Row != 2 {
			t.Errorf("error on row %d: %+v", e.Row, e)
		}
		cols[e.Column] = true
	}
	if len(errs) != 4 || !cols["所属网格"] {
		t.Fatalf("a row with four problems reports %+v", errs)
	}
}
