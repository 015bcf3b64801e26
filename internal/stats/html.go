package stats

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/yizhan/yizhan/internal/casework"
)

//go:embed report.html
var reportHTML string

type section struct {
	Head    string
	Rows    []Row
	Returns bool
}

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"period": period,
	"one":    one,
	"pct": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf("%+.1f%%", *p)
	},
	"dur": func(sec *float64) string {
		if sec == nil {
			return "—"
		}
		return duration(*sec)
	},
	"section":   func(head string, rows []Row, returns bool) section { return section{head, rows, returns} },
	"join":      strings.Join,
	"typeLabel": casework.TypeLabel,
	"method":    func() string { return Method },
}).Parse(reportHTML))

// WriteHTML writes the report as a printable page.
func WriteHTML(w io.Writer, r *Report) error {
	return htmlReport.Execute(w, r)
}
