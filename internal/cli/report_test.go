package cli

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yizhan/yizhan/internal/config"
	"github.com/yizhan/yizhan/internal/demo"
	"github.com/yizhan/yizhan/internal/store"
)

// TestReportOfTheDemoPeriod: the text report of the demo's period writes
// the zone's bulletin with the corrected figures.
func TestReportOfTheDemoPeriod(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	loc := config.ZoneLocation()
	st, err := store.Open(context.Background(), store.Options{DataDir: dir, Location: loc, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadIfEmpty(context.Background(), st, loc, time.Date(2026, 11, 27, 10, 0, 0, 0, loc), nil); err != nil {
		t.Fatal(err)
	}
	st.Close()
	var out bytes.Buffer
	if code := Execute(context.Background(), []string{"report", "--data", dir, "--from", "2026-01-01", "--to", "2026-11-01"}, nil, &out, &out); code != 0 {
		t.Fatalf("report: %s", out.String())
	}
	want := "2026年1月1日至2026年10月31日，开发区综合指挥平台实际流转纠纷共174起。其中，民事纠纷81起，占46%；劳资纠纷69起，占40%；合同纠纷10起，占6%；其他纠纷14起，占8%。成功现场处置或带回处置纠纷169起，成功调处率达97.1%。"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("report text:\n%s", out.String())
	}
	file := filepath.Join(dir, "r.xlsx")
	out.Reset()
	if code := Execute(context.Background(), []string{"report", "--data", dir, "--from", "2026-01-01", "--to", "2026-11-01", "--format", "xlsx", "--out", file}, nil, &out, &out); code != 0 {
		t.Fatalf("xlsx report: %s", out.String())
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, _ := f.GetCellValue("汇总", "B10")
	if total != "174" {
		t.Fatalf("total cell %q", total)
	}
	for _, args := range [][]string{
		{"report", "--data", dir, "--format", "pdf"},
		{"report", "--data", dir, "--from", "2026-12-01", "--to", "2026-11-01"},
		{"report", "--data", dir, "--from", "someday"},
		{"report", "--data", dir, "--kind", "yearly"},
	} {
		out.Reset()
		if code := Execute(context.Background(), args, nil, &out, &out); code == 0 {
			t.Errorf("%v accepted", args)
		}
	}
	// The API's period rules, with its words.
	for args, want := range map[string]string{
		"--from 2026-01-01 --to 2026-01-01":                "报告期间为空",
		"--kind monthly --from 2026-10-01 --to 2026-12-01": "不接受 --to",
		"--kind daily --from 2099-01-01":                   "尚未开始",
		"--from 1900-01-01 --to 2026-01-01":                "1970 年到 2199 年",
	} {
		out.Reset()
		code := Execute(context.Background(), append([]string{"report", "--data", dir}, strings.Fields(args)...), nil, &out, &out)
		if code == 0 || !strings.Contains(out.String(), want) || strings.Contains(out.String(), "casework:") {
			t.Errorf("report %s: exit %d: %s", args, code, out.String())
		}
	}
}
