package demo

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yizhan/yizhan/internal/kpi"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

func TestDemoIndicatorsAreSeeded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, storetest.Zone)
	ids := make([]int64, len(indicatorSpecs))
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	zones := []int64{1, 2, 3, 4, 5, 6, 7, 8}
	a, b := indicatorValues(ids, zones, now), indicatorValues(ids, zones, now)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two draws differ")
	}
	last := map[int64]string{}
	for _, v := range a {
		if v.Period > last[v.IndicatorID] {
			last[v.IndicatorID] = v.Period
		}
	}
	// Up to the demo date: October, week 47 (ended Nov 22), the third quarter.
	for i, sp := range indicatorSpecs {
		want := map[kpi.Cadence]string{kpi.Monthly: "2026-10", kpi.Weekly: "2026-W47", kpi.Quarterly: "2026-Q3"}[sp.cad]
		if last[ids[i]] != want {
			t.Errorf("%s: last period %s, want %s", sp.code, last[ids[i]], want)
		}
	}
}

func TestDemoIndicatorsRankAndExport(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, storetest.Zone)
		if ok, err := LoadIfEmpty(ctx, st, storetest.Zone, now, nil); !ok || err != nil {
			t.Fatalf("load: %v %v", ok, err)
		}
		inds, _ := st.Indicators(ctx)
		zones, _ := st.IndicatorZones(ctx)
		if len(inds) != 35 || len(zones) != 8 || !zones[0].Home {
			t.Fatalf("%d indicators, %d zones", len(inds), len(zones))
		}
		groups := map[string]int{}
		for _, ind := range inds {
			groups[ind.Group]++
			if ind.UnitID == nil || ind.Target == nil {
				t.Errorf("%s has no responsible unit or target", ind.Code)
			}
		}
		if len(groups) != len(kpi.Groups) {
			t.Errorf("groups %v", groups)
		}
		p, _ := kpi.ParsePeriod("2026-10")
		vals, err := st.IndicatorValuesUpTo(ctx, kpi.ValuesFrom(p), p.EndKey())
		if err != nil {
			t.Fatal(err)
		}
		r := kpi.Rank(kpi.RankInput{Period: p, Zone: zones[0], Zones: zones, Indicators: inds, Values: vals})
		s := r.Summary
		if s.Indicators != 35 || s.Reported != 35 || s.Advantage+s.General+s.Weak != 35 || s.Weak == 0 || s.Advantage == 0 || s.Improved+s.Fell == 0 {
			t.Fatalf("summary %+v", s)
		}
		for _, row := range r.Items {
			if row.Ranked != 8 {
				t.Errorf("%s ranked %d zones", row.Indicator.Code, row.Ranked)
			}
		}
		var buf bytes.Buffer
		if err := (kpi.OneTable{Ranking: r, Generated: now}).WriteXLSX(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		data := 0
		for _, row := range rows[3:] {
			if len(row) > 2 && row[2] != "" {
				data++
			}
		}
		if data != 35 || len(rows) != 3+35 {
			t.Fatalf("the one-table report has %d indicator rows of %d", data, len(rows))
		}
	})
}
