package stats

import (
	"fmt"
	"io"
	"maps"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxSheet writes rows one after another, keeping styles at hand.
type xlsxSheet struct {
	f      *excelize.File
	name   string
	row    int
	styles map[string]int
	err    error
}

func (x *xlsxSheet) cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func (x *xlsxSheet) set(col int, v any, style string) {
	if x.err != nil {
		return
	}
	c := x.cell(col, x.row)
	if x.err = x.f.SetCellValue(x.name, c, v); x.err == nil && style != "" {
		x.err = x.f.SetCellStyle(x.name, c, c, x.styles[style])
	}
}

// title writes a row merged across width columns.
func (x *xlsxSheet) title(text, style string, width int) {
	x.row++
	x.set(1, text, style)
	if x.err == nil {
		x.err = x.f.MergeCell(x.name, x.cell(1, x.row), x.cell(width, x.row))
	}
}

func (x *xlsxSheet) header(cols ...string) {
	x.row++
	for i, c := range cols {
		x.set(i+1, c, "header")
	}
}

// line writes a data row: strings as text, int64 as counts, float64 as
// one-decimal figures, nil as an empty cell.
func (x *xlsxSheet) line(vals ...any) {
	x.row++
	for i, v := range vals {
		switch t := v.(type) {
		case nil:
		case int64, int:
			x.set(i+1, t, "count")
		case float64:
			x.set(i+1, t, "decimal")
		case *float64:
			if t != nil {
				x.set(i+1, *t, "decimal")
			}
		default:
			x.set(i+1, t, "text")
		}
	}
}

func minutes(sec *float64) *float64 {
	if sec == nil {
		return nil
	}
	m := *sec / 60
	return &m
}

// newSheet prepares a sheet of f with the styles every report shares
// (title, header, count, decimal) and more, which may replace them.
func newSheet(f *excelize.File, sheet string, more map[string]*excelize.Style) (*xlsxSheet, error) {
	styles := map[string]*excelize.Style{
		"title": {Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center"}},
		"header": {Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border: borders(), Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}},
		"count":   {Border: borders(), NumFmt: 3}, // #,##0
		"decimal": {Border: borders(), CustomNumFmt: ptr("0.0")},
	}
	maps.Copy(styles, more)
	x := &xlsxSheet{f: f, name: sheet, styles: map[string]int{}}
	for name, st := range styles {
		id, err := f.NewStyle(st)
		if err != nil {
			return nil, err
		}
		x.styles[name] = id
	}
	return x, nil
}

// WriteXLSX writes the report as a workbook: the figures with Chinese
// headers, merged title rows and number formats; a sheet of charts; and a
// sheet that says how the figures are computed.
func WriteXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "汇总"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	x, err := newSheet(f, sheet, map[string]*excelize.Style{
		"sub":     {Font: &excelize.Font{Color: "666666"}, Alignment: &excelize.Alignment{Horizontal: "center"}},
		"section": {Font: &excelize.Font{Bold: true, Size: 12}},
		"text":    {Border: borders()},
	})
	if err != nil {
		return err
	}
	s := r.Summary
	const width = 8
	x.title(r.Org+r.Title, "title", width)
	x.title(fmt.Sprintf("统计期间：%s　　生成时间：%s", period(r.From, r.To), r.GeneratedAt.Format("2006-01-02 15:04")), "sub", width)

	x.row++
	x.title("一、纠纷总体情况", "section", width)
	x.header("纠纷类别", "数量（起）", "占比（%）", "占比（取整，%）")
	catStart := x.row + 1
	for _, c := range s.ByCategory {
		x.line(c.Label, c.Count, c.Percent, int64(c.PercentWhole))
	}
	catEnd := x.row
	x.line("合计", s.Total, 100.0, int64(100))
	x.row++
	x.header("指标", "数值")
	x.line("成功现场处置或带回处置（起）", s.Success)
	x.line("成功调处率（%）", s.SuccessRate)
	x.line("引导仲裁、诉讼等（起）", s.Referred)
	x.line("未化解（起）", s.Unresolved)
	x.line("正在处置（起）", s.Open)
	x.line("合并重复报警（起，不计入总数）", s.Merged)
	x.line("移交公安（起，不计入总数）", s.ReferredPolice)
	if r.Trend.TotalMoM != nil {
		x.line("总量环比（%）", *r.Trend.TotalMoM)
	}
	if r.Trend.TotalYoY != nil {
		x.line("总量同比（%）", *r.Trend.TotalYoY)
	}

	x.row++
	x.title("二、“12510”各环节时限执行情况", "section", width)
	x.header("环节", "件数", "按时", "超时", "按时率（%）", "用时中位数（分钟）", "90%用时（分钟）")
	stStart := x.row + 1
	for _, st := range r.Stages {
		x.line(st.Label, st.Count, st.OnTime, st.Breached, st.OnTimeRate, minutes(st.MedianSeconds), minutes(st.P90Seconds))
	}
	stEnd := x.row

	breakdown := func(title, keyHeader string, rows []Row, returns bool) {
		x.row++
		x.title(title, "section", width+3)
		cols := []string{keyHeader, "报警数", "纠纷数", "成功调处", "成功调处率（%）", "重复报警率（%）", "重复纠纷率（%）", "移交公安", "回访率（%）", "满意率（%）"}
		if returns {
			cols = append(cols, "退单次数")
		}
		x.header(cols...)
		for _, row := range rows {
			vals := []any{row.Label, row.Reports, row.Total, row.Success, row.SuccessRate, row.RepeatReportRate, row.RepeatDisputeRate,
				row.ReferredPolice, row.FollowUpRate, row.SatisfactionRate}
			if returns {
				vals = append(vals, row.Returns)
			}
			x.line(vals...)
		}
	}
	breakdown("三、按纠纷类型", "纠纷类型", r.ByType, false)
	breakdown("四、按来源渠道", "来源渠道", r.ByChannel, false)
	breakdown("五、按承办单位（含退单）", "承办单位", r.ByUnit, true)
	if x.err != nil {
		return x.err
	}
	_ = f.SetColWidth(sheet, "A", "A", 30)
	_ = f.SetColWidth(sheet, "B", "K", 14)

	if err := charts(f, sheet, catStart, catEnd, stStart, stEnd); err != nil {
		return err
	}
	if err := notes(f, r); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

func charts(f *excelize.File, data string, catStart, catEnd, stStart, stEnd int) error {
	const sheet = "图表"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	ref := func(col string, a, b int) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", data, col, a, col, b) }
	if err := f.AddChart(sheet, "A1", &excelize.Chart{
		Type:     excelize.Pie,
		Series:   []excelize.ChartSeries{{Name: "纠纷类别", Categories: ref("A", catStart, catEnd), Values: ref("B", catStart, catEnd)}},
		Title:    excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "纠纷类别构成"}}},
		PlotArea: excelize.ChartPlotArea{ShowPercent: true, ShowCatName: true},
	}); err != nil {
		return err
	}
	if stEnd >= stStart {
		if err := f.AddChart(sheet, "J1", &excelize.Chart{
			Type:   excelize.Col,
			Series: []excelize.ChartSeries{{Name: "按时率（%）", Categories: ref("A", stStart, stEnd), Values: ref("E", stStart, stEnd)}},
			Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "“12510”各环节按时率"}}},
		}); err != nil {
			return err
		}
	}
	return nil
}

func notes(f *excelize.File, r *Report) error {
	const sheet = "说明"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	// Each row is a label and its text; a pair per row, so that a line
	// without its label cannot shift the rest.
	rows := [][2]string{
		{"计算口径", Method},
		{"指标口径", "成功调处率 = 成功调处数 ÷ 纠纷总数；重复报警率 = 合并的重复报警 ÷ 全部报警；重复纠纷率 = 关联为重复纠纷的 ÷ 纠纷总数；回访率 = 已办结（已回访）÷ 已处置；满意率 = 评价 4–5 分的 ÷ 已评价。"},
		{"环比与同比", r.Trend.ComparedPeriods},
		{"报告文字", r.Text},
		{"生成时间", r.GeneratedAt.Format(time.RFC3339)},
	}
	for i, row := range rows {
		_ = f.SetCellValue(sheet, fmt.Sprintf("A%d", i+1), row[0])
		_ = f.SetCellValue(sheet, fmt.Sprintf("B%d", i+1), row[1])
	}
	_ = f.SetColWidth(sheet, "A", "A", 14)
	_ = f.SetColWidth(sheet, "B", "B", 120)
	return nil
}

func borders() []excelize.Border {
	var out []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: side, Color: "BFBFBF", Style: 1})
	}
	return out
}

func ptr[T any](v T) *T { return &v }
