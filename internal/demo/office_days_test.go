package demo_test

import (
	"context"
	"testing"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/problemlist"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/store"
)

type noNames struct{}

func (noNames) UnitName(int64) string       { return "" }
func (noNames) EnterpriseName(int64) string { return "" }

// TestDemoOfficeDays: the demo holds the demands of the last three office
// days, in every state of the problem list.
func TestDemoOfficeDays(t *testing.T) {
	t.Parallel()
	st, now := demoStore(t)
	ctx := context.Background()
	page, err := st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Channel: casework.ChannelOfficeDay, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.WithDeadlines(ctx, page.Items, now); err != nil {
		t.Fatal(err)
	}
	days := map[string]int{}
	states := map[string]int{}
	for _, c := range page.Items {
		if c.Line != casework.LineEnterprise || c.EnterpriseID == nil {
			t.Errorf("demand %s: line %s enterprise %v", c.Number, c.Line, c.EnterpriseID)
		}
		days[sla.DateOf(c.OccurredAt).String()]++
		evs, _ := st.Events(ctx, c.ID)
		it := problemlist.Build(c, evs, noNames{})
		states[string(it.State)+"/"+string(it.Loop)]++
		if it.ClosedWithoutFollowUp {
			states["flagged"]++
		}
	}
	if days["2026-09-15"] != 2 || days["2026-10-15"] != 3 || days["2026-11-16"] != 1 || len(days) != 3 {
		t.Fatalf("office days %v", days)
	}
	want := map[string]int{"done/closed": 2, "done/awaiting_follow_up": 2, "flagged": 1, "overdue/open": 1, "in_progress/open": 1}
	for k, n := range want {
		if states[k] != n {
			t.Fatalf("states %v, want %v", states, want)
		}
	}
}
