package kpi

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// OneTable is the one-table report (一表清): every indicator of a ranking
// on one sheet, grouped by dimension.
type OneTable struct {
	Ranking Ranking
	// UnitName names the responsible departments (nil leaves them blank).
	UnitName func(int64) string
	// Generated is when the report was made, printed under the title.
	Generated time.Time
}

// Title is the report's title line.
func (t OneTable) Title() string {
	return fmt.Sprintf("%s高质量发展指标一表清（%s）", t.Ranking.Zone.Name, t.Ranking.Label)
}

// Subtitle carries the time schedules, the counts and when it was made.
func (t OneTable) Subtitle() string {
	s := t.Ranking.Summary
	sched := t.schedules()
	if sched != "" {
		sched += "；"
	}
	return fmt.Sprintf("%s参与比拼区域 %d 个；已报送 %d 项/%d 项；优势指标 %d 项、一般指标 %d 项、薄弱指标 %d 项，落后时序进度或目标 %d 项；生成于 %s",
		sched, len(t.Ranking.Zones), s.Reported, s.Indicators, s.Advantage, s.General, s.Weak, s.BehindSchedule, t.Generated.Format("2006-01-02 15:04"))
}

// schedules names the time schedules the rows were judged against: each
// total's data period's, which in a week's report is its month's, not
// the week's. Empty when no row has one.
func (t OneTable) schedules() string {
	var periods []Period
	seen := map[string]float64{}
	for _, r := range t.Ranking.Items {
		if r.Schedule == nil {
			continue
		}
		if _, ok := seen[r.DataPeriod]; ok {
			continue
		}
		p, err := ParsePeriod(r.DataPeriod)
		if err != nil {
			continue
		}
		seen[r.DataPeriod] = *r.Schedule
		periods = append(periods, p)
	}
	slices.SortFunc(periods, func(a, b Period) int { return cmp.Compare(a.EndKey(), b.EndKey()) })
	parts := make([]string, len(periods))
	for i, p := range periods {
		parts[i] = fmt.Sprintf("%s末 %s%%", p.Label(), fmtNum(seen[p.String()]))
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("时序进度 %s（累计指标按数据期）", parts[0])
	}
	return "时序进度（累计指标按数据期）：" + strings.Join(parts, "、")
}

// Status is a row's lagging note: empty when nothing lags.
func Status(r Row) string {
	var parts []string
	for _, f := range r.Flags {
		switch f {
		case FlagNotReported:
			parts = append(parts, "未报送")
		case FlagWeak:
			parts = append(parts, "薄弱指标")
		case FlagBehindSchedule:
			if r.Indicator.Aggregation == Sum {
				parts = append(parts, "落后时序进度")
			} else {
				parts = append(parts, "未达目标")
			}
		}
	}
	return strings.Join(parts, "；")
}

// Headers are the report's columns; the other zones' figures sit between
// 较上期 and 责任单位.
func (t OneTable) Headers() []string {
	h := []string{"序号", "维度", "指标代码", "指标名称", "单位", "方向", "年度目标", "数据期", "本期值", "年累计", "同比(%)",
		"完成进度(%)", "全市排名", "档次", "较上期"}
	for _, z := range t.others() {
		h = append(h, z.Name)
	}
	return append(h, "责任单位", "预警")
}

func (t OneTable) others() []Zone {
	var out []Zone
	for _, z := range t.Ranking.Zones {
		if z.ID != t.Ranking.Zone.ID {
			out = append(out, z)
		}
	}
	return out
}

// Cells are one row's cells: numbers as float64 or int, absent figures as
// nil, text as string.
func (t OneTable) Cells(i int, r Row) []any {
	ind := r.Indicator
	c := []any{i + 1, ind.Group, ind.Code, ind.Name, ind.Measure, ind.Direction.Label(), fptr(ind.Target), r.DataPeriod,
		fptr(r.PeriodValue), fptr(r.Cumulative), fptr(r.YoY), fptr(r.Progress)}
	if r.Rank != nil {
		c = append(c, fmt.Sprintf("%d/%d", *r.Rank, r.Ranked))
	} else {
		c = append(c, nil)
	}
	c = append(c, TierLabel(r.Tier), rankMove(r))
	for _, z := range t.others() {
		var v any
		for _, f := range r.Zones {
			if f.ZoneID == z.ID && f.Value != nil {
				v = *f.Value
			}
		}
		c = append(c, v)
	}
	unit := ""
	if ind.UnitID != nil && t.UnitName != nil {
		unit = t.UnitName(*ind.UnitID)
	}
	return append(c, unit, Status(r))
}

// rankMove tells the rank's move since the previous period: ↑2, ↓1, 持平.
func rankMove(r Row) string {
	switch {
	case r.RankChange == nil:
		return ""
	case *r.RankChange > 0:
		return fmt.Sprintf("↑%d", *r.RankChange)
	case *r.RankChange < 0:
		return fmt.Sprintf("↓%d", -*r.RankChange)
	}
	return "持平"
}

func fptr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// numFormat is how a figure is shown: at least min decimals, more when
// the figure has them (up to maxDecimals), so that a shown figure never
// contradicts a flag worked out on the true one (3.17 short of a target
// of 3.2 shows 3.17, not 3.2).
type numFormat struct {
	min     int
	grouped bool // thousands separators
}

// maxDecimals bounds the decimals shown; figures are ranked to four.
const maxDecimals = 6

// percentFormat shows 同比 and 完成进度.
var percentFormat = numFormat{min: 1}

// measureFormat is the format of an indicator's figures: whole numbers for
// counts, one decimal for percentages, two otherwise, each at least.
func measureFormat(measure string) numFormat {
	switch measure {
	case "户", "家", "个", "件", "起", "人", "项", "次", "人次":
		return numFormat{min: 0, grouped: true}
	case "%", "‰":
		return numFormat{min: 1}
	}
	return numFormat{min: 2, grouped: true}
}

// decimals is how many decimals show v.
func (nf numFormat) decimals(v float64) int {
	s := strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
	d := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		d = len(s) - i - 1
	}
	return min(max(d, nf.min), maxDecimals)
}

// excel is the cell's number format for v.
func (nf numFormat) excel(v float64) string {
	f := "0"
	if nf.grouped {
		f = "#,##0"
	}
	if d := nf.decimals(v); d > 0 {
		f += "." + strings.Repeat("0", d)
	}
	return f
}

// text is v as the print view shows it.
func (nf numFormat) text(v float64) string {
	return strconv.FormatFloat(v, 'f', nf.decimals(v), 64)
}

// WriteXLSX writes the report as a one-sheet workbook: a merged title,
// a subtitle, Chinese headers, the dimension merged down its rows, number
// formats per column and a conditional fill on the lagging rows.
func (t OneTable) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "一表清"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	headers := t.Headers()
	width := len(headers)
	last := col(width)
	st, err := newSheetStyles(f)
	if err != nil {
		return err
	}
	x := &sheetWriter{f: f, sheet: sheet}
	x.set("A1", t.Title(), st.title)
	x.merge("A1", last+"1")
	x.set("A2", t.Subtitle(), st.subtitle)
	x.merge("A2", last+"2")
	x.rowHeight(1, 30)
	for i, h := range headers {
		x.set(cell(i+1, 3), h, st.header)
	}
	x.rowHeight(3, 32)
	nOthers := len(t.others())
	const first = 4
	groupStart, group := first, ""
	for i, r := range t.Ranking.Items {
		row := first + i
		for j, v := range t.Cells(i, r) {
			c := j + 1
			style := st.text
			fv, _ := v.(float64) // zero for text and absent cells, which take no number format
			switch {
			case c == 1 || c == 3 || c == 5 || c == 6 || c == 8 || c == 13 || c == 14 || c == 15:
				style = st.center
			case c == 7 || c == 9 || c == 10 || (c > 15 && c <= 15+nOthers):
				style = st.number(measureFormat(r.Indicator.Measure).excel(fv))
			case c == 11 || c == 12:
				style = st.number(percentFormat.excel(fv))
			}
			x.set(cell(c, row), v, style)
		}
		if r.Indicator.Group != group {
			x.mergeGroup(groupStart, row-1)
			groupStart, group = row, r.Indicator.Group
		}
	}
	end := first + len(t.Ranking.Items) - 1
	x.mergeGroup(groupStart, end)
	if end >= first {
		// The fill follows the 预警 column, so that a row edited in Excel
		// keeps its highlight right.
		x.condition(fmt.Sprintf("A%d:%s%d", first, last, end), fmt.Sprintf("LEN($%s%d)>0", last, first), st.lagging)
	}
	widths := map[int]float64{1: 5, 2: 9, 3: 8, 4: 30, 5: 9, 6: 9, 7: 10, 8: 10, 9: 11, 10: 11, 11: 9, 12: 10, 13: 9, 14: 6, 15: 7}
	for c := 1; c <= width; c++ {
		w, ok := widths[c]
		switch {
		case ok:
		case c == width:
			w = 22
		case c == width-1:
			w = 18
		default:
			w = 12
		}
		x.colWidth(c, w)
	}
	x.do(func() error {
		return f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 4, YSplit: 3, TopLeftCell: "E4", ActivePane: "bottomRight"})
	})
	landscape, a3, one, zero := "landscape", 8, 1, 0
	x.do(func() error {
		return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, Size: &a3, FitToWidth: &one, FitToHeight: &zero})
	})
	x.do(func() error {
		return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet, RefersTo: "'" + sheet + "'!$1:$3"})
	})
	if x.err != nil {
		return fmt.Errorf("kpi: one-table report: %w", x.err)
	}
	return f.Write(w)
}

type sheetStyles struct {
	f                                              *excelize.File
	title, subtitle, header, text, center, lagging int
	numbers                                        map[string]int
}

func newSheetStyles(f *excelize.File) (*sheetStyles, error) {
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	font := &excelize.Font{Family: "宋体", Size: 10}
	s := &sheetStyles{f: f, numbers: map[string]int{}}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 16, Bold: true},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.subtitle = mk(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10, Color: "555555"}, Alignment: &excelize.Alignment{Horizontal: "left"}})
	s.header = mk(&excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 10, Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.text = mk(&excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	s.center = mk(&excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	s.lagging, err = f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "9C0006"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}})
	return s, err
}

// number answers the style of a number format, made on first use.
func (s *sheetStyles) number(format string) int {
	if id, ok := s.numbers[format]; ok {
		return id
	}
	id, err := s.f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10}, CustomNumFmt: &format,
		Border: []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
			{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}},
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	if err != nil {
		return s.text
	}
	s.numbers[format] = id
	return id
}

// sheetWriter keeps the first error, so the layout reads straight.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (x *sheetWriter) do(fn func() error) {
	if x.err == nil {
		x.err = fn()
	}
}

func (x *sheetWriter) set(ref string, v any, style int) {
	x.do(func() error {
		if v != nil {
			if err := x.f.SetCellValue(x.sheet, ref, v); err != nil {
				return err
			}
		}
		return x.f.SetCellStyle(x.sheet, ref, ref, style)
	})
}

func (x *sheetWriter) merge(a, b string) { x.do(func() error { return x.f.MergeCell(x.sheet, a, b) }) }

// mergeGroup merges the 维度 cells of one group's rows.
func (x *sheetWriter) mergeGroup(from, to int) {
	if to > from {
		x.merge(cell(2, from), cell(2, to))
	}
}

func (x *sheetWriter) rowHeight(row int, h float64) {
	x.do(func() error { return x.f.SetRowHeight(x.sheet, row, h) })
}

func (x *sheetWriter) colWidth(c int, w float64) {
	x.do(func() error { return x.f.SetColWidth(x.sheet, col(c), col(c), w) })
}

func (x *sheetWriter) condition(ref, formula string, style int) {
	x.do(func() error {
		return x.f.SetConditionalFormat(x.sheet, ref, []excelize.ConditionalFormatOptions{{Type: "formula", Criteria: formula, Format: &style}})
	})
}

func col(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

func cell(c, r int) string {
	s, _ := excelize.CoordinatesToCellName(c, r)
	return s
}
