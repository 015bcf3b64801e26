package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// indexedCase creates a case indexed under keys, without a check of its own.
func indexedCase(t *testing.T, st *store.Store, at time.Time, keys ...string) int64 {
	t.Helper()
	in := casework.Intake{Channel: "110", Text: "某五金制品有限公司拖欠工资", Reporter: casework.Reporter{Name: "张某", Phone: "13800000001"}, Type: "wage_arrears"}
	c, ev, err := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, at)
	if err != nil {
		t.Fatal(err)
	}
	keep := func(c casework.Case, evs []casework.Event, _ []casework.Case) store.DuplicateOutcome {
		return store.DuplicateOutcome{Case: c, Events: evs}
	}
	created, err := st.CreateCase(context.Background(), store.NewCase{Case: c, Events: []casework.Event{ev},
		Duplicates: &store.DuplicateCheck{Index: keys, Decide: keep}})
	if err != nil {
		t.Fatal(err)
	}
	return created.Case.ID
}

// TestDuplicateLookupReadsEveryKey checks the index read of a report with
// more keys than one prepared lookup takes: keys past the first statement,
// repeated keys, look-backs and weak keys shared by too many cases.
func TestDuplicateLookupReadsEveryKey(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		phone := indexedCase(t, st, t0, "phone:13800000002")
		firm := indexedCase(t, st, t0.Add(time.Hour), "org:某五金制品有限公司", "text:band-1")
		old := indexedCase(t, st, t0.Add(-40*24*time.Hour), "addr:科技路88号")
		for i := range 20 {
			indexedCase(t, st, t0.Add(time.Duration(i)*time.Minute), "road:科技路")
		}
		var few []int64
		for i := range 10 {
			few = append(few, indexedCase(t, st, t0.Add(time.Duration(i)*time.Minute), "road:幸福路"))
		}
		since := t0.Add(-30 * 24 * time.Hour)
		var lookups []store.KeyLookup
		for i := range 38 {
			lookups = append(lookups, store.KeyLookup{Key: fmt.Sprintf("cell:absent-%d", i), Since: since})
		}
		// The firm falls in the second statement's keys; the phone is
		// asked twice; the old case is beyond its look-back; one road
		// is on 20 cases, more than a weak key may tell, the other on
		// 10, and it is the last key, which pads the second statement
		// (its rows must count once: 37 distinct keys make 32 and 5,
		// padded to 8).
		lookups[3] = store.KeyLookup{Key: "phone:13800000002", Since: since}
		lookups[9] = store.KeyLookup{Key: "phone:13800000002", Since: since}
		lookups[35] = store.KeyLookup{Key: "org:某五金制品有限公司", Since: since}
		lookups[36] = store.KeyLookup{Key: "addr:科技路88号", Since: since}
		lookups[33] = store.KeyLookup{Key: "road:科技路", Since: since, Weak: true}
		lookups[37] = store.KeyLookup{Key: "road:幸福路", Since: since, Weak: true}
		found, err := st.FindDuplicates(context.Background(), lookups)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, c := range found {
			ids = append(ids, c.ID)
		}
		slices.Sort(ids)
		want := append([]int64{phone, firm}, few...)
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Fatalf("found %v, want %v (old case %d must be outside its look-back)", ids, want, old)
		}
	})
}

// TestDuplicateCandidatesAreCurrent checks that a candidate read once (and,
// on SQLite, kept in memory) is read as it stands after an action changed
// it.
func TestDuplicateCandidatesAreCurrent(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		id := indexedCase(t, st, t0, "phone:13800000003")
		lookups := []store.KeyLookup{{Key: "phone:13800000003", Since: t0.Add(-time.Hour)}}
		find := func() casework.Case {
			t.Helper()
			found, err := st.FindDuplicates(context.Background(), lookups)
			if err != nil || len(found) != 1 || found[0].ID != id {
				t.Fatalf("found %+v, %v", found, err)
			}
			return found[0]
		}
		if c := find(); c.Status != casework.StatusReceived || c.Version != 1 {
			t.Fatalf("first read %s v%d", c.Status, c.Version)
		}
		first := find()
		first.Callers = append(first.Callers, "13800000009") // a caller's copy, not the cache's
		unit := int64(3)
		if _, err := act(st, id, casework.Command{Action: casework.ActionDispatch, UnitID: &unit}, t0.Add(time.Minute), nil); err != nil {
			t.Fatal(err)
		}
		if c := find(); c.Status != casework.StatusDispatched || c.Version != 2 || len(c.Callers) != 0 {
			t.Fatalf("after the action %s v%d callers %v", c.Status, c.Version, c.Callers)
		}
	})
}
