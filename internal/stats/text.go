package stats

import (
	"fmt"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Text writes a report as the zone writes its briefings: whole sentences,
// whole percentages that add up to 100, the success rate to one decimal.
func Text(r *Report) string {
	var b strings.Builder
	s := r.Summary
	fmt.Fprintf(&b, "%s%s\n\n", r.Org, r.Title)
	fmt.Fprintf(&b, "%s，%s实际流转纠纷共%d起。", period(r.From, r.To), r.Org, s.Total)
	if s.Total > 0 {
		var parts []string
		for _, c := range s.ByCategory {
			parts = append(parts, fmt.Sprintf("%s%d起，占%d%%", c.Label, c.Count, c.PercentWhole))
		}
		fmt.Fprintf(&b, "其中，%s。", strings.Join(parts, "；"))
		fmt.Fprintf(&b, "成功现场处置或带回处置纠纷%d起，成功调处率达%s%%。", s.Success, one(s.SuccessRate))
	}
	var rest []string
	if s.Referred > 0 {
		rest = append(rest, fmt.Sprintf("引导仲裁、诉讼等%d起", s.Referred))
	}
	if s.Unresolved > 0 {
		rest = append(rest, fmt.Sprintf("未化解%d起", s.Unresolved))
	}
	if s.Open > 0 {
		rest = append(rest, fmt.Sprintf("正在处置%d起", s.Open))
	}
	if len(rest) > 0 {
		fmt.Fprintf(&b, "另有%s。", strings.Join(rest, "，"))
	}
	if s.Merged > 0 || s.ReferredPolice > 0 {
		fmt.Fprintf(&b, "期间合并重复报警%d起，移交公安治安类警情%d起，均未计入纠纷总数。", s.Merged, s.ReferredPolice)
	}
	b.WriteString("\n")

	if t := r.Trend; t.TotalMoM != nil || t.TotalYoY != nil {
		b.WriteString("\n")
		var parts []string
		if t.TotalMoM != nil {
			parts = append(parts, "环比"+change(*t.TotalMoM))
		}
		if t.TotalYoY != nil {
			parts = append(parts, "同比"+change(*t.TotalYoY))
		}
		fmt.Fprintf(&b, "纠纷总量%s。", strings.Join(parts, "，"))
		if t.SuccessRateMoM != nil {
			fmt.Fprintf(&b, "成功调处率较上期%s。", pointsText(*t.SuccessRateMoM))
		}
		b.WriteString("\n")
	}

	if len(r.Stages) > 0 {
		b.WriteString("\n“12510”工作机制执行情况：")
		var parts []string
		for _, st := range r.Stages {
			if st.Count == 0 {
				continue
			}
			p := fmt.Sprintf("%s环节%d件，按时%d件，按时率%s%%", st.Label, st.Count, st.OnTime, one(st.OnTimeRate))
			if st.MedianSeconds != nil {
				p += "，用时中位数" + duration(*st.MedianSeconds)
			}
			parts = append(parts, p)
		}
		b.WriteString(strings.Join(parts, "；") + "。\n")
	}

	var returns []string
	for _, u := range r.ByUnit {
		if u.Returns > 0 {
			returns = append(returns, fmt.Sprintf("%s%d次", u.Label, u.Returns))
		}
	}
	if len(returns) > 0 {
		fmt.Fprintf(&b, "\n退单情况：%s。\n", strings.Join(returns, "，"))
	}
	if len(r.Duty) > 0 {
		var parts []string
		for _, d := range r.Duty {
			role := ""
			if d.Leader {
				role = "（带班领导）"
			}
			parts = append(parts, d.Unit+role+"："+strings.Join(d.People, "、"))
		}
		fmt.Fprintf(&b, "\n值班人员：%s。\n", strings.Join(parts, "；"))
	}
	if len(r.Notable) > 0 {
		b.WriteString("\n需关注的工单：\n")
		for _, c := range r.Notable {
			fmt.Fprintf(&b, "%s（%s，%s）：%s\n", c.Number, casework.TypeLabel(c.Type), c.Status.Label(), clip(c.Text, 60))
		}
	}
	return b.String()
}

// period writes a period as the zone does: 2026年1月1日至2026年10月31日.
func period(from, to time.Time) string {
	last := to.Add(-time.Nanosecond)
	if from.Year() == last.Year() && from.YearDay() == last.YearDay() {
		return chineseDate(from)
	}
	return chineseDate(from) + "至" + chineseDate(last)
}

func chineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func one(f float64) string { return fmt.Sprintf("%.1f", f) }

func change(p float64) string {
	switch {
	case p > 0:
		return "上升" + one(p) + "%"
	case p < 0:
		return "下降" + one(-p) + "%"
	}
	return "持平"
}

func pointsText(p float64) string {
	switch {
	case p > 0:
		return "提高" + one(p) + "个百分点"
	case p < 0:
		return "降低" + one(-p) + "个百分点"
	}
	return "持平"
}

func duration(sec float64) string {
	switch {
	case sec < 60:
		return fmt.Sprintf("%.0f秒", sec)
	case sec < 3600:
		return fmt.Sprintf("%.1f分钟", sec/60)
	case sec < 86400:
		return fmt.Sprintf("%.1f小时", sec/3600)
	}
	return fmt.Sprintf("%.1f天", sec/86400)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "……"
}
