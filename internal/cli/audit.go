package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/config"
	"github.com/yizhan/yizhan/internal/stats"
	"github.com/yizhan/yizhan/internal/store"
)

// The bounds of an audit without --from (with --case) or without --to.
const (
	auditStart = "1970-01-01T00:00:00Z"
	auditEnd   = "9999-12-31T00:00:00Z"
)

// maxShownFindings bounds the findings audit --verify prints per check;
// the rest are counted.
const maxShownFindings = 100

// auditCommand writes the action log (操作审计) of a period, or with
// --verify checks the store's consistency.
func auditCommand() *cobra.Command {
	var st config.Store
	var from, to, user, caseRef, format, out string
	var verify bool
	cmd := &cobra.Command{
		Use: "audit",
		Short: msg("导出一段时间的操作审计日志（JSON 行或 CSV）；--verify 检查数据库的一致性",
			"write the action log (操作审计) of a period as JSON lines or CSV; --verify checks the store's consistency"),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if verify {
				for _, name := range []string{"from", "to", "user", "case", "format", "out"} {
					if cmd.Flags().Changed(name) {
						return errorf("--verify 检查整个数据库，不能与 --%s 同用", "--verify checks the whole store and takes no --%s", name)
					}
				}
				m, err := openMaintenance(ctx, st)
				if err != nil {
					return err
				}
				defer m.Close()
				return runVerify(ctx, m, cmd.OutOrStdout())
			}
			if format != "jsonl" && format != "csv" {
				return errorf("--format 只能是 jsonl 或 csv，收到 %q", "--format must be jsonl or csv, got %q", format)
			}
			if from == "" && caseRef == "" {
				return errorf("缺少 --from（只给 --case 时导出该工单的全部记录）", "--from is required (with --case alone, the case's whole timeline)")
			}
			loc := config.ZoneLocation()
			var f store.AuditFilter
			var err error
			// Without --from, the --case's timeline from its start; without
			// --to, every event on.
			if f.From, f.To, err = reportPeriod(stats.KindSummary, cmp.Or(from, auditStart), cmp.Or(to, auditEnd), loc, time.Now()); err != nil {
				return err
			}
			if user != "" {
				id, err := strconv.ParseInt(user, 10, 64)
				if err != nil || id < 0 {
					return errorf("--user 应为账号编号（数字），收到 %q", "--user must be an account id (a number), got %q", user)
				}
				f.ActorID = &id
			}
			m, err := openMaintenance(ctx, st)
			if err != nil {
				return err
			}
			defer m.Close()
			if caseRef != "" {
				id, _, err := m.FindCase(ctx, caseRef)
				if errors.Is(err, casework.ErrCaseNotFound) {
					return errorf("--case %s：没有这件工单", "--case %s: no such case", caseRef)
				}
				if err != nil {
					return err
				}
				f.CaseID = &id
			}
			var n int64
			err = writeOut(out, cmd.OutOrStdout(), func(w io.Writer) error {
				enc := newAuditEncoder(w, format)
				n, err = m.Audit(ctx, f, enc.write)
				if err != nil {
					return err
				}
				return enc.flush()
			})
			if err != nil {
				return err
			}
			if out != "" && out != "-" {
				fmt.Fprintf(cmd.OutOrStdout(), msg("已将 %d 条记录写入 %s\n", "wrote %d events to %s\n"), n, out)
			}
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	cmd.Flags().StringVar(&from, "from", "", msg(
		"时段起点，YYYY-MM-DD 或 RFC 3339（含；未给 --case 时必填）",
		"start of the period, YYYY-MM-DD or RFC 3339 (inclusive; required unless --case)"))
	cmd.Flags().StringVar(&to, "to", "", msg(
		"时段终点，YYYY-MM-DD 或 RFC 3339（不含；默认不设终点）",
		"end of the period, YYYY-MM-DD or RFC 3339 (exclusive; default: no end)"))
	cmd.Flags().StringVar(&user, "user", "", msg("只导出此账号编号的操作", "only the actions of this account id"))
	cmd.Flags().StringVar(&caseRef, "case", "", msg("只导出此工单的操作（工单编号或 id）", "only the actions on this case (number or id)"))
	cmd.Flags().StringVar(&format, "format", "jsonl", msg("jsonl 或 csv", "jsonl or csv"))
	cmd.Flags().StringVar(&out, "out", "-", msg("写入的文件，- 为标准输出", "file to write, - for standard output"))
	cmd.Flags().BoolVar(&verify, "verify", false, msg(
		"改为检查数据库的一致性；发现任何问题即以退出码 1 结束",
		"check the store's consistency instead; exit 1 on any finding"))
	return cmd
}

// auditLine is one event of the action log as written.
type auditLine struct {
	Time       string `json:"time"`
	CaseID     int64  `json:"case_id"`
	CaseNumber string `json:"case_number"`
	Seq        int    `json:"seq"`
	Action     string `json:"action"`
	ActorID    int64  `json:"actor_id"`
	Actor      string `json:"actor"`
	ActorName  string `json:"actor_name"`
	UnitID     *int64 `json:"unit_id"`
	Note       string `json:"note"`
	Reason     string `json:"reason"`
}

// auditHeader is the CSV's first row, the JSON lines' keys in order.
var auditHeader = []string{"time", "case_id", "case_number", "seq", "action", "actor_id", "actor", "actor_name", "unit_id", "note", "reason"}

type auditEncoder struct {
	buf    *bufio.Writer
	json   *json.Encoder
	csv    *csv.Writer
	header bool
}

func newAuditEncoder(w io.Writer, format string) *auditEncoder {
	e := &auditEncoder{buf: bufio.NewWriterSize(w, 64<<10)}
	if format == "csv" {
		e.csv = csv.NewWriter(e.buf)
		return e
	}
	e.json = json.NewEncoder(e.buf)
	e.json.SetEscapeHTML(false)
	return e
}

func (e *auditEncoder) write(ev store.AuditEvent) error {
	l := auditLine{Time: ev.At.Format(time.RFC3339), CaseID: ev.CaseID, CaseNumber: ev.CaseNumber, Seq: ev.Seq,
		Action: ev.Action, ActorID: ev.ActorID, Actor: ev.Actor, ActorName: ev.ActorName, UnitID: ev.UnitID,
		Note: ev.Note, Reason: ev.Reason}
	if e.json != nil {
		return e.json.Encode(l)
	}
	if !e.header {
		e.header = true
		if err := e.csv.Write(auditHeader); err != nil {
			return err
		}
	}
	unit := ""
	if l.UnitID != nil {
		unit = strconv.FormatInt(*l.UnitID, 10)
	}
	return e.csv.Write([]string{l.Time, strconv.FormatInt(l.CaseID, 10), l.CaseNumber, strconv.Itoa(l.Seq), l.Action,
		strconv.FormatInt(l.ActorID, 10), l.Actor, l.ActorName, unit, l.Note, l.Reason})
}

func (e *auditEncoder) flush() error {
	if e.csv != nil {
		if !e.header {
			if err := e.csv.Write(auditHeader); err != nil {
				return err
			}
		}
		e.csv.Flush()
		if err := e.csv.Error(); err != nil {
			return err
		}
	}
	return e.buf.Flush()
}

// writeOut runs write on standard output (out "" or "-"), or on a
// temporary file beside out that takes out's name only once complete: an
// interrupted run leaves no half log behind.
func writeOut(out string, stdout io.Writer, write func(io.Writer) error) error {
	if out == "" || out == "-" {
		return write(stdout)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // gone once renamed
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), out)
}

// runVerify prints the findings as they come (up to maxShownFindings per
// check), then every check's result; any finding makes it an error.
func runVerify(ctx context.Context, m *store.Maintenance, w io.Writer) error {
	shown := map[string]int{}
	checks, err := m.Verify(ctx, func(f store.Finding) error {
		if shown[f.Check]++; shown[f.Check] <= maxShownFindings {
			_, err := fmt.Fprintf(w, msg("发现问题 %s：%s\n", "FINDING %s: %s\n"), f.Check, f.Detail)
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	var total int64
	for _, c := range checks {
		switch {
		case c.Skipped != "":
			fmt.Fprintf(w, msg("跳过     %-22s %s\n", "skipped  %-22s %s\n"), c.Name, c.Skipped)
		case c.Findings == 0:
			fmt.Fprintf(w, msg("通过     %-22s %s\n", "ok       %-22s %s\n"), c.Name, c.Title)
		default:
			more := ""
			if c.Findings > maxShownFindings {
				more = fmt.Sprintf(msg("（显示 %d 个）", " (%d shown)"), maxShownFindings)
			}
			fmt.Fprintf(w, msg("未通过   %-22s %s：%d 个问题%s\n", "FAILED   %-22s %s: %d findings%s\n"), c.Name, c.Title, c.Findings, more)
		}
		total += c.Findings
	}
	if total > 0 {
		return errorf("audit --verify：发现 %d 个问题", "audit --verify: %d findings", total)
	}
	fmt.Fprintf(w, msg("%d 项检查均未发现问题\n", "no findings in %d checks\n"), len(checks))
	return nil
}
