package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/stats"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// TestRollupsMatchARecount drives random action sequences through the
// engine and checks that the rollups the writes maintain equal a recount
// from the cases themselves, on both backends.
func TestRollupsMatchARecount(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		rnd := rand.New(rand.NewPCG(7, 11))
		types := []string{"neighbor", "wage_arrears", "loan_debt", "environment", "traffic", "work_injury"}
		var ids []int64
		for i := range 120 {
			at := t0.AddDate(0, 0, -rnd.IntN(100)).Add(time.Duration(rnd.IntN(86400)) * time.Second)
			in := casework.Intake{Channel: "110", Text: fmt.Sprintf("随机工单%d", i), Type: types[rnd.IntN(len(types))],
				Line: []casework.Line{casework.LineIncident, casework.LineIncident, casework.LineEnterprise}[rnd.IntN(3)]}
			if err := in.Validate(admin); err != nil {
				t.Fatal(err)
			}
			c, ev, _ := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, at)
			created, err := st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, created.Case.ID)
		}
		outcomes := []casework.Outcome{casework.OutcomeOnsite, casework.OutcomeTakenBack, casework.OutcomeReferred, casework.OutcomeUnresolved}
		applied := 0
		for range 1500 {
			id := ids[rnd.IntN(len(ids))]
			unit := int64(1 + rnd.IntN(5))
			into := ids[rnd.IntN(len(ids))]
			sat := 1 + rnd.IntN(5)
			cmds := []casework.Command{
				{Action: casework.ActionDispatch, UnitID: &unit},
				{Action: casework.ActionAccept}, {Action: casework.ActionArrive}, {Action: casework.ActionTakeBack},
				{Action: casework.ActionResolve, Outcome: outcomes[rnd.IntN(len(outcomes))]},
				{Action: casework.ActionClose, Satisfaction: &sat},
				{Action: casework.ActionReopen, Reason: "不满意"}, {Action: casework.ActionReturn, Reason: "不属本单位"},
				{Action: casework.ActionTransfer, UnitID: &unit, Reason: "转办"},
				{Action: casework.ActionReclassify, Type: types[rnd.IntN(len(types))]},
			}
			if rnd.IntN(40) == 0 {
				cmds = append(cmds, casework.Command{Action: casework.ActionMerge, Into: &into}, casework.Command{Action: casework.ActionReferPolice, Reason: "治安"})
			}
			if _, err := act(st, id, cmds[rnd.IntN(len(cmds))], t0.Add(time.Hour), nil); err == nil {
				applied++
			}
		}
		if applied < 300 {
			t.Fatalf("only %d random actions applied", applied)
		}
		from, to := t0.AddDate(0, 0, -105), t0.AddDate(0, 0, 2) // whole months and days around them
		for _, line := range []string{"", "incident", "enterprise"} {
			rolled, err := st.SummaryCells(ctx, line, from, to)
			if err != nil {
				t.Fatal(err)
			}
			recount, err := st.RecountCells(ctx, line, nil, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := cellsKey(rolled), cellsKey(recount); a != b {
				t.Fatalf("line %q: rollup and recount differ:\n%s\n%s", line, a, b)
			}
		}
		// An unaligned period mixes rollup months, rollup days and raw edges.
		odd := t0.AddDate(0, 0, -80).Add(5*time.Hour + 17*time.Minute)
		rolled, _ := st.SummaryCells(ctx, "", odd, t0.Add(-3*time.Hour))
		recount, _ := st.RecountCells(ctx, "", nil, odd, t0.Add(-3*time.Hour))
		if a, b := cellsKey(rolled), cellsKey(recount); a != b {
			t.Fatalf("unaligned period differs:\n%s\n%s", a, b)
		}
		// The rollup by unit agrees with a recount unit by unit.
		for unit := range int64(6) {
			rolled, err := st.UnitCells(ctx, "", &unit, from, to)
			if err != nil {
				t.Fatal(err)
			}
			recount, _ := st.RecountCells(ctx, "", &unit, from, to)
			if a, b := cellsKey(rolled), cellsKey(recount); a != b {
				t.Fatalf("unit %d: rollup and recount differ:\n%s\n%s", unit, a, b)
			}
		}
		// The breakdown and the status counts agree with the cases too.
		byUnit, err := st.Breakdown(ctx, stats.Filter{From: from, To: to}, "unit")
		if err != nil {
			t.Fatal(err)
		}
		var sumReports int64
		for _, g := range byUnit {
			sumReports += g.Reports
		}
		counts, _ := st.StatusCounts(ctx)
		var sumCounts int64
		for _, c := range counts {
			if c.N < 0 {
				t.Fatalf("negative status count %+v", c)
			}
			sumCounts += c.N
		}
		if sumReports != int64(len(ids)) || sumCounts != int64(len(ids)) {
			t.Fatalf("%d cases, breakdown %d, status counts %d", len(ids), sumReports, sumCounts)
		}
	})
}

func cellsKey(cells []stats.Cell) string {
	m := map[string]int64{}
	for _, c := range cells {
		m[fmt.Sprintf("%s/%s/%s", c.Category, c.Status, c.Outcome)] += c.N
	}
	var keys []string
	for k, n := range m {
		if n != 0 {
			keys = append(keys, fmt.Sprintf("%s=%d", k, n))
		}
	}
	sort.Strings(keys)
	return fmt.Sprint(keys)
}

// TestSummaryToNowUsesTodaysRollup: a period that runs to now takes today
// from the day's rollup rather than counting today's cases, and agrees
// with the recount.
func TestSummaryToNowUsesTodaysRollup(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now().In(zone)
		midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, zone)
		for i := range 40 {
			// Half today (before now), half over the last ten days.
			at := midnight.Add(time.Duration(i) * now.Sub(midnight) / 41)
			if i%2 == 1 {
				at = now.AddDate(0, 0, -1-(i/2)%10)
			}
			in := casework.Intake{Channel: "110", Text: fmt.Sprintf("今日工单%d", i), Type: "neighbor"}
			c, ev, _ := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, at)
			if _, err := st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, from := range []time.Time{now.AddDate(0, 0, -40), now.Add(-time.Hour), midnight.Add(time.Minute)} {
			to := time.Now().Add(time.Second)
			rolled, err := st.SummaryCells(ctx, "", from, to)
			if err != nil {
				t.Fatal(err)
			}
			recount, _ := st.RecountCells(ctx, "", nil, from, to)
			if a, b := cellsKey(rolled), cellsKey(recount); a != b {
				t.Fatalf("from %s to now: rollup and recount differ:\n%s\n%s", from, a, b)
			}
		}
		// Up to a moment of today with cases after it: those are not counted.
		to := midnight.Add(now.Sub(midnight) / 2)
		rolled, _ := st.SummaryCells(ctx, "", now.AddDate(0, 0, -40), to)
		recount, _ := st.RecountCells(ctx, "", nil, now.AddDate(0, 0, -40), to)
		if a, b := cellsKey(rolled), cellsKey(recount); a != b {
			t.Fatalf("to %s: rollup and recount differ:\n%s\n%s", to, a, b)
		}
	})
}
