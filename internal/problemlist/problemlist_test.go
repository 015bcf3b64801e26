package problemlist_test

import (
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/problemlist"
	"github.com/yizhan/yizhan/internal/sla"
)

type names map[int64]string

func (n names) UnitName(id int64) string       { return n[id] }
func (n names) EnterpriseName(id int64) string { return n[id] }

func TestBuild(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 16, 9, 30, 0, 0, sla.Location())
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	lead, co, ent := int64(3), int64(9), int64(20)
	five := 5
	c := casework.Case{ID: 1, Number: "QY20261116-0001", Line: casework.LineEnterprise, Channel: casework.ChannelOfficeDay,
		Status: casework.StatusReceived, Text: "用电增容", OccurredAt: t0, UnitID: nil, EnterpriseID: &ent,
		Routing:   &casework.Routing{UnitID: &lead, CoUnitIDs: []int64{lead, co}},
		Deadlines: []sla.Deadline{{Stage: "accept", DueAt: at(24), Breached: true}, {Stage: "resolve", DueAt: at(200)}}}
	nm := names{lead: "市场监管所", co: "某五金制品有限公司微中心", ent: "某五金制品有限公司"}
	evs := []casework.Event{
		{Seq: 1, Action: casework.ActionReceive, At: at(0)},
		{Seq: 2, Action: casework.ActionDispatch, At: at(1), Note: "现场办公日交办"},
		{Seq: 3, Action: casework.ActionResolve, At: at(30)},
		{Seq: 4, Action: casework.ActionReopen, At: at(40), Reason: "企业反映问题仍在"},
		{Seq: 5, Action: casework.ActionDeadlineBreach, At: at(50)},
	}
	it := problemlist.Build(c, evs, nm)
	// A breached accept stage is not the list's deadline: only resolve counts.
	if it.State != problemlist.StateInProgress || it.Overdue || it.Loop != problemlist.LoopOpen || it.ResolvedAt != nil {
		t.Fatalf("reopened item: %+v", it)
	}
	if it.Progress == nil || it.Progress.Action != casework.ActionReopen || it.Progress.Text != "重办：企业反映问题仍在" {
		t.Fatalf("progress skips the clocks' marks: %+v", it.Progress)
	}
	if it.OfficeDay == nil || it.OfficeDay.String() != "2026-11-16" || it.Enterprise.Name != "某五金制品有限公司" ||
		it.LeadUnit != nil || len(it.CoUnits) != 2 {
		t.Fatalf("item: %+v", it)
	}

	c.Deadlines[1].Breached = true
	if it := problemlist.Build(c, evs, nm); it.State != problemlist.StateOverdue || !it.Overdue || !it.Matches([]string{"overdue"}) || it.Matches([]string{"in_progress"}) {
		t.Fatalf("overdue: %+v", it)
	}

	c.Status, c.UnitID = casework.StatusClosed, &lead
	evs = append(evs, casework.Event{Seq: 6, Action: casework.ActionResolve, At: at(60)}, casework.Event{Seq: 7, Action: casework.ActionClose, At: at(70)})
	it = problemlist.Build(c, evs, nm)
	if it.State != problemlist.StateDone || it.Loop != problemlist.LoopAwaitingFollowUp || !it.ClosedWithoutFollowUp ||
		!it.ResolvedAt.Equal(at(60)) || !it.ClosedAt.Equal(at(70)) || len(it.CoUnits) != 1 || it.CoUnits[0].ID != co {
		t.Fatalf("closed without feedback: %+v", it)
	}
	c.Satisfaction = &five
	it = problemlist.Build(c, evs, nm)
	if it.Loop != problemlist.LoopClosed || it.ClosedWithoutFollowUp || !it.Matches([]string{"closed"}) || it.LoopLabel != "已销号" {
		t.Fatalf("struck off: %+v", it)
	}
	n := problemlist.Count([]problemlist.Item{it, problemlist.Build(casework.Case{Status: casework.StatusResolved}, nil, nm)})
	if n != (problemlist.Counts{Total: 2, Done: 2, Closed: 1, AwaitingFollowUp: 1}) {
		t.Fatalf("counts %+v", n)
	}
}
