package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
)

// project keeps the derived tables in step with a case's change, in the
// transaction that wrote the event: co-units, status counts, the
// statistics rollups and the SLA stage record. before is nil for a new case.
func (s *Store) project(ctx context.Context, tx *sql.Tx, before, after *casework.Case) error {
	if before == nil && after.Routing != nil {
		if err := s.insertCaseUnits(ctx, tx, after); err != nil {
			return err
		}
	}
	if err := s.projectCounts(ctx, before, after); err != nil {
		return err
	}
	return s.projectStages(ctx, tx, before == nil, after)
}

// rollupKey is where a case counts in the rollups.
type rollupKey struct {
	day      int
	line     string
	category string
	unit     int64
	status   string
	outcome  string
}

func (s *Store) rollupKeyOf(c *casework.Case) rollupKey {
	k := rollupKey{day: s.dayOf(c.CreatedAt), line: string(c.Line), category: c.Category, status: string(c.Status)}
	if c.UnitID != nil {
		k.unit = *c.UnitID
	}
	if c.Outcome != nil {
		k.outcome = string(*c.Outcome)
	}
	return k
}

// dayOf is the zone's calendar day of a time as YYYYMMDD.
func (s *Store) dayOf(t time.Time) int {
	y, m, d := t.In(s.loc).Date()
	return y*10000 + int(m)*100 + d
}

// projectCounts moves a case between the cells of the status counts and
// the rollups when what they count it by changed. It runs inside the
// writer, where the moves are added up and written once per batch
// (flushCounts).
func (s *Store) projectCounts(ctx context.Context, before, after *casework.Case) error {
	nk := s.rollupKeyOf(after)
	var ok rollupKey
	if before != nil {
		if ok = s.rollupKeyOf(before); ok == nk {
			return nil
		}
	}
	d := deltasFrom(ctx)
	if before != nil {
		d.add(ok, -1)
	}
	d.add(nk, 1)
	return nil
}

// deltas are the changes a batch of writes makes to the counters.
type deltas struct {
	day    map[rollupKey]int
	unit   map[rollupKey]int
	status map[[2]string]int
	// keys are the duplicate-index rows to write (flushKeys writes those
	// from flushedKeys on) and, once they committed, for the window index.
	keys        []keyRow
	flushedKeys int
	// unpinned says the batch spilled or pruned the index log: its rows
	// left are at or after pinAt, but for those of keys from
	// keysAfterUnpin on, written after that.
	unpinned       bool
	pinAt          int64
	keysAfterUnpin int
	// written holds the summaries of the cases written (SQLite), for the
	// summary cache once they committed; prior is what the batch's
	// earlier requests wrote, for a request's own reads (summary).
	written map[int64]casework.Case
	prior   *deltas
	// marks holds the clock marks of the cases written, at the version
	// written, for the batch's later requests and, once they committed,
	// for the cache (clockMarks).
	marks map[int64]markEntry
	// numbers holds the last case number the batch took per line and
	// day. Only a line-day's first creation in a batch counts in
	// case_counters; the others count on from here and flushNumbers
	// saves the last, so thirty creations update the counter row once.
	numbers map[[2]string]caseNumber
}

type caseNumber struct {
	n     int64
	saved bool // the counter row holds n
}

// lastNumber answers the last case number this request or the batch's
// earlier ones took for line-day k, if they took one.
func (d *deltas) lastNumber(k [2]string) (int64, bool) {
	for ; d != nil; d = d.prior {
		if v, ok := d.numbers[k]; ok {
			return v.n, true
		}
	}
	return 0, false
}

// tookNumber records that the request took case number n for line-day
// k; saved says the counter row already holds it.
func (d *deltas) tookNumber(k [2]string, n int64, saved bool) {
	if d == nil {
		return
	}
	if d.numbers == nil {
		d.numbers = map[[2]string]caseNumber{}
	}
	d.numbers[k] = caseNumber{n: n, saved: saved}
}

// summary answers the summary of case id as this request or the batch's
// earlier ones wrote it, if they did.
func (d *deltas) summary(id int64) (casework.Case, bool) {
	if c, ok := d.written[id]; ok {
		return c, true
	}
	if d.prior != nil {
		return d.prior.summary(id)
	}
	return casework.Case{}, false
}

// unpin notes that the index log's rows left are at or after at.
func (d *deltas) unpin(at int64) {
	d.unpinned, d.pinAt, d.keysAfterUnpin = true, at, len(d.keys)
}

func newDeltas() *deltas {
	return &deltas{day: map[rollupKey]int{}, unit: map[rollupKey]int{}, status: map[[2]string]int{}}
}

func (d *deltas) add(k rollupKey, n int) {
	d.unit[k] += n
	d.status[[2]string{k.line, k.status}] += n
	k.unit = 0
	d.day[k] += n
}

func (d *deltas) merge(o *deltas) {
	for k, n := range o.day {
		d.day[k] += n
	}
	for k, n := range o.unit {
		d.unit[k] += n
	}
	for k, n := range o.status {
		d.status[k] += n
	}
	if o.unpinned {
		d.unpinned, d.pinAt, d.keysAfterUnpin = true, o.pinAt, len(d.keys)+o.keysAfterUnpin
	}
	d.keys = append(d.keys, o.keys...)
	if len(o.written) > 0 && d.written == nil {
		d.written = make(map[int64]casework.Case, len(o.written))
	}
	maps.Copy(d.written, o.written)
	if len(o.marks) > 0 && d.marks == nil {
		d.marks = make(map[int64]markEntry, len(o.marks))
	}
	maps.Copy(d.marks, o.marks)
	if len(o.numbers) > 0 && d.numbers == nil {
		d.numbers = make(map[[2]string]caseNumber, len(o.numbers))
	}
	maps.Copy(d.numbers, o.numbers)
}

// empty says there is nothing left to flush.
func (d *deltas) empty() bool {
	if len(d.day) > 0 || len(d.unit) > 0 || len(d.status) > 0 || d.flushedKeys < len(d.keys) {
		return false
	}
	for _, v := range d.numbers {
		if !v.saved {
			return false
		}
	}
	return true
}

type deltasKey struct{}

func withDeltas(ctx context.Context, d *deltas) context.Context {
	return context.WithValue(ctx, deltasKey{}, d)
}

func deltasFrom(ctx context.Context) *deltas {
	d, _ := ctx.Value(deltasKey{}).(*deltas)
	return d
}

// flushBatch writes what the batch's writes left for its end: the
// counters' changes and the duplicate-index rows. It may run more than
// once in a batch (before a write that must see the index rows: see
// writer.barrier); each run writes what the last left.
func (s *Store) flushBatch(ctx context.Context, tx *sql.Tx, d *deltas) error {
	if err := s.flushNumbers(ctx, tx, d); err != nil {
		return err
	}
	if err := s.flushCounts(ctx, tx, d); err != nil {
		return err
	}
	clear(d.day)
	clear(d.unit)
	clear(d.status)
	return s.flushKeys(ctx, tx, d)
}

// flushNumbers saves in case_counters the last case number the batch took
// per line and day, where the row does not hold it yet.
func (s *Store) flushNumbers(ctx context.Context, tx *sql.Tx, d *deltas) error {
	for k, v := range d.numbers {
		if v.saved {
			continue
		}
		if _, err := s.txExec(ctx, tx, "save_case_number", v.n, k[0], k[1]); err != nil {
			return fmt.Errorf("store: case counter: %w", err)
		}
		d.numbers[k] = caseNumber{n: v.n, saved: true}
	}
	return nil
}

// flushCounts writes the counters' changes, skipping the ones that cancel
// out (a case received and dispatched in the same batch).
func (s *Store) flushCounts(ctx context.Context, tx *sql.Tx, d *deltas) error {
	for k, n := range d.status {
		if n == 0 {
			continue
		}
		if _, err := s.txExec(ctx, tx, "bump_status", k[0], k[1], n); err != nil {
			return fmt.Errorf("store: status counts: %w", err)
		}
	}
	for _, r := range []struct {
		query  string
		byUnit bool
		counts map[rollupKey]int
	}{
		{"bump_rollup_day", false, d.day},
		{"bump_rollup_unit", true, d.unit},
		{"bump_rollup_month", false, byMonth(d.day)},
		{"bump_rollup_unit_month", true, byMonth(d.unit)},
	} {
		for k, n := range r.counts {
			if n == 0 {
				continue
			}
			args := []any{k.day, k.line, k.category}
			if r.byUnit {
				args = append(args, k.unit)
			}
			if _, err := s.txExec(ctx, tx, r.query, append(args, k.status, k.outcome, n)...); err != nil {
				return fmt.Errorf("store: %s: %w", r.query, err)
			}
		}
	}
	return nil
}

// byMonth adds up daily counts by month: the key's day YYYYMMDD becomes
// YYYYMM.
func byMonth(days map[rollupKey]int) map[rollupKey]int {
	months := make(map[rollupKey]int, len(days))
	for k, n := range days {
		k.day /= 100
		months[k] += n
	}
	return months
}

// stageRow is the record of one SLA stage that has stopped, breached or
// been cancelled.
type stageRow struct {
	startedAt, dueAt int64
	metAt            sql.NullInt64
	breached         bool
	status           string
}

// columns are the stage record's columns as upsert_stage and the bulk load
// write them.
func (r stageRow) columns(c *casework.Case, stage string) []any {
	var met any
	if r.metAt.Valid {
		met = r.metAt.Int64
	}
	return []any{c.ID, stage, string(c.Line), micros(c.CreatedAt), r.startedAt, r.dueAt, met, boolInt(r.breached), r.status}
}

func rowOf(d sla.Deadline) (stageRow, bool) {
	if d.MetAt == nil && !d.Breached && d.Status != sla.ClockCancelled {
		return stageRow{}, false
	}
	r := stageRow{startedAt: micros(d.StartedAt), dueAt: micros(d.DueAt), breached: d.Breached, status: string(d.Status)}
	if d.MetAt != nil {
		r.metAt = sql.NullInt64{Int64: micros(*d.MetAt), Valid: true}
	}
	if d.Status == sla.ClockBreached || d.Status == sla.ClockWarning {
		r.status = string(sla.ClockBreached) // still running, past due
	}
	return r, true
}

// projectStages records the stages that have stopped, breached or been
// cancelled, and forgets a stage a reopen restarted.
func (s *Store) projectStages(ctx context.Context, tx *sql.Tx, created bool, c *casework.Case) error {
	want := map[string]stageRow{}
	for _, d := range c.Deadlines {
		if r, ok := rowOf(d); ok {
			want[d.Stage] = r
		}
	}
	have := map[string]stageRow{}
	if !created {
		rows, err := s.txRows(ctx, tx, "stage_rows", c.ID)
		if err != nil {
			return fmt.Errorf("store: stage rows: %w", err)
		}
		for rows.Next() {
			var stage string
			var r stageRow
			var breached int
			if err := rows.Scan(&stage, &r.startedAt, &r.dueAt, &r.metAt, &breached, &r.status); err != nil {
				rows.Close()
				return err
			}
			r.breached = breached != 0
			have[stage] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for stage, r := range want {
		if have[stage] == r {
			continue
		}
		if _, err := s.txExec(ctx, tx, "upsert_stage", r.columns(c, stage)...); err != nil {
			return fmt.Errorf("store: stage %s: %w", stage, err)
		}
	}
	for stage := range have {
		if _, ok := want[stage]; !ok {
			if _, err := s.txExec(ctx, tx, "delete_stage", c.ID, stage); err != nil {
				return fmt.Errorf("store: stage %s: %w", stage, err)
			}
		}
	}
	return nil
}
