package kpi

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
)

//go:embed onetable.html
var oneTableHTML string

var oneTablePage = template.Must(template.New("onetable").Parse(oneTableHTML))

type htmlCell struct {
	Text   string
	Class  string
	Span   int  // the group cell's rowspan, on the group's first row
	Hidden bool // the group cell under a rowspan
}

type htmlRow struct {
	Lagging bool
	Cells   []htmlCell
}

// WriteHTML writes the report as a printable page (A3 landscape), laid out
// as the workbook is.
func (t OneTable) WriteHTML(w io.Writer) error {
	var rows []htmlRow
	span := map[int]int{} // first row of a group → its length
	start := 0
	for i, r := range t.Ranking.Items {
		if i > 0 && r.Indicator.Group != t.Ranking.Items[i-1].Indicator.Group {
			start = i
		}
		span[start]++
	}
	for i, r := range t.Ranking.Items {
		hr := htmlRow{Lagging: r.Lagging()}
		for j, v := range t.Cells(i, r) {
			format := measureFormat(r.Indicator.Measure)
			if j == 10 || j == 11 { // 同比 and 完成进度 are percentages
				format = percentFormat
			}
			c := htmlCell{Text: cellText(v, format)}
			switch v.(type) {
			case float64, int:
				c.Class = "n"
			}
			if j == 0 || j == 12 || j == 13 || j == 14 {
				c.Class = "c"
			}
			if j == 1 {
				if n, ok := span[i]; ok {
					c.Span = n
				} else {
					c.Hidden = true
				}
			}
			hr.Cells = append(hr.Cells, c)
		}
		rows = append(rows, hr)
	}
	return oneTablePage.Execute(w, map[string]any{"Title": t.Title(), "Subtitle": t.Subtitle(), "Headers": t.Headers(), "Rows": rows})
}

func cellText(v any, format numFormat) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case int:
		return strconv.Itoa(t)
	case float64:
		return format.text(t)
	}
	return ""
}
