package stats

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yizhan/yizhan/internal/problemlist"
)

// problemListHeaders are the columns of the problem list as the zone's
// forms write them.
var problemListHeaders = []string{"序号", "工单编号", "企业名称", "反映人", "问题内容", "来源", "现场办公日", "主办单位", "协办单位",
	"办理时限", "办理状态", "办理进展", "企业满意度", "闭环情况", "是否逾期"}

// NoEnterprise fills 企业名称 for a demand that names no enterprise: the
// reporter is a person and has a column of their own (反映人).
const NoEnterprise = "（未关联企业）"

// The columns (from 1) that are marked in red.
var (
	stateColumn = slices.Index(problemListHeaders, "办理状态") + 1
	loopColumn  = slices.Index(problemListHeaders, "闭环情况") + 1
)

// ProblemListTitle is the title row of the problem list as of a day.
func ProblemListTitle(asOf time.Time) string {
	return fmt.Sprintf("企业问题清单（截至 %d年%d月%d日）", asOf.Year(), int(asOf.Month()), asOf.Day())
}

// WriteProblemListXLSX writes the problem list (问题清单) as a workbook:
// a merged title row, Chinese headers, a row per item, and the counts by
// state (已办结, 办理中, 逾期) and by loop (已销号, 待回访) at the bottom.
func WriteProblemListXLSX(w io.Writer, items []problemlist.Item, asOf time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "问题清单"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	x, err := newSheet(f, sheet, map[string]*excelize.Style{
		"text": {Border: borders(), Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		"flag": {Border: borders(), Font: &excelize.Font{Bold: true, Color: "C00000"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
	})
	if err != nil {
		return err
	}
	width := len(problemListHeaders)
	x.title(ProblemListTitle(asOf), "title", width)
	x.header(problemListHeaders...)
	for i, it := range items {
		x.line(i+1, it.Number, enterpriseName(it), it.Reporter, it.Problem, it.ChannelLabel, dateOrEmpty(it), refName(it.LeadUnit, "（待派单）"),
			coUnits(it), timeOrEmpty(it.Deadline), it.StateLabel, progress(it), satisfaction(it), loopText(it), yesNo(it.Overdue))
		if it.ClosedWithoutFollowUp {
			x.set(loopColumn, loopText(it), "flag")
		}
		if it.State == problemlist.StateOverdue {
			x.set(stateColumn, it.StateLabel, "flag")
		}
	}
	n := problemlist.Count(items)
	x.row++
	for _, c := range []struct {
		label string
		n     int
	}{{"合计", n.Total}, {"已办结", n.Done}, {"办理中", n.InProgress}, {"逾期", n.Overdue}, {"其中已销号", n.Closed}, {"待回访", n.AwaitingFollowUp}} {
		x.line(c.label, c.n)
	}
	if x.err != nil {
		return x.err
	}
	for col, wd := range map[string]float64{"A": 10, "B": 18, "C": 22, "D": 12, "E": 40, "F": 12, "G": 12, "H": 20, "I": 24,
		"J": 17, "K": 10, "L": 36, "M": 11, "N": 12, "O": 9} {
		_ = f.SetColWidth(sheet, col, col, wd)
	}
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	return f.Write(w)
}

func enterpriseName(it problemlist.Item) string {
	if it.Enterprise != nil && it.Enterprise.Name != "" {
		return it.Enterprise.Name
	}
	return NoEnterprise
}

func refName(r *problemlist.Ref, none string) string {
	if r == nil {
		return none
	}
	return r.Name
}

func coUnits(it problemlist.Item) string {
	names := make([]string, len(it.CoUnits))
	for i, u := range it.CoUnits {
		names[i] = u.Name
	}
	return strings.Join(names, "、")
}

func dateOrEmpty(it problemlist.Item) string {
	if it.OfficeDay == nil {
		return ""
	}
	return it.OfficeDay.String()
}

func timeOrEmpty(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02 15:04")
}

func progress(it problemlist.Item) string {
	if it.Progress == nil {
		return ""
	}
	return it.Progress.At.Format("01-02 15:04") + " " + it.Progress.Text
}

func satisfaction(it problemlist.Item) string {
	if it.Satisfaction == nil {
		return "未回访"
	}
	return fmt.Sprintf("%d 分", *it.Satisfaction)
}

func loopText(it problemlist.Item) string {
	if it.ClosedWithoutFollowUp {
		return "待回访（办结未获企业反馈）"
	}
	return it.LoopLabel
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
