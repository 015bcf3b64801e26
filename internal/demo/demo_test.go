package demo_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/dedup"
	"github.com/yizhan/yizhan/internal/demo"
	"github.com/yizhan/yizhan/internal/stats"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

func TestDemoLoadsOnceWithEveryStatus(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, storetest.Zone)
		loaded, err := demo.LoadIfEmpty(ctx, st, storetest.Zone, now, nil)
		if err != nil || !loaded {
			t.Fatalf("load: %v %v", loaded, err)
		}
		again, err := demo.LoadIfEmpty(ctx, st, storetest.Zone, now, nil)
		if err != nil || again {
			t.Fatalf("second load must do nothing: %v %v", again, err)
		}
		page, err := st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[casework.Status]int{}
		for _, c := range page.Items {
			seen[c.Status]++
			if c.Routing == nil {
				t.Errorf("demo case %s has no routing", c.Number)
			}
			if strings.Contains(c.Text, "%!") {
				t.Errorf("demo case %s has a garbled text: %s", c.Number, c.Text)
			}
		}
		for _, s := range casework.Statuses {
			if seen[s] == 0 {
				t.Errorf("no demo case in status %s", s)
			}
		}
		// The demand the enterprise account raised is its enterprise's;
		// the demo's current incidents are in the duplicate index, so a
		// new report of the gate protest finds it.
		var gate *casework.Case
		for i, c := range page.Items {
			if strings.HasPrefix(c.Text, "企业反映厂区门口道路破损严重") && c.EnterpriseID == nil {
				t.Errorf("the enterprise account's demand %s names no enterprise", c.Number)
			}
			if strings.HasPrefix(c.Text, "二十多个工人堵在某五金制品有限公司门口") {
				gate = &page.Items[i]
			}
		}
		if gate == nil {
			t.Fatal("no gate protest among the demo's cases")
		}
		cfg := dedup.DefaultConfig()
		report := *gate
		report.CreatedAt = now
		_, lookups := dedup.Prepare(dedup.FromCase(report), cfg).KeySets(cfg)
		var ls []store.KeyLookup
		for _, k := range lookups {
			ls = append(ls, store.KeyLookup{Key: k.String(), Since: now.Add(-k.Lookback(cfg)), Weak: k.Weak()})
		}
		found, err := st.FindDuplicates(ctx, ls)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(found, func(c casework.Case) bool { return c.ID == gate.ID }) {
			t.Errorf("a new report of the gate protest does not find %s among %d candidates", gate.Number, len(found))
		}
		ents, _ := st.Enterprises(ctx)
		people, _ := st.People(ctx, nil)
		shifts, _ := st.Shifts(ctx, now, now.AddDate(0, 0, 7))
		if len(ents) < 5 || len(people) < 10 || len(shifts) < 50 {
			t.Fatalf("directory: %d enterprises, %d people, %d shifts", len(ents), len(people), len(shifts))
		}
	})
}

// demoStore is a fresh SQLite store with the demo loaded as of 27 Nov
// 2026, 10:00.
func demoStore(t *testing.T) (*store.Store, time.Time) {
	t.Helper()
	st := storetest.SQLite(t)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, storetest.Zone)
	if _, err := demo.LoadIfEmpty(context.Background(), st, storetest.Zone, now, nil); err != nil {
		t.Fatal(err)
	}
	return st, now
}

// TestDemoReproducesThePublishedFigures: the demo history for 2026-01-01
// to 2026-11-01 gives exactly the zone's bulletin, corrected: 174, 81/69/
// 10/14, 46/40/6/8 and 97.1%.
func TestDemoReproducesThePublishedFigures(t *testing.T) {
	t.Parallel()
	st, _ := demoStore(t)
	ctx := context.Background()
	from, to := demo.PeriodFrom, demo.PeriodTo
	recount := func(ctx context.Context, line string, from, to time.Time) ([]stats.Cell, error) {
		return st.RecountCells(ctx, line, nil, from, to)
	}
	for _, count := range []func(context.Context, string, time.Time, time.Time) ([]stats.Cell, error){st.SummaryCells, recount} {
		cells, err := count(ctx, "incident", from, to)
		if err != nil {
			t.Fatal(err)
		}
		s := stats.Summarize(cells, "incident", from, to)
		var got []string
		for _, c := range s.ByCategory {
			got = append(got, fmt.Sprintf("%s %d %.1f %d", c.Category, c.Count, c.Percent, c.PercentWhole))
		}
		want := "[civil 81 46.6 46 labor 69 39.7 40 contract 10 5.7 6 other 14 8.0 8]"
		if fmt.Sprint(got) != want || s.Total != 174 || s.Success != 169 || s.SuccessRate != 97.1 || s.Merged != 6 || s.ReferredPolice != 3 || s.Open != 0 {
			t.Fatalf("summary %v total %d success %d rate %v merged %d police %d open %d", got, s.Total, s.Success, s.SuccessRate, s.Merged, s.ReferredPolice, s.Open)
		}
	}
}

// TestGenerateSmallHistory: the generator writes the cases it was asked
// for, over the years asked, with rollups that agree with the cases.
func TestGenerateSmallHistory(t *testing.T) {
	t.Parallel()
	st := storetest.SQLite(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, storetest.Zone)
	if err := demo.Generate(ctx, st, storetest.Zone, demo.GenOptions{Cases: 3000, Years: 2, Seed: 3, Now: now, Batch: 500}); err != nil {
		t.Fatal(err)
	}
	from := now.AddDate(-2, 0, -1)
	rolled, err := st.SummaryCells(ctx, "", from, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	statuses := map[casework.Status]int64{}
	for _, c := range rolled {
		total += c.N
		statuses[c.Status] += c.N
	}
	if total != 3000 {
		t.Fatalf("%d cases in the rollups, want 3000", total)
	}
	if statuses[casework.StatusClosed] < 2500 || statuses[casework.StatusMerged] == 0 || statuses[casework.StatusReferredPolice] == 0 {
		t.Fatalf("statuses %v", statuses)
	}
	merged, _ := st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Limit: 50, Statuses: []casework.Status{casework.StatusMerged}})
	for _, c := range merged.Items {
		master, err := st.GetCase(ctx, *c.DuplicateOf)
		if err != nil || !master.CreatedAt.Before(c.CreatedAt.Add(time.Second)) {
			t.Fatalf("merged %s points at %v (%v)", c.Number, c.DuplicateOf, err)
		}
	}
	page, _ := st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Limit: 500})
	for _, c := range page.Items {
		if strings.Contains(c.Text, "%!") || strings.Contains(c.Address, "%!") {
			t.Fatalf("generated case %s is garbled: %s / %s", c.Number, c.Text, c.Address)
		}
	}
	for _, c := range page.Items[:5] {
		evs, _ := st.Events(ctx, c.ID)
		if len(evs) < 1 || evs[0].Action != casework.ActionReceive {
			t.Fatalf("case %s has no receipt: %v", c.Number, evs)
		}
	}
}

// TestSampleReportsReadWell: the benchmarks' reports are whole sentences,
// with no formatting left over from their templates.
func TestSampleReportsReadWell(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	for range 5000 {
		r := demo.SampleReport(rnd)
		for _, k := range []string{"text", "address"} {
			if v, _ := r[k].(string); strings.Contains(v, "%!") || strings.Contains(v, "%d") || strings.Contains(v, "%s") {
				t.Fatalf("%s: %q", k, v)
			}
		}
	}
}

// TestTwoNodesLoadTheDemoOnce: two nodes started together with --demo on
// one empty PostgreSQL database load it once, whole.
func TestTwoNodesLoadTheDemoOnce(t *testing.T) {
	t.Parallel()
	tg := storetest.FreshPostgres(t)
	a, _ := tg.Open(t)
	b, _ := tg.Open(t)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, storetest.Zone)
	results := make(chan bool, 2)
	errs := make(chan error, 2)
	for _, st := range []*store.Store{a, b} {
		go func() {
			loaded, err := demo.LoadIfEmpty(context.Background(), st, storetest.Zone, now, nil)
			results <- loaded
			errs <- err
		}()
	}
	loads := 0
	for range 2 {
		if <-results {
			loads++
		}
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if loads != 1 {
		t.Fatalf("the demo was loaded %d times", loads)
	}
	units, err := a.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, u := range units {
		names[u.Name]++
		if names[u.Name] > 1 {
			t.Fatalf("unit %s made twice", u.Name)
		}
	}
}
