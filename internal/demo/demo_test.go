package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/demo"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

func TestDemoLoadsOnceWithEveryStatus(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			st := b.Open(t)
			ctx := context.Background()
			now := time.Date(2026, 11, 27, 10, 0, 0, 0, storetest.Zone)
			loaded, err := demo.LoadIfEmpty(ctx, st, storetest.Zone, now)
			if err != nil || !loaded {
				t.Fatalf("load: %v %v", loaded, err)
			}
			again, err := demo.LoadIfEmpty(ctx, st, storetest.Zone, now)
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
			}
			for _, s := range casework.Statuses {
				if seen[s] == 0 {
					t.Errorf("no demo case in status %s", s)
				}
			}
			ents, _ := st.Enterprises(ctx)
			people, _ := st.People(ctx, nil)
			shifts, _ := st.Shifts(ctx, now, now.AddDate(0, 0, 7))
			if len(ents) < 5 || len(people) < 10 || len(shifts) < 50 {
				t.Fatalf("directory: %d enterprises, %d people, %d shifts", len(ents), len(people), len(shifts))
			}
		})
	}
}
