package stats_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yizhan/yizhan/internal/problemlist"
	"github.com/yizhan/yizhan/internal/stats"
)

// TestProblemListEnterpriseColumn: 企业名称 holds the enterprise only; a
// demand that names none says so, and the reporter, a person, stands in
// 反映人 and never passes for an enterprise.
func TestProblemListEnterpriseColumn(t *testing.T) {
	t.Parallel()
	items := []problemlist.Item{
		{Number: "QY20261116001", Enterprise: &problemlist.Ref{ID: 1, Name: "某五金制品有限公司"}, Reporter: "张某", Problem: "用电增容审批慢",
			State: problemlist.StateInProgress, StateLabel: "办理中", Loop: problemlist.LoopOpen, LoopLabel: "未办结"},
		{Number: "QY20261116002", Reporter: "李某", Problem: "希望了解技改补贴政策",
			State: problemlist.StateInProgress, StateLabel: "办理中", Loop: problemlist.LoopOpen, LoopLabel: "未办结"},
	}
	var buf bytes.Buffer
	if err := stats.WriteProblemListXLSX(&buf, items, time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("问题清单")
	if err != nil {
		t.Fatal(err)
	}
	ent, rep := slices.Index(rows[1], "企业名称"), slices.Index(rows[1], "反映人")
	if ent < 0 || rep < 0 {
		t.Fatalf("headers: %q", rows[1])
	}
	for i, want := range [][2]string{{"某五金制品有限公司", "张某"}, {stats.NoEnterprise, "李某"}} {
		row := rows[2+i]
		if row[ent] != want[0] || row[rep] != want[1] {
			t.Errorf("row %d: 企业名称 %q 反映人 %q, want %q", i+1, row[ent], row[rep], want)
		}
	}
}
