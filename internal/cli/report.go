package cli

import (
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/config"
	"github.com/yizhan/yizhan/internal/stats"
)

// reportCommand writes a report from the store, which a running server
// may be using at the same time.
func reportCommand() *cobra.Command {
	var st config.Store
	var from, to, format, line, kind, out, org string
	cmd := &cobra.Command{
		Use: "report",
		Short: msg("生成汇总报表或值班日报、周报、月报（xlsx、html 或文本）",
			"write the summary, daily, weekly or monthly report (xlsx, html or text)"),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc := config.ZoneLocation()
			req := stats.Request{Kind: kind, Line: line, Org: org}
			if line == "all" {
				req.Line = ""
			} else if !casework.Line(line).Valid() {
				return errorf("--line 只能是 incident、enterprise、worker 或 all，收到 %q", "--line must be incident, enterprise, worker or all, got %q", line)
			}
			switch kind {
			case stats.KindSummary, stats.KindDaily, stats.KindWeekly, stats.KindMonthly:
			default:
				return errorf("--kind 只能是 summary、daily、weekly 或 monthly，收到 %q", "--kind must be summary, daily, weekly or monthly, got %q", kind)
			}
			switch format {
			case "xlsx", "html", "text":
			default:
				return errorf("--format 只能是 xlsx、html 或 text，收到 %q", "--format must be xlsx, html or text, got %q", format)
			}
			var err error
			now := time.Now()
			if req.From, req.To, err = reportPeriod(kind, from, to, loc, now); err == nil {
				err = stats.CheckPeriod(kind, req.From, req.To, now)
			}
			if err != nil {
				return err
			}
			s, err := openStore(cmd.Context(), st, stderrLogger(), loc)
			if err != nil {
				return err
			}
			defer s.Close()
			rep, err := stats.Build(cmd.Context(), s, req, time.Now().In(loc))
			if err != nil {
				return err
			}
			var w io.Writer = cmd.OutOrStdout()
			if out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			switch format {
			case "xlsx":
				return stats.WriteXLSX(w, rep)
			case "html":
				return stats.WriteHTML(w, rep)
			}
			_, err = io.WriteString(w, rep.Text)
			return err
		},
	}
	config.BindStore(cmd.Flags(), &st)
	cmd.Flags().StringVar(&from, "from", "", msg("时段起点，YYYY-MM-DD 或 RFC 3339（含）", "start of the period, YYYY-MM-DD or RFC 3339 (inclusive)"))
	cmd.Flags().StringVar(&to, "to", "", msg("时段终点，YYYY-MM-DD 或 RFC 3339（不含）", "end of the period, YYYY-MM-DD or RFC 3339 (exclusive)"))
	cmd.Flags().StringVar(&format, "format", "text", msg("xlsx、html 或 text", "xlsx, html or text"))
	cmd.Flags().StringVar(&line, "line", "incident", msg(
		"incident（非警务警情）、enterprise（企业诉求）、worker（职工诉求）或 all（全部）",
		"incident, enterprise, worker or all"))
	cmd.Flags().StringVar(&kind, "kind", stats.KindSummary, msg(
		"summary（汇总）、daily（值班日报）、weekly（周报）或 monthly（月报）",
		"summary, daily (值班日报), weekly or monthly"))
	cmd.Flags().StringVar(&out, "out", "-", msg("写入的文件，- 为标准输出", "file to write, - for standard output"))
	cmd.Flags().StringVar(&org, "org", "", msg(
		"报表中的平台名称（默认“开发区综合指挥平台”）",
		"name of the platform in the report (default 开发区综合指挥平台)"))
	return cmd
}

// reportPeriod works out [from, to): given dates, or the day, week or
// month of a daily, weekly or monthly report that holds --from (default
// today).
func reportPeriod(kind, from, to string, loc *time.Location, now time.Time) (time.Time, time.Time, error) {
	parse := func(name, v string) (time.Time, error) {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t.In(loc), nil
		}
		t, err := time.ParseInLocation("2006-01-02", v, loc)
		if err != nil {
			return t, errorf("--%s 应为 YYYY-MM-DD 或 RFC 3339，收到 %q", "--%s must be YYYY-MM-DD or RFC 3339, got %q", name, v)
		}
		return t, nil
	}
	day := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
	start := day
	if from != "" {
		t, err := parse("from", from)
		if err != nil {
			return t, t, err
		}
		start = t
	}
	var end time.Time
	switch kind {
	case stats.KindDaily, stats.KindWeekly, stats.KindMonthly:
		start, end = stats.PeriodOf(kind, start, loc)
	default:
		if from == "" {
			start = time.Date(day.Year(), 1, 1, 0, 0, 0, 0, loc)
		}
		end = now.In(loc)
	}
	if to != "" {
		if kind != stats.KindSummary {
			// As the API: a day's, week's or month's report is of its own
			// period; --to would retitle another.
			return start, end, errorf("日报、周报、月报的期间是 --from 所在的日、周、月，不接受 --to；任意期间请用 --kind summary",
				"a daily, weekly or monthly report is of the day, week or month holding --from and takes no --to; any other period is --kind summary")
		}
		t, err := parse("to", to)
		if err != nil {
			return t, t, err
		}
		end = t
	}
	if start.After(end) {
		return start, end, errorf("--from 不能晚于 --to", "--from must not be after --to")
	}
	return start, end, nil
}
