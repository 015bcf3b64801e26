package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
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
		// a caller's number for dedup_keys, the words for the log
		k := []string{fmt.Sprintf("phone:138000000%02d", i%5), fmt.Sprintf("text:band-%d", i%3)}
		brief := []bool{false, true}
		if i == 11 {
			k, brief = append(k, k[0], k[1]), append(brief, false, true) // a key listed twice is indexed once
		}
		keys = append(keys, k...)
		c, ev := receive(now.Add(time.Duration(i-12) * time.Hour))
		if _, err := st.CreateCase(ctx, NewCase{Case: c, Events: []casework.Event{ev},
			Duplicates: &DuplicateCheck{Index: k, WindowOnly: brief, Decide: keep}}); err != nil {
			t.Fatal(err)
		}
	}
	compare := func(when string, st *Store) {
		t.Helper()
		var hashes, sinces []int64
		for _, k := range append(keys, "phone:13800000099", "text:band-9", "phone:13800000098", "org:absent") {
			hashes, sinces = append(hashes, keyHash(k)), append(sinces, micros(now.Add(-30*24*time.Hour)))
		}
		mem, rest := windowAnswer(st.window, hashes, sinces)
		if len(rest) != 0 {
			t.Fatalf("%s: %d keys left for SQLite", when, len(rest))
		}
		if db := databaseIndex(t, st, hashes, sinces); !maps.EqualFunc(mem, db, slices.Equal) {
			t.Fatalf("%s: window %v, database %v", when, mem, db)
		}
	}
	compare("live", st)
	if n := logRows(t, st); n != 12 {
		t.Fatalf("%d rows in the index log, want the 12 of the words", n)
	}

	err = st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := st.indexKeys(ctx, tx, []string{"phone:13800000099", "text:band-9"}, []bool{false, true}, 1, now); err != nil {
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

	// The log spilled into dedup_keys: the window still answers the same,
	// and now dedup_keys alone does too.
	cut := micros(now) + 1
	if err := st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error { return st.spillKeyLog(ctx, tx, cut) }); err != nil {
		t.Fatal(err)
	}
	if n := logRows(t, st); n != 0 {
		t.Fatalf("%d rows left in the index log after a spill", n)
	}
	compare("spilled", st)
	var hashes, sinces []int64
	for _, k := range keys {
		hashes, sinces = append(hashes, keyHash(k)), append(sinces, micros(now.Add(-30*24*time.Hour)))
	}
	db := map[int64][]hit{}
	if err := st.lookupKeys(ctx, hashes, sinces, db); err != nil {
		t.Fatal(err)
	}
	for k := range db {
		db[k] = newestHits(db[k])
	}
	if mem, _ := windowAnswer(st.window, hashes, sinces); !maps.EqualFunc(mem, db, slices.Equal) {
		t.Fatalf("spilled: window %v, dedup_keys %v", mem, db)
	}
	if st.window.pinned != cut {
		t.Fatalf("the window is pinned at %d after the spill, want the cut %d", st.window.pinned, cut)
	}
}

// databaseIndex reads what the database's index holds under keys since
// their times, both tables, each key's perKey+1 newest rows newest first.
func databaseIndex(t *testing.T, st *Store, keys, sinces []int64) map[int64][]hit {
	t.Helper()
	out := map[int64][]hit{}
	for i, k := range keys {
		rows, err := st.rdb.Query(`SELECT case_id, at FROM (
			SELECT case_id, at FROM dedup_keys WHERE k = ?1 AND at >= ?2
			UNION SELECT case_id, at FROM dedup_log WHERE k = ?1 AND at >= ?2)
			ORDER BY at DESC, case_id DESC LIMIT ?3`, k, sinces[i], perKey+1)
		if err != nil {
			t.Fatal(err)
		}
		var hs []hit
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.id, &h.at); err != nil {
				t.Fatal(err)
			}
			hs = append(hs, h)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if len(hs) > 0 {
			out[k] = hs
		}
	}
	return out
}

// openSQLite opens a store on SQLite in a directory of the test's own,
// closed when the test ends.
func openSQLite(t *testing.T) *Store {
	t.Helper()
	st, err := Open(context.Background(), Options{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// logRows counts the rows of the index log.
func logRows(t *testing.T, st *Store) int {
	t.Helper()
	var n int
	if err := st.rdb.QueryRow(`SELECT COUNT(*) FROM dedup_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestIndexLogIsFoundPastTheWindow checks that a key looked up further
// back than the window holds still finds the cases indexed under it whose
// rows wait in the log (which has no index by key): the window answers
// them beside dedup_keys.
func TestIndexLogIsFoundPastTheWindow(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	now := time.Now()
	in := casework.Intake{Channel: "110", Text: "某五金制品有限公司拖欠工资", Reporter: casework.Reporter{Name: "张某", Phone: "13800000001"}}
	c, ev, err := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{},
		casework.Actor{UserID: 1, Username: "admin", Role: casework.RoleAdmin}, now.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	keep := func(c casework.Case, evs []casework.Event, _ []casework.Case) DuplicateOutcome {
		return DuplicateOutcome{Case: c, Events: evs}
	}
	created, err := st.CreateCase(ctx, NewCase{Case: c, Events: []casework.Event{ev},
		Duplicates: &DuplicateCheck{Index: []string{"text:band-1"}, WindowOnly: []bool{true}, Decide: keep}})
	if err != nil {
		t.Fatal(err)
	}
	// The window as a bound leaves it: complete only from a minute ago.
	st.window.mu.Lock()
	st.window.from = micros(now.Add(-time.Minute))
	st.window.mu.Unlock()
	found, err := st.findDuplicates(ctx, []KeyLookup{{Key: "text:band-1", Since: now.Add(-2 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].ID != created.Case.ID {
		t.Fatalf("found %v, want the case whose row waits in the log (%d)", found, created.Case.ID)
	}
}

// TestWindowKeepsLoggedRows checks that the window's bound never drops a
// logged row (nothing else would find it), and that it
// shrinks again once they were spilled.
func TestWindowKeepsLoggedRows(t *testing.T) {
	now := time.Now()
	wi := newWindowIndex(time.Hour, 10)
	wi.from = micros(now.Add(-time.Hour))
	at := func(i int) int64 { return micros(now.Add(time.Duration(i-60) * time.Second)) }
	var rows []keyRow
	for i := range 20 {
		if !wi.admit(at(i)) {
			t.Fatalf("row %d within the window was not admitted to the log", i)
		}
		rows = append(rows, keyRow{k: int64(i % 3), at: at(i), id: int64(i), logged: true})
	}
	wi.add(rows, now)
	if cut, ok := wi.spillWanted(); wi.rows != 20 || !ok || cut <= wi.from {
		t.Fatalf("held %d rows (spill wanted before %d), want all 20 logged rows kept past the bound of 10 and a spill asked for", wi.rows, cut)
	}
	if wi.admit(micros(now.Add(-2 * time.Hour))) {
		t.Fatal("a row older than the window was admitted to the log")
	}
	wi.unpin(math.MaxInt64, now) // spilled
	if _, ok := wi.spillWanted(); wi.rows > 10 || ok {
		t.Fatalf("held %d rows after the spill (spill wanted %v), want at most the bound of 10", wi.rows, ok)
	}
}

// TestIndexLogSpillsWhenTheWindowIsFull checks that a window at its bound
// whose oldest rows are logged ones has the writer move them to
// dedup_keys, behind the write that filled it (in chunks when a spill
// may move fewer rows than the window wants gone), and that every key
// still answers what the database holds.
func TestIndexLogSpillsWhenTheWindowIsFull(t *testing.T) {
	for _, chunk := range []int{spillChunk, 1} {
		t.Run(fmt.Sprint("chunk ", chunk), func(t *testing.T) { testIndexLogSpills(t, chunk) })
	}
}

func testIndexLogSpills(t *testing.T, chunk int) {
	ctx := context.Background()
	st := openSQLite(t)
	st.spillChunk = chunk
	now := time.Now()
	st.window = newWindowIndex(windowSpan, 8) // before any write
	st.window.from = micros(now.Add(-windowSpan))
	var keys []string
	for i := range 6 {
		k := []string{fmt.Sprintf("text:band-%d", i), fmt.Sprintf("cell:%d", i%2)}
		keys = append(keys, k...)
		if err := st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
			return st.indexKeys(ctx, tx, k, []bool{true, true}, int64(i+1), now.Add(time.Duration(i)*time.Minute))
		}); err != nil {
			t.Fatal(err)
		}
	}
	// The spill was queued behind the last write: a write queued after it
	// returns once it committed. A spill in chunks queues the next chunk
	// after each commit.
	for range 8 {
		if err := st.w.do(ctx, func(context.Context, *sql.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	var spilled, left int
	if err := st.rdb.QueryRow(`SELECT (SELECT COUNT(*) FROM dedup_keys), (SELECT COUNT(*) FROM dedup_log)`).Scan(&spilled, &left); err != nil {
		t.Fatal(err)
	}
	if spilled == 0 || spilled+left != 12 {
		t.Fatalf("%d rows spilled to dedup_keys, %d left in the log, want some spilled and 12 in all", spilled, left)
	}
	if st.window.rows > 8+2 {
		t.Fatalf("the window holds %d rows after the spill, want about its bound of 8", st.window.rows)
	}
	if cut, ok := st.window.spillWanted(); ok {
		t.Fatalf("the window still wants a spill before %d", cut)
	}
	var hashes, sinces []int64
	for _, k := range keys {
		hashes, sinces = append(hashes, keyHash(k)), append(sinces, micros(now.Add(-time.Hour)))
	}
	got := map[int64][]hit{}
	rest, restSinces := st.window.lookup(hashes, sinces, got)
	if len(rest) == 0 {
		t.Fatal("no key was left for dedup_keys: the window did not move")
	}
	if err := st.lookupKeys(ctx, rest, restSinces, got); err != nil {
		t.Fatal(err)
	}
	for k := range got {
		got[k] = newestHits(got[k])
	}
	if db := databaseIndex(t, st, hashes, sinces); !maps.EqualFunc(got, db, slices.Equal) {
		t.Fatalf("window and dedup_keys answered %v, the database holds %v", got, db)
	}
}

// TestSpillSeesTheBatchsIndexRows checks that a spill of the index log
// running in the same batch after a write moves that write's rows too,
// although a batch writes its index rows together at its end: the spill
// has the batch flushed first.
func TestSpillSeesTheBatchsIndexRows(t *testing.T) {
	st := openSQLite(t)
	now := time.Now()
	keys := []string{"text:band-1", "cell:1", "phone:13800000001"}
	write := writeOp{ctx: context.Background(), done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		return st.indexKeys(ctx, tx, keys, []bool{true, true, false}, 1, now.Add(-time.Hour))
	}}
	cut := micros(now)
	spill := writeOp{ctx: context.Background(), done: make(chan error, 1), barrier: true, fn: func(ctx context.Context, tx *sql.Tx) error {
		return st.spillKeyLog(ctx, tx, cut)
	}}
	// One batch, run on this goroutine while the writer's loop waits.
	st.w.commit([]writeOp{write, spill})
	if err := errors.Join(<-write.done, <-spill.done); err != nil {
		t.Fatal(err)
	}
	if n := logRows(t, st); n != 0 {
		t.Fatalf("%d rows left in the index log: the spill ran before the batch's rows were written", n)
	}
	var hashes, sinces []int64
	for _, k := range keys {
		hashes, sinces = append(hashes, keyHash(k)), append(sinces, micros(now.Add(-2*time.Hour)))
	}
	db := map[int64][]hit{}
	if err := st.lookupKeys(context.Background(), hashes, sinces, db); err != nil {
		t.Fatal(err)
	}
	if len(db) != 3 {
		t.Fatalf("dedup_keys holds %v, want the three keys", db)
	}
}

// TestSpillMovesAChunk checks that one spill moves at most about
// spillChunk of the oldest logged rows, whatever cut it was asked for,
// and that the window and the database agree after each.
func TestSpillMovesAChunk(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	st.spillChunk = 3
	now := time.Now()
	var hashes, sinces []int64
	for i := range 6 {
		k := []string{fmt.Sprintf("text:band-%d", i), fmt.Sprintf("cell:%d", i%2)}
		for _, key := range k {
			hashes, sinces = append(hashes, keyHash(key)), append(sinces, micros(now.Add(-time.Hour)))
		}
		if err := st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
			return st.indexKeys(ctx, tx, k, []bool{true, true}, int64(i+1), now.Add(time.Duration(i)*time.Minute))
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []int{2, 4, 6} {
		if err := st.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
			return st.spillKeyLog(ctx, tx, micros(now.Add(time.Hour)))
		}); err != nil {
			t.Fatal(err)
		}
		var spilled, left int
		if err := st.rdb.QueryRow(`SELECT (SELECT COUNT(*) FROM dedup_keys), (SELECT COUNT(*) FROM dedup_log)`).Scan(&spilled, &left); err != nil {
			t.Fatal(err)
		}
		if spilled != want || left != 12-want {
			t.Fatalf("%d rows spilled and %d left, want the oldest %d spilled (the oldest case's rows per spill of 3)", spilled, left, want)
		}
		got, rest := windowAnswer(st.window, hashes, sinces)
		if len(rest) != 0 {
			t.Fatalf("%d keys left for SQLite", len(rest))
		}
		if db := databaseIndex(t, st, hashes, sinces); !maps.EqualFunc(got, db, slices.Equal) {
			t.Fatalf("the window answered %v, the database holds %v", got, db)
		}
	}
}
