package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// TestSummaryCacheDropsRacedReads checks the cache's one rule: what was
// read of a case before it was written is not kept after the write, and
// a write replaces what was held.
func TestSummaryCacheDropsRacedReads(t *testing.T) {
	sc := newSummaryCache(1 << 20)
	gen := sc.generation()
	sc.write(map[int64]casework.Case{1: {ID: 1, Version: 2}}) // an update committed while the read ran
	sc.write(map[int64]casework.Case{4: {ID: 4, Version: 1}}) // and another case's
	sc.put(gen, []casework.Case{{ID: 1, Version: 1}, {ID: 3, Version: 1}})
	if hits, misses := sc.get([]int64{1, 3}); len(hits) != 2 || hits[0].Version != 2 || hits[1].ID != 3 || len(misses) != 0 {
		t.Fatalf("a raced read was kept, or a case not written meanwhile dropped: %v %v", hits, misses)
	}
	gen = sc.generation()
	sc.put(gen, []casework.Case{{ID: 1, Version: 1}, {ID: 2, Version: 1}})
	hits, misses := sc.get([]int64{2, 1, 5})
	if len(hits) != 2 || hits[0].ID != 2 || hits[1].Version != 2 || len(misses) != 1 || misses[0] != 5 {
		t.Fatalf("hits %v misses %v (a read never replaces what is held)", hits, misses)
	}
	sc.write(map[int64]casework.Case{1: {ID: 1, Version: 3}})
	if v, ok := sc.version(1); !ok || v != 3 {
		t.Fatalf("after the write of version 3: %d, %v", v, ok)
	}
	if _, ok := sc.version(5); ok {
		t.Fatal("the version of a case not held")
	}
	gen = sc.generation()
	sc.write(nil) // a batch that wrote no case changes nothing
	if sc.generation() != gen {
		t.Fatalf("generation %d, want %d", sc.generation(), gen)
	}
	// The write of a case pushed out of the cache before the read's put
	// still keeps the read out.
	small := newSummaryCache(summarySize(casework.Case{}))
	gen = small.generation()
	small.write(map[int64]casework.Case{1: {ID: 1, Version: 2}})
	small.write(map[int64]casework.Case{4: {ID: 4, Version: 1}}) // pushes 1 out
	small.put(gen, []casework.Case{{ID: 1, Version: 1}})
	if hits, _ := small.get([]int64{1}); len(hits) != 0 {
		t.Fatalf("a read from before the write of a case no longer held was kept: %v", hits)
	}
	// A read older than the generations remembered is not kept at all,
	// and what is remembered stays bounded.
	old := sc.generation()
	for i := range 3 * keepGens {
		sc.write(map[int64]casework.Case{int64(100 + i): {ID: int64(100 + i)}})
	}
	sc.put(old, []casework.Case{{ID: 6}})
	if _, misses := sc.get([]int64{6}); len(misses) != 1 {
		t.Fatal("a read older than keepGens generations was kept")
	}
	if len(sc.written) > 2*keepGens {
		t.Fatalf("%d writes remembered, want at most those of %d generations", len(sc.written), 2*keepGens)
	}
}

// TestSummaryCacheFollowsTheDatabase writes cases from many requests at
// once (merges into one master, actions, a request that fails after its
// writes) and checks that every summary the cache holds is what the
// database holds, and that a merge took the master as it stood.
func TestSummaryCacheFollowsTheDatabase(t *testing.T) {
	st := openSQLite(t)
	ctx := context.Background()
	admin := casework.Actor{UserID: 1, Username: "admin", Role: casework.RoleAdmin}
	now := time.Now()

	const n = 60
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			in := casework.Intake{Channel: "110", Text: "某五金制品有限公司门口工人聚集讨薪",
				Reporter: casework.Reporter{Name: "张某", Phone: fmt.Sprintf("138000000%02d", i%50+1)},
				Location: &casework.Location{Lat: 29.1 + float64(i)/1000, Lon: 120.1}}
			c, ev, err := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, now.Add(time.Duration(i)*time.Millisecond))
			if err != nil {
				errs <- err
				return
			}
			if _, err := st.CreateCase(ctx, NewCase{Case: c, Events: []casework.Event{ev}, Duplicates: mergeIntoFirst(now)}); err != nil {
				errs <- err
			}
			if i%10 == 0 {
				// a request that wrote a case, then failed: nothing of it stays
				err := st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
					if _, err := st.insertCase(ctx, tx, c, []casework.Event{ev}); err != nil {
						return err
					}
					return errors.New("a later step failed")
				})
				if err == nil {
					errs <- errors.New("the failing write succeeded")
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var ids []int64
	rows, err := st.rdb.Query(`SELECT id FROM cases ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) != n {
		t.Fatalf("%d cases, want %d (the failed writes left none)", len(ids), n)
	}
	// an action on the master after the merges
	master := ids[0]
	unit := int64(3)
	cmd := casework.Command{Action: casework.ActionDispatch, UnitID: &unit}
	at := now.Add(time.Minute)
	if _, err := st.Act(ctx, ActRequest{CaseID: master, Scope: casework.Scope{All: true}, Now: at, Command: cmd,
		Unit: func(id int64) *casework.UnitRef {
			return &casework.UnitRef{ID: id, Name: "单位", Lineage: []int64{id}}
		},
		Decide: func(c casework.Case, refs casework.Refs) (casework.Decision, error) {
			return casework.Decide(c, cmd, admin, refs, casework.Env{Now: at, Types: casework.ContractTypes{}})
		}}); err != nil {
		t.Fatal(err)
	}
	hits, misses := st.summaries.get(ids)
	if len(misses) != 0 {
		t.Fatalf("the cases written are not all held: %v", misses)
	}
	if held := len(st.summaries.byID); held != len(ids) {
		t.Fatalf("%d summaries held for %d cases (a failed write's case kept?)", held, len(ids))
	}
	db, err := st.readSummaries(ctx, nil, ids)
	if err != nil {
		t.Fatal(err)
	}
	for i := range db {
		if hits[i].Callers == nil && len(db[i].Callers) == 0 {
			db[i].Callers = nil
		}
		if !reflect.DeepEqual(hits[i], db[i]) {
			t.Fatalf("case %d: held %+v\ndatabase %+v", ids[i], hits[i], db[i])
		}
	}
	m := db[0]
	if m.Version != n+1 || len(m.Callers) != 49 {
		t.Fatalf("master v%d with %d callers, want every report merged into it (v%d, 49 other callers)", m.Version, len(m.Callers), n+1)
	}
}

// TestSummaryCacheIsBounded checks that the cache keeps to its size,
// dropping the least recently used.
func TestSummaryCacheIsBounded(t *testing.T) {
	sc := newSummaryCache(10 * summarySize(casework.Case{Text: "某五金制品有限公司拖欠工资"}))
	for id := range int64(100) {
		sc.put(sc.generation(), []casework.Case{{ID: id, Text: "某五金制品有限公司拖欠工资"}})
		sc.get([]int64{0}) // the first stays in use
	}
	if sc.order.Len() != 10 || sc.bytes > sc.max {
		t.Fatalf("%d entries, %d bytes of %d", sc.order.Len(), sc.bytes, sc.max)
	}
	if hits, _ := sc.get([]int64{0, 99, 50}); len(hits) != 2 {
		t.Fatalf("kept %v", hits)
	}
}

// mergeIntoFirst is a duplicate check of one key that merges a report
// into the first candidate not merged itself.
func mergeIntoFirst(now time.Time) *DuplicateCheck {
	key := "phone:13800000001"
	return &DuplicateCheck{
		Lookups: []KeyLookup{{Key: key, Since: now.Add(-time.Hour)}},
		Index:   []string{key},
		Decide: func(c casework.Case, evs []casework.Event, found []casework.Case) DuplicateOutcome {
			out := DuplicateOutcome{Case: c, Events: evs}
			for _, f := range found {
				if f.Status == casework.StatusMerged {
					continue
				}
				out.Case, out.Events = casework.MergeOnReceipt(c, evs, f, casework.DuplicateMatch{ID: f.ID, Number: f.Number}, c.CreatedAt)
				out.Master = &f
				out.Update = func(m, dup casework.Case) (casework.Case, casework.Event) {
					return casework.AddDuplicate(m, dup, casework.SystemActor, "合并", c.CreatedAt)
				}
				break
			}
			return out
		},
	}
}

// TestSettleTakesTheMasterAsItStands checks the write's use of the master
// read whole before it: taken when its version is the one the write
// knows, read again when the master changed since.
func TestSettleTakesTheMasterAsItStands(t *testing.T) {
	st := openSQLite(t)
	ctx := context.Background()
	now := time.Now()
	receive := func(phone string, at time.Time) NewCase { return merging(t, now, phone, at) }
	first, err := st.CreateCase(ctx, receive("13800000001", now))
	if err != nil {
		t.Fatal(err)
	}
	v1, err := st.GetCase(ctx, first.Case.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateCase(ctx, receive("13800000002", now.Add(time.Second))); err != nil {
		t.Fatal(err)
	}
	v2, err := st.GetCase(ctx, first.Case.ID)
	if err != nil || v2.Version != 2 {
		t.Fatalf("the master after one merge: v%d, %v", v2.Version, err)
	}
	settle := func(summary, whole casework.Case) casework.Case {
		t.Helper()
		nc := receive("13800000003", now.Add(2*time.Second))
		pre := duplicateDraft{seen: st.w.finished.Load(), readAt: time.Now(), found: []casework.Case{summary}, master: &whole}
		pre.outcome = nc.Duplicates.Decide(nc.Case, nc.Events, pre.found)
		var got DuplicateOutcome
		err := st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
			got, err = st.settleDuplicates(ctx, tx, nc, pre)
			return err
		})
		if err != nil || got.Master == nil {
			t.Fatalf("settled %+v, %v", got, err)
		}
		return *got.Master
	}
	marked := v2.Clone()
	marked.Reporter.Name = "读池所读"
	if m := settle(st.summaryOf(v2), marked); m.Reporter.Name != marked.Reporter.Name {
		t.Fatalf("the master read whole at the version the write knows was read again: %+v", m)
	}
	stale := v1.Clone()
	stale.Reporter.Name = "读池所读"
	if m := settle(st.summaryOf(v1), stale); m.Version != 2 || m.Reporter.Name == stale.Reporter.Name {
		t.Fatalf("a master changed since it was read was taken as read: v%d %q", m.Version, m.Reporter.Name)
	}
}

// TestSettleLooksAgainAfterALongWait checks a write whose request waited
// longer than recentKeys remembers: it reads again what committed since
// its read, and finds the case it repeats.
func TestSettleLooksAgainAfterALongWait(t *testing.T) {
	st := openSQLite(t)
	ctx := context.Background()
	now := time.Now()
	receive := func(phone string, at time.Time) NewCase { return merging(t, now, phone, at) }
	// The request read before the first case committed, and waited.
	nc := receive("13800000002", now.Add(time.Second))
	pre := duplicateDraft{seen: st.w.finished.Load(), readAt: time.Now().Add(-time.Minute)}
	pre.outcome = nc.Duplicates.Decide(nc.Case, nc.Events, nil)
	first, err := st.CreateCase(ctx, receive("13800000001", now))
	if err != nil {
		t.Fatal(err)
	}
	st.recent = newRecentKeys() // what a minute's wait forgets
	var got DuplicateOutcome
	if err := st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		got, err = st.settleDuplicates(ctx, tx, nc, pre)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got.Master == nil || got.Master.ID != first.Case.ID {
		t.Fatalf("the report was not merged into case %d written during its wait: %+v", first.Case.ID, got.Master)
	}
}

// merging is a report from phone at a time, with a duplicate check that
// merges it into the first case of the same key (mergeIntoFirst).
func merging(t *testing.T, now time.Time, phone string, at time.Time) NewCase {
	t.Helper()
	admin := casework.Actor{UserID: 1, Username: "admin", Role: casework.RoleAdmin}
	in := casework.Intake{Channel: "110", Text: "某五金制品有限公司门口工人聚集讨薪", Reporter: casework.Reporter{Name: "张某", Phone: phone}}
	c, ev, err := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, at)
	if err != nil {
		t.Fatal(err)
	}
	return NewCase{Case: c, Events: []casework.Event{ev}, Duplicates: mergeIntoFirst(now)}
}
