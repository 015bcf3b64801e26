package kpi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

// ValueInput is one figure as a client sends it: the indicator by id or
// code, the zone by id or name (this zone when left out).
type ValueInput struct {
	IndicatorID *int64   `json:"indicator_id"`
	Indicator   string   `json:"indicator"`
	ZoneID      *int64   `json:"zone_id"`
	Zone        string   `json:"zone"`
	Period      string   `json:"period"`
	Value       *float64 `json:"value"`
	Cumulative  *float64 `json:"cumulative"`
	YoY         *float64 `json:"yoy"`
}

// Catalog resolves the indicators and zones a figure names.
type Catalog struct {
	indByID   map[int64]Indicator
	indByCode map[string]Indicator
	zoneByID  map[int64]Zone
	zoneByKey map[string]Zone
	home      *Zone
}

// NewCatalog indexes the indicators and zones.
func NewCatalog(inds []Indicator, zones []Zone) *Catalog {
	c := &Catalog{indByID: map[int64]Indicator{}, indByCode: map[string]Indicator{}, zoneByID: map[int64]Zone{}, zoneByKey: map[string]Zone{}}
	for _, i := range inds {
		c.indByID[i.ID] = i
		c.indByCode[strings.ToUpper(i.Code)] = i
	}
	for _, z := range zones {
		c.zoneByID[z.ID] = z
		c.zoneByKey[z.Name] = z
		if z.Home {
			c.home = &z
		}
	}
	return c
}

// Home is this zone, if one is set.
func (c *Catalog) Home() (Zone, bool) {
	if c.home == nil {
		return Zone{}, false
	}
	return *c.home, true
}

// Indicator answers an indicator by id.
func (c *Catalog) Indicator(id int64) (Indicator, bool) {
	i, ok := c.indByID[id]
	return i, ok
}

// Zone answers a zone by id.
func (c *Catalog) Zone(id int64) (Zone, bool) {
	z, ok := c.zoneByID[id]
	return z, ok
}

// fieldError is a refusal that names the column it is about.
type fieldError struct {
	column string
	err    *casework.Error
}

// Resolve checks a figure and answers it as stored. today is the zone's
// current date: a period that has not begun cannot be reported.
func (c *Catalog) Resolve(in ValueInput, today time.Time) (Value, error) {
	v, fe := c.resolve(in, today)
	if fe != nil {
		return v, fe.err
	}
	return v, nil
}

func (c *Catalog) resolve(in ValueInput, today time.Time) (Value, *fieldError) {
	bad := func(col, code, format string, args ...any) (Value, *fieldError) {
		return Value{}, &fieldError{col, casework.Invalid(code, format, args...)}
	}
	// An indicator (or zone) named both by id and by code (or name) must
	// be named the same way twice: which one was meant is not ours to guess.
	var ind Indicator
	var ok bool
	code := strings.TrimSpace(in.Indicator)
	switch {
	case in.IndicatorID != nil:
		if ind, ok = c.indByID[*in.IndicatorID]; !ok {
			return bad("指标代码", "unknown_indicator", "指标 %d 不存在", *in.IndicatorID)
		}
		if code != "" && !strings.EqualFold(code, ind.Code) {
			return bad("指标代码", "indicator_mismatch", "indicator_id %d 是指标 %s，与 indicator “%s”不符", ind.ID, ind.Code, code)
		}
	case code != "":
		if ind, ok = c.indByCode[strings.ToUpper(code)]; !ok {
			return bad("指标代码", "unknown_indicator", "指标代码 %s 不存在", code)
		}
	default:
		return bad("指标代码", "missing_indicator", "须给出指标（indicator 代码或 indicator_id）")
	}
	var zone Zone
	name := strings.TrimSpace(in.Zone)
	switch {
	case in.ZoneID != nil:
		if zone, ok = c.zoneByID[*in.ZoneID]; !ok {
			return bad("区域", "unknown_zone", "区域 %d 不存在", *in.ZoneID)
		}
		if name != "" && name != zone.Name {
			return bad("区域", "zone_mismatch", "zone_id %d 是“%s”，与 zone “%s”不符", zone.ID, zone.Name, name)
		}
	case name != "":
		if zone, ok = c.zoneByKey[name]; !ok {
			return bad("区域", "unknown_zone", "区域“%s”不存在", name)
		}
	case c.home != nil:
		zone = *c.home
	default:
		return bad("区域", "no_home_zone", "尚未设置本区，须指明区域")
	}
	p, err := ParsePeriod(in.Period)
	if err != nil {
		e, _ := casework.AsError(err)
		return Value{}, &fieldError{"期别", e}
	}
	if p.Kind != ind.Cadence {
		return bad("期别", "period_cadence_mismatch", "指标 %s %s报送，期别 %s 不符（如 %s）", ind.Code, ind.Cadence.Label(), p, example(ind.Cadence))
	}
	if p.Start().After(Civil(today)) {
		return bad("期别", "period_in_future", "期别 %s 尚未开始，不能报送", p)
	}
	if in.Value == nil {
		return bad("本期值", "missing_value", "须给出本期值（value）")
	}
	for _, f := range []struct {
		col string
		v   *float64
	}{{"本期值", in.Value}, {"年累计", in.Cumulative}, {"同比", in.YoY}} {
		if f.v != nil && (!finite(*f.v) || *f.v > 1e12 || *f.v < -1e12) {
			return bad(f.col, "invalid_value", "%s须为有限数值", f.col)
		}
	}
	if in.Cumulative != nil && ind.Aggregation != Sum {
		return bad("年累计", "cumulative_not_applicable", "指标 %s 是水平值指标，没有年累计", ind.Code)
	}
	return Value{IndicatorID: ind.ID, ZoneID: zone.ID, Period: p.String(), Value: *in.Value, Cumulative: in.Cumulative, YoY: in.YoY}, nil
}

func example(c Cadence) string {
	switch c {
	case Weekly:
		return "2026-W47"
	case Quarterly:
		return "2026-Q3"
	}
	return "2026-10"
}

// Civil is the date of t (in t's own zone, the zone's for a server's
// clock) as a midnight-UTC time, comparable with a Period's dates.
func Civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// ResolveAll checks a list of figures; the first bad one refuses them all,
// naming its place (第 n 条) and any figure given twice.
func (c *Catalog) ResolveAll(ins []ValueInput, today time.Time) ([]Value, error) {
	out := make([]Value, 0, len(ins))
	seen := map[valueKey]int{}
	for i, in := range ins {
		v, fe := c.resolve(in, today)
		if fe != nil {
			return nil, casework.Invalid(fe.err.Code, "第 %d 条：%s", i+1, fe.err.Message)
		}
		k := valueKey{v.IndicatorID, v.ZoneID, v.Period}
		if j, dup := seen[k]; dup {
			return nil, casework.Invalid("duplicate_value", "第 %d 条与第 %d 条是同一指标、区域和期别", i+1, j)
		}
		seen[k] = i + 1
		out = append(out, v)
	}
	return out, nil
}

// importColumns are the columns of a values sheet; the header names them.
var importColumns = []struct {
	key, header string
	aliases     []string
	required    bool
}{
	{"indicator", "指标代码", []string{"指标编码", "代码", "code", "indicator"}, true},
	{"zone", "区域", []string{"开发区", "园区", "zone"}, false},
	{"period", "期别", []string{"期间", "报告期", "period"}, true},
	{"value", "本期值", []string{"数值", "指标值", "value"}, true},
	{"cumulative", "年累计", []string{"累计值", "cumulative"}, false},
	{"yoy", "同比", []string{"同比(%)", "同比（%）", "同比增长", "yoy"}, false},
}

// ImportHeaders are the columns of a values sheet, in the template's order.
func ImportHeaders() []string {
	out := make([]string, len(importColumns))
	for i, c := range importColumns {
		out[i] = c.header
	}
	return out
}

// ErrNothingToImport answers a sheet with no figure filled in, such as
// the template sent back as it came.
var ErrNothingToImport = casework.Invalid("nothing_to_import", "文件中没有填写本期值的数据行，未导入任何数据")

// ParseValueRows reads a sheet of figures (header row first; 指标名称 and
// other extra columns are ignored). A row whose 本期值, 年累计 and 同比 are
// all blank is skipped, so that the template comes back with only the
// rows filled in that are known. Every other row is checked; the answer
// is either every figure or every bad cell, by the row number the user
// sees. A sheet without any figure answers no values and no errors (the
// caller answers ErrNothingToImport).
func (c *Catalog) ParseValueRows(rows [][]string, today time.Time) ([]Value, []routing.RowError) {
	if len(rows) == 0 {
		return nil, []routing.RowError{{Row: 1, Message: "文件为空，第 1 行应为表头"}}
	}
	if len(rows)-1 > routing.MaxImportRows {
		return nil, []routing.RowError{{Row: 0, Message: fmt.Sprintf("一次最多导入 %d 行", routing.MaxImportRows)}}
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for _, col := range importColumns {
			if strings.EqualFold(h, col.header) || containsFold(col.aliases, h) {
				idx[col.key] = i
			}
		}
	}
	var errs []routing.RowError
	for _, col := range importColumns {
		if _, ok := idx[col.key]; !ok && col.required {
			errs = append(errs, routing.RowError{Row: 1, Column: col.header, Message: "缺少必填列“" + col.header + "”"})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	get := func(row []string, key string) string {
		i, ok := idx[key]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var out []Value
	seen := map[valueKey]int{}
	for n, row := range rows[1:] {
		line := n + 2
		if blank(row) || get(row, "value") == "" && get(row, "cumulative") == "" && get(row, "yoy") == "" {
			continue
		}
		in := ValueInput{Indicator: get(row, "indicator"), Zone: get(row, "zone"), Period: get(row, "period")}
		rowBad := false
		for _, f := range []struct {
			key, header string
			dst         **float64
			required    bool
		}{{"value", "本期值", &in.Value, true}, {"cumulative", "年累计", &in.Cumulative, false}, {"yoy", "同比", &in.YoY, false}} {
			raw := get(row, f.key)
			if raw == "" {
				if f.required {
					errs = append(errs, routing.RowError{Row: line, Column: f.header, Message: "本期值不能为空"})
					rowBad = true
				}
				continue
			}
			v, err := ParseNumber(raw)
			if err != nil {
				errs = append(errs, routing.RowError{Row: line, Column: f.header, Message: fmt.Sprintf("%s“%s”不是数值", f.header, raw)})
				rowBad = true
				continue
			}
			*f.dst = &v
		}
		if rowBad {
			continue
		}
		v, fe := c.resolve(in, today)
		if fe != nil {
			errs = append(errs, routing.RowError{Row: line, Column: fe.column, Message: fe.err.Message})
			continue
		}
		k := valueKey{v.IndicatorID, v.ZoneID, v.Period}
		if first, dup := seen[k]; dup {
			errs = append(errs, routing.RowError{Row: line, Column: "指标代码", Message: fmt.Sprintf("与第 %d 行是同一指标、区域和期别", first)})
			continue
		}
		seen[k] = line
		out = append(out, v)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// ParseNumber reads a figure as people type it: 6.8, 6.8%, 1,234.5, －3.2.
func ParseNumber(s string) (float64, error) {
	s = strings.NewReplacer(",", "", "，", "", "%", "", "％", "", "－", "-", "＋", "+", " ", "").Replace(strings.TrimSpace(s))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(v) {
		return 0, fmt.Errorf("kpi: not a number: %q", s)
	}
	return v, nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
