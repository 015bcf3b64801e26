package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// windowAnswer looks keys up in the window alone.
func windowAnswer(wi *windowIndex, keys, sinces []int64) (map[int64][]hit, []int64) {
	byKey := map[int64][]hit{}
	rest, _ := wi.lookup(keys, sinces, byKey)
	return byKey, rest
}

// TestWindowIndexAnswersLikeTheIndex checks the in-memory rows against
// what the index query answers: each key's perKey+1 newest rows since its
// look-back, newest first, rows arriving out of time order, and keys
// looked up further back than the window holds left for SQLite.
func TestWindowIndexAnswersLikeTheIndex(t *testing.T) {
	now := time.Now()
	wi := newWindowIndex(time.Hour, 1000)
	wi.from = micros(now.Add(-time.Hour))
	at := func(d time.Duration) int64 { return micros(now.Add(-d)) }
	var rows []keyRow
	for i := range 30 { // key 1: 30 rows a minute apart, oldest first
		rows = append(rows, keyRow{k: 1, at: at(time.Duration(30-i) * time.Minute), id: int64(100 + i)})
	}
	// key 2: a late row, older than one that came before it, and a row
	// listed twice
	rows = append(rows, keyRow{k: 2, at: at(time.Minute), id: 7}, keyRow{k: 2, at: at(2 * time.Minute), id: 8},
		keyRow{k: 2, at: at(time.Minute), id: 7})
	rows = append(rows, keyRow{k: 3, at: at(2 * time.Hour), id: 9}) // before the window: not kept
	wi.add(rows, now)
	if wi.rows != 32 {
		t.Fatalf("held %d rows, want 32", wi.rows)
	}

	keys := []int64{1, 2, 3, 4, 1}
	sinces := []int64{at(time.Hour), at(90 * time.Second), at(time.Hour), at(time.Hour), at(2 * time.Hour)}
	byKey, rest := windowAnswer(wi, keys, sinces)
	if !slices.Equal(rest, []int64{1}) {
		t.Fatalf("left for SQLite %v, want only the look-back past the window", rest)
	}
	var ids []int64
	for _, h := range byKey[1] {
		ids = append(ids, h.id)
	}
	if want := []int64{129, 128, 127, 126, 125, 124, 123, 122, 121, 120, 119, 118, 117, 116, 115, 114, 113}; !slices.Equal(ids, want) {
		t.Fatalf("key 1 answered %v, want the %d newest %v", ids, perKey+1, want)
	}
	if h := byKey[2]; len(h) != 1 || h[0].id != 7 {
		t.Fatalf("key 2 answered %v, want only the row within 90 s (7)", h)
	}
	if _, ok := byKey[3]; ok {
		t.Fatal("a row older than the window was kept")
	}
}

// TestWindowIndexKeepsToItsBounds checks that the window drops what fell
// out of its span and, past its row bound, its oldest rows, moving its
// start so that the keys it no longer covers read SQLite.
func TestWindowIndexKeepsToItsBounds(t *testing.T) {
	now := time.Now()
	wi := newWindowIndex(24*time.Hour, 100)
	wi.from = micros(now.Add(-24 * time.Hour))
	for i := range 150 {
		wi.add([]keyRow{{k: int64(i % 7), at: micros(now.Add(time.Duration(i-150) * time.Minute)), id: int64(i)}}, now)
	}
	if wi.rows > 100 {
		t.Fatalf("held %d rows past the bound of 100", wi.rows)
	}
	held := 0
	for _, hs := range wi.byKey {
		for _, h := range hs {
			if h.at < wi.from {
				t.Fatalf("row at %d kept before the window's start %d", h.at, wi.from)
			}
		}
		held += len(hs)
	}
	if held != wi.rows {
		t.Fatalf("counted %d rows, holds %d", wi.rows, held)
	}
	covered := 0 // of the rows added, those from the window's start on
	for i := range 150 {
		if micros(now.Add(time.Duration(i-150)*time.Minute)) >= wi.from {
			covered++
		}
	}
	if covered != held {
		t.Fatalf("%d rows added since the window's start, %d held", covered, held)
	}
	// It shrinks by about a fifth when the bound is passed, so the newest
	// 70 rows at least are still held (counted above: from its start on,
	// nothing is missing).
	if wi.rows < 70 || wi.from > micros(now.Add(-70*time.Minute)) {
		t.Fatalf("holds %d rows from %v: dropped more than a shrink should", wi.rows, time.UnixMicro(wi.from))
	}
	if _, rest := windowAnswer(wi, []int64{1}, []int64{micros(now.Add(-149 * time.Minute))}); len(rest) != 1 {
		t.Fatal("a look-back past the moved start was answered from memory")
	}

	later := now.Add(23 * time.Hour)
	wi.add([]keyRow{{k: 99, at: micros(later), id: 999}}, later.Add(2*time.Hour))
	if wi.rows != 1 || wi.from != micros(later.Add(2*time.Hour).Add(-24*time.Hour)) {
		t.Fatalf("after a day: %d rows from %d", wi.rows, wi.from)
	}
	wi.prune(later.Add(time.Second))
	if wi.rows != 0 || len(wi.byKey) != 0 {
		t.Fatalf("pruned, still holds %d rows", wi.rows)
	}
}

// TestWindowIndexFollowsTheDatabase checks, on a SQLite store, that the
// window answers what the index in the database answers: after cases are
// indexed live, after a write that failed once its keys were written (its
// rows must not be held), after a history load, and after the store is
// reopened (the window is read back from the database).
func TestWindowIndexFollowsTheDatabase(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := Open(ctx, Options{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	receive := func(at time.Time) (casework.Case, casework.Event) {
		t.Helper()
		in := casework.Intake{Channel: "110", Text: "某五金制品有限公司拖欠工资", Reporter: casework.Reporter{Name: "张某", Phone: "13800000001"}}
		c, ev, err := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{},
			casework.Actor{UserID: 1, Username: "admin", Role: casework.RoleAdmin}, at)
		if err != nil {
			t.Fatal(err)
		}
		return c, ev
	}
	keep := func(c casework.Case, evs []casework.Event, _ []casework.Case) DuplicateOutcome {
		return DuplicateOutcome{Case: c, Events: evs}
	}
	var keys []string
	for i := range 12 {
		k := []string{fmt.Sprintf("phone:138000000%02d", i%5), fmt.Sprintf("text:band-%d", i%3)}
		if i == 11 {
			k = append(k, k[0]) // a key listed twice is indexed once
		}
		keys = append(keys, k...)
		c, ev := receive(now.Add(time.Duration(i-12) * time.Hour))
		if _, err := st.CreateCase(ctx, NewCase{Case: c, Events: []casework.Event{ev},
			Duplicates: &DuplicateCheck{Index: k, Decide: keep}}); err != nil {
			t.Fatal(err)
		}
	}
	compare := func(when string, st *Store) {
		t.Helper()
		var hashes, sinces []int64
		for _, k := range append(keys, "phone:13800000099", "phone:13800000098", "org:absent") {
			hashes, sinces = append(hashes, keyHash(k)), append(sinces, micros(now.Add(-30*24*time.Hour)))
		}
		mem, rest := windowAnswer(st.window, hashes, sinces)
		if len(rest) != 0 {
			t.Fatalf("%s: %d keys left for SQLite", when, len(rest))
		}
		db := map[int64][]hit{}
		if err := st.lookupKeys(ctx, hashes, sinces, db); err != nil {
			t.Fatal(err)
		}
		for k := range db {
			slices.SortFunc(db[k], func(a, b hit) int { return cmp.Compare(b.at, a.at) })
		}
		if !maps.EqualFunc(mem, db, slices.Equal) {
			t.Fatalf("%s: window %v, database %v", when, mem, db)
		}
	}
	compare("live", st)

	err = st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := st.indexKeys(ctx, tx, []string{"phone:13800000099"}, 1, now); err != nil {
			return err
		}
		return errors.New("a later step failed")
	})
	if err == nil {
		t.Fatal("the failing write succeeded")
	}
	compare("after a failed write", st)

	c, ev := receive(now.Add(-time.Minute))
	if err := st.LoadHistory(ctx, []BulkCase{{Case: c, Events: []casework.Event{ev}, Keys: []string{"phone:13800000098"}}}, now); err != nil {
		t.Fatal(err)
	}
	if h := st.window.byKey[keyHash("phone:13800000098")]; len(h) != 1 {
		t.Fatalf("a loaded history's key is held %d times, want once", len(h))
	}
	compare("after a history load", st)

	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = Open(ctx, Options{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	compare("reopened", st)
}

// BenchmarkWindowIndexAdd measures keeping a full window: batches of 50
// cases of 12 keys each (about 100,000 distinct keys) added to a window at
// its bound of 400,000 rows, with the shrinks they cause.
func BenchmarkWindowIndexAdd(b *testing.B) {
	now := time.Now()
	wi := newWindowIndex(windowSpan, windowMaxRows)
	wi.from = micros(now.Add(-windowSpan))
	at := now.Add(-24 * time.Hour)
	id := int64(0)
	batch := func() []keyRow {
		rows := make([]keyRow, 0, 600)
		for range 50 {
			id++
			at = at.Add(100 * time.Millisecond)
			for k := range int64(12) {
				rows = append(rows, keyRow{k: (id*7919 + k*104729) % 100_000, at: micros(at), id: id})
			}
		}
		return rows
	}
	for range windowMaxRows / 600 { // to just below the bound
		wi.add(batch(), now)
	}
	b.ResetTimer()
	for b.Loop() {
		wi.add(batch(), now)
	}
}
