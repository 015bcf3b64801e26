package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// BulkCase is a case with its whole timeline, for loading a history.
type BulkCase struct {
	Case   casework.Case
	Events []casework.Event
	// Keys are the duplicate-index keys of the case, for the recent part of
	// a history only (the index keeps a month).
	Keys []string

	prepared  bool
	next      *time.Time
	eventData []string
	extra     string
}

// resolvePlaceholder turns a reference to an earlier case of the same
// batch, written -(position+1) by a generator that has no ids yet, into
// the id the case got.
func resolvePlaceholder(id *int64, base int64) {
	if id != nil && *id < 0 {
		*id = base - *id
	}
}

// relink writes a merge event again with the master's real id and number.
// The event is encoded again only for a prepared case: PrepareBulk encodes
// the others' events afterwards.
func relink(b *BulkCase, into int64, number string) error {
	for i, ev := range b.Events {
		if ev.Action != casework.ActionMerge {
			continue
		}
		ev.Details = map[string]any{"into": into, "into_number": number}
		if ch, ok := ev.Changes["duplicate_of"]; ok {
			ch.To = into
			ev.Changes["duplicate_of"] = ch
		}
		b.Events[i] = ev
		if !b.prepared {
			continue
		}
		data, err := encodeEvent(ev)
		if err != nil {
			return err
		}
		b.eventData[i] = data
	}
	return nil
}

// PrepareBulk does a history case's share of the work that needs no
// database: its deadlines as of now, its encoded events. It is safe to
// call from many goroutines, so that a loader can keep the writer busy
// with SQL only.
func (s *Store) PrepareBulk(b *BulkCase, now time.Time) error {
	b.Case.Deadlines, b.next = s.clocks.Load().Deadlines(&b.Case, b.Events, now)
	b.eventData = make([]string, len(b.Events))
	for i, ev := range b.Events {
		data, err := encodeEvent(ev)
		if err != nil {
			return err
		}
		b.eventData[i] = data
	}
	var err error
	if b.extra, err = caseExtra(b.Case); err != nil {
		return err
	}
	b.prepared = true
	return nil
}

// bulkRows is how many rows one prepared multi-row insert writes.
const bulkRows = 64

type bulkTable struct {
	name     string
	cols     string
	n        int
	conflict string
}

var (
	bulkCases = bulkTable{name: "cases", cols: "id, " + caseColumns[strings.Index(caseColumns, "number"):], n: 33}
	bulkEvts  = bulkTable{name: "case_events", cols: "case_id, seq, action, at, actor_id, actor, unit_id, note, data", n: 9}
	bulkUnits = bulkTable{name: "case_units", cols: "case_id, unit_id, role", n: 3, conflict: " ON CONFLICT DO NOTHING"}
	bulkKeys  = bulkTable{name: "dedup_keys", cols: "k, at, case_id", n: 3, conflict: " ON CONFLICT DO NOTHING"}
	bulkLog   = bulkTable{name: "dedup_log", cols: "k, at, case_id", n: 3, conflict: " ON CONFLICT DO NOTHING"}
	bulkStage = bulkTable{name: "stage_times", cols: "case_id, stage, line, created_at, started_at, due_at, met_at, breached, status", n: 9}
	bulkClock = bulkTable{name: "case_clocks", cols: "case_id, next_fire_at", n: 2}

	bulkTables = []bulkTable{bulkCases, bulkEvts, bulkUnits, bulkStage, bulkClock}
)

// bulkSizes are the row counts the multi-row inserts are prepared for:
// rows go bulkRows at a time, a remainder in the largest sizes that fit.
var bulkSizes = []int{bulkRows, 32, 16, 8, 4, 2, 1}

// insertRows writes rows in multi-row statements of bulkSizes.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, t bulkTable, rows [][]any) error {
	for len(rows) > 0 {
		n := bulkSizes[slices.IndexFunc(bulkSizes, func(n int) bool { return n <= len(rows) })]
		st, ok := s.bulk.Load(fmt.Sprintf("%s/%d", t.name, n))
		if !ok {
			return fmt.Errorf("store: bulk insert into %s of %d rows not prepared", t.name, n)
		}
		args := make([]any, 0, n*t.n)
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := tx.StmtContext(ctx, st.(*sql.Stmt)).ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("store: bulk insert into %s: %w", t.name, err)
		}
		rows = rows[n:]
	}
	return nil
}

// prepareBulk prepares the multi-row inserts of tables, every size.
func (s *Store) prepareBulk(ctx context.Context, tables ...bulkTable) error {
	for _, t := range tables {
		for _, n := range bulkSizes {
			if _, err := s.bulkStmt(ctx, t, n); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) bulkStmt(ctx context.Context, t bulkTable, n int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d", t.name, n)
	if st, ok := s.bulk.Load(key); ok {
		return st.(*sql.Stmt), nil
	}
	row := "(" + placeholders(t.n) + ")"
	q := "INSERT INTO " + t.name + " (" + t.cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + t.conflict
	st, err := s.wdb.PrepareContext(ctx, s.rebind(q))
	if err != nil {
		return nil, fmt.Errorf("store: prepare bulk insert into %s: %w", t.name, err)
	}
	s.bulk.Store(key, st)
	return st, nil
}

// LoadHistory writes cases with their timelines in one transaction at full
// speed: multi-row inserts, numbers and rollups counted in memory and
// written once, and the same derived tables a live write keeps (rollups,
// status counts, SLA stage records and clocks, co-units). It is for
// loading generated or migrated histories; live writes go through
// CreateCase and Act.
func (s *Store) LoadHistory(ctx context.Context, batch []BulkCase, now time.Time) error {
	// The multi-row inserts are prepared before the transaction: the write
	// connection is the transaction's while it runs.
	if err := s.prepareBulk(ctx, bulkTables...); err != nil {
		return err
	}
	// Once: the batch's links are resolved in place as it runs.
	return s.w.doOnce(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var maxID int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&maxID); err != nil {
			return fmt.Errorf("store: max case id: %w", err)
		}
		base := maxID // the batch's cases get ids base+1, base+2, …
		counters := map[[2]string]int64{}
		var cases, evs, units, stages, clocks [][]any
		d := deltasFrom(ctx) // the duplicate-index rows, written with the batch's flush
		counts := newDeltas()
		for i := range batch {
			b := &batch[i]
			c := &b.Case
			maxID++
			c.ID = maxID
			if c.DuplicateOf != nil && *c.DuplicateOf < 0 {
				resolvePlaceholder(c.DuplicateOf, base)
				if err := relink(b, *c.DuplicateOf, batch[*c.DuplicateOf-base-1].Case.Number); err != nil {
					return err
				}
			}
			resolvePlaceholder(c.RepeatOf, base)
			day := c.CreatedAt.In(s.loc)
			ck := [2]string{string(c.Line), day.Format("20060102")}
			if _, ok := counters[ck]; !ok {
				var n int64
				err := tx.QueryRowContext(ctx, s.rebind(`SELECT n FROM case_counters WHERE line = ? AND day = ?`), ck[0], ck[1]).Scan(&n)
				if err != nil && err != sql.ErrNoRows {
					return fmt.Errorf("store: case counter: %w", err)
				}
				counters[ck] = n
			}
			counters[ck]++
			c.Number = casework.FormatNumber(c.Line, day, counters[ck])
			for j := range b.Events {
				b.Events[j].CaseID = c.ID
			}
			if !b.prepared {
				if err := s.PrepareBulk(b, now); err != nil {
					return err
				}
			}
			cases = append(cases, append([]any{c.ID}, caseRow(*c, b.extra)...))
			for j, ev := range b.Events {
				evs = append(evs, eventRow(ev, b.eventData[j]))
			}
			units = append(units, caseUnitRows(c)...)
			for _, k := range b.Keys {
				d.keys = append(d.keys, keyRow{k: keyHash(k), at: micros(c.CreatedAt), id: c.ID})
			}
			for _, d := range c.Deadlines {
				if r, ok := rowOf(d); ok {
					stages = append(stages, r.columns(c, d.Stage))
				}
			}
			if b.next != nil {
				clocks = append(clocks, []any{c.ID, micros(*b.next)})
			}
			counts.add(s.rollupKeyOf(c), 1)
		}
		for _, step := range []struct {
			t    bulkTable
			rows [][]any
		}{{bulkCases, cases}, {bulkEvts, evs}, {bulkUnits, units}, {bulkStage, stages}, {bulkClock, clocks}} {
			if err := s.insertRows(ctx, tx, step.t, step.rows); err != nil {
				return err
			}
		}
		for ck, n := range counters {
			if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO case_counters (line, day, n) VALUES (?, ?, ?)
				ON CONFLICT (line, day) DO UPDATE SET n = excluded.n`), ck[0], ck[1], n); err != nil {
				return fmt.Errorf("store: case counters: %w", err)
			}
		}
		if err := s.flushCounts(ctx, tx, counts); err != nil {
			return err
		}
		if s.dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))`); err != nil {
				return fmt.Errorf("store: case id sequence: %w", err)
			}
		}
		return nil
	})
}
