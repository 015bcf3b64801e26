package store_test

import (
	"context"
	"testing"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/kpi"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

func TestIndicators(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		unit, err := st.CreateUnit(ctx, routing.NewUnit{Name: "经济发展局", Kind: routing.KindDepartment}, t0)
		if err != nil {
			t.Fatal(err)
		}
		target := 8.0
		ind, err := st.CreateIndicator(ctx, kpi.Indicator{Code: "E02", Name: "规上工业增加值增速", Group: "经济发展", Measure: "%",
			Direction: kpi.HigherBetter, Aggregation: kpi.Level, Cadence: kpi.Monthly, Target: &target, UnitID: &unit.ID, Active: true}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if ind.ID == 0 || *ind.Target != 8 || *ind.UnitID != unit.ID || !ind.Active || !ind.CreatedAt.Equal(t0) {
			t.Fatalf("created %+v", ind)
		}
		dup := ind
		dup.Code = "e02"
		if _, err := st.CreateIndicator(ctx, dup, t0); !isCode(err, "indicator_code_taken") {
			t.Fatalf("a code in use, in other case: %v", err)
		}
		total, err := st.CreateIndicators(ctx, []kpi.Indicator{
			{Code: "O01", Name: "实际使用外资", Group: "开放合作", Measure: "亿美元", Direction: kpi.HigherBetter, Aggregation: kpi.Sum, Cadence: kpi.Monthly, Active: true},
			{Code: "E02", Name: "重复", Group: "经济发展", Direction: kpi.HigherBetter, Aggregation: kpi.Level, Cadence: kpi.Monthly},
		}, t0)
		if !isCode(err, "indicator_code_taken") || len(total) != 0 {
			t.Fatalf("a batch with a taken code stores none: %v %v", total, err)
		}
		if inds, _ := st.Indicators(ctx); len(inds) != 1 {
			t.Fatalf("after the refused batch: %d indicators", len(inds))
		}
		home, err := st.CreateIndicatorZone(ctx, kpi.NewZone{Name: "某某经济开发区", Home: true}, t0)
		if err != nil {
			t.Fatal(err)
		}
		other, err := st.CreateIndicatorZone(ctx, kpi.NewZone{Name: "某高新区", Sort: 1}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateIndicatorZone(ctx, kpi.NewZone{Name: "又一个本区", Home: true}, t0); !isCode(err, "home_zone_exists") {
			t.Fatalf("second home zone: %v", err)
		}
		if _, err := st.CreateIndicatorZone(ctx, kpi.NewZone{Name: "某高新区"}, t0); !isCode(err, "zone_name_taken") {
			t.Fatalf("same name: %v", err)
		}
		zs, _ := st.IndicatorZones(ctx)
		if len(zs) != 2 || !zs[0].Home || zs[0].ID != home.ID || zs[1].ID != other.ID {
			t.Fatalf("zones %+v", zs)
		}
		cum, yoy := 20.5, -1.5
		vs := []kpi.Value{
			{IndicatorID: ind.ID, ZoneID: home.ID, Period: "2026-09", Value: 7.9},
			{IndicatorID: ind.ID, ZoneID: home.ID, Period: "2026-10", Value: 8.1, YoY: &yoy},
			{IndicatorID: ind.ID, ZoneID: other.ID, Period: "2026-10", Value: 6.4, Cumulative: &cum},
			{IndicatorID: ind.ID, ZoneID: home.ID, Period: "2025-10", Value: 7.0},
		}
		by := int64(1)
		if err := st.SaveIndicatorValues(ctx, vs, &by, t0); err != nil {
			t.Fatal(err)
		}
		// A corrected report replaces the figure.
		if err := st.SaveIndicatorValues(ctx, []kpi.Value{{IndicatorID: ind.ID, ZoneID: home.ID, Period: "2026-10", Value: 8.3}}, nil, t0); err != nil {
			t.Fatal(err)
		}
		got, err := st.IndicatorValues(ctx, ind.ID, 2026)
		if err != nil || len(got) != 3 {
			t.Fatalf("2026 values %v %v", got, err)
		}
		if got[0].Period != "2026-09" || got[1].Value != 8.3 || got[1].YoY != nil || got[1].RecordedBy != nil || *got[2].Cumulative != 20.5 {
			t.Fatalf("values %+v", got)
		}
		upTo, err := st.IndicatorValuesUpTo(ctx, 2025, 20260930)
		if err != nil || len(upTo) != 2 {
			t.Fatalf("values up to Sep 30: %v %v", upTo, err)
		}
		periods, _ := st.IndicatorPeriods(ctx, 2026)
		if len(periods) != 2 || periods[0] != "2026-09" || periods[1] != "2026-10" {
			t.Fatalf("periods %v", periods)
		}
		// A value for an unknown indicator fails the whole batch.
		err = st.SaveIndicatorValues(ctx, []kpi.Value{{IndicatorID: ind.ID, ZoneID: home.ID, Period: "2026-08", Value: 1},
			{IndicatorID: 9999, ZoneID: home.ID, Period: "2026-08", Value: 1}}, nil, t0)
		if err == nil {
			t.Fatal("a value of an unknown indicator was stored")
		}
		if got, _ := st.IndicatorValues(ctx, ind.ID, 2026); len(got) != 3 {
			t.Fatalf("a failed batch left %d values", len(got))
		}
		// Cadence cannot change once values exist; the name can.
		ind.Cadence = kpi.Weekly
		if _, err := st.UpdateIndicator(ctx, ind, t0); !isCode(err, "indicator_has_values") {
			t.Fatalf("cadence change with values: %v", err)
		}
		ind.Cadence, ind.Name, ind.Target = kpi.Monthly, "规模以上工业增加值增速", nil
		upd, err := st.UpdateIndicator(ctx, ind, t0)
		if err != nil || upd.Name != "规模以上工业增加值增速" || upd.Target != nil {
			t.Fatalf("update %+v %v", upd, err)
		}
		if _, err := st.GetIndicator(ctx, 4242); !isCode(err, "indicator_not_found") {
			t.Fatalf("unknown indicator: %v", err)
		}
		if has, _ := st.HasIndicators(ctx); !has {
			t.Fatal("HasIndicators")
		}
	})
}

func isCode(err error, code string) bool {
	e, ok := casework.AsError(err)
	return ok && e.Code == code
}
