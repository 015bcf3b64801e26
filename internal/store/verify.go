package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/yizhan/yizhan/internal/casework"
)

// The consistency checks' queries. Each reads a whole table once and
// aggregates in SQL; what comes back to Go is a finding per bad row or a
// few thousand counters, never the history.
var verifyQueries = map[string]string{
	"quick_check": `PRAGMA quick_check`,
	// A case's events are numbered 1..n (seq is its primary key's second
	// half, so 1..n holds exactly when the smallest is 1 and the largest
	// n) and the case's version is the last one's seq. Events of a case
	// that is not there show with no number.
	"event_numbers": `SELECT e.case_id, COALESCE(c.number, ''), c.version, e.n, e.lo, e.hi
		FROM (SELECT case_id, COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM case_events GROUP BY case_id) e
		LEFT JOIN cases c ON c.id = e.case_id
		WHERE c.id IS NULL OR e.lo <> 1 OR e.hi <> e.n OR c.version <> e.hi
		ORDER BY e.case_id`,
	"cases_without_events": `SELECT c.id, c.number FROM cases c
		WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id) ORDER BY c.id`,
	// A merged case points at another case that exists, and only merged
	// cases point at one.
	"duplicate_of": `SELECT c.id, c.number, c.status, c.duplicate_of, d.id FROM cases c
		LEFT JOIN cases d ON d.id = c.duplicate_of
		WHERE (c.duplicate_of IS NOT NULL AND (d.id IS NULL OR c.duplicate_of = c.id))
		   OR (c.status = ? AND c.duplicate_of IS NULL)
		   OR (c.status <> ? AND c.duplicate_of IS NOT NULL)
		ORDER BY c.id`,
	// The cases by every key a counter table counts them by.
	"case_cells": `SELECT line, category, COALESCE(unit_id, 0), status, COALESCE(outcome, ''), COUNT(*) FROM cases
		GROUP BY line, category, COALESCE(unit_id, 0), status, COALESCE(outcome, '')`,
	"status_counts": `SELECT line, '', 0, status, '', n FROM status_counts`,
	"rollup_day": `SELECT line, category, 0, status, outcome, CAST(SUM(n) AS BIGINT) FROM rollup_day
		GROUP BY line, category, status, outcome`,
	"rollup_month": `SELECT line, category, 0, status, outcome, CAST(SUM(n) AS BIGINT) FROM rollup_month
		GROUP BY line, category, status, outcome`,
	"rollup_unit": `SELECT line, category, unit_id, status, outcome, CAST(SUM(n) AS BIGINT) FROM rollup_unit
		GROUP BY line, category, unit_id, status, outcome`,
	"rollup_unit_month": `SELECT line, category, unit_id, status, outcome, CAST(SUM(n) AS BIGINT) FROM rollup_unit_month
		GROUP BY line, category, unit_id, status, outcome`,
	// Each month of the monthly rollups adds up its days.
	"rollup_months": `SELECT m, by_unit, line, category, unit, status, outcome, CAST(SUM(dn) AS BIGINT), CAST(SUM(mn) AS BIGINT) FROM (
			SELECT day / 100 AS m, 0 AS by_unit, line, category, 0 AS unit, status, outcome, n AS dn, 0 AS mn FROM rollup_day
			UNION ALL SELECT month, 0, line, category, 0, status, outcome, 0, n FROM rollup_month
			UNION ALL SELECT day / 100, 1, line, category, unit_id, status, outcome, n, 0 FROM rollup_unit
			UNION ALL SELECT month, 1, line, category, unit_id, status, outcome, 0, n FROM rollup_unit_month) t
		GROUP BY m, by_unit, line, category, unit, status, outcome HAVING SUM(dn) <> SUM(mn)
		ORDER BY m, by_unit, line, category, unit, status, outcome`,
	"negative_counts": `SELECT 'status_counts', COUNT(*) FROM status_counts WHERE n < 0
		UNION ALL SELECT 'rollup_day', COUNT(*) FROM rollup_day WHERE n < 0
		UNION ALL SELECT 'rollup_month', COUNT(*) FROM rollup_month WHERE n < 0
		UNION ALL SELECT 'rollup_unit', COUNT(*) FROM rollup_unit WHERE n < 0
		UNION ALL SELECT 'rollup_unit_month', COUNT(*) FROM rollup_unit_month WHERE n < 0`,
}

// Finding is one inconsistency the checks found.
type Finding struct {
	Check  string
	Detail string
}

// Check is one consistency check and what it found.
type Check struct {
	Name     string
	Title    string
	Findings int64
	// Skipped says why the check did not run on this backend.
	Skipped string
}

// Verify checks the store's consistency, all in one snapshot so that a
// server writing meanwhile causes no false alarm: the database file's
// structure (SQLite), the event log against the cases, merged cases'
// links, and the counters (status_counts, the rollups) against the cases
// they count. Each finding goes to each as it is found; the answer is
// every check with its count.
func (m *Maintenance) Verify(ctx context.Context, each func(Finding) error) ([]Check, error) {
	if err := m.requireCurrent(ctx); err != nil {
		return nil, err
	}
	tx, err := m.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	v := &verifier{m: m, tx: tx, each: each}
	steps := []struct {
		name, title string
		run         func(context.Context, *Check) error
	}{
		{"integrity", "the database file's structure (SQLite PRAGMA quick_check)", v.integrity},
		{"event_numbers", "each case's events numbered 1..n, the case's version its last", v.eventNumbers},
		{"cases_without_events", "every case has its timeline", v.casesWithoutEvents},
		{"duplicate_of", "merged cases point at another existing case, and only they", v.duplicateOf},
		{"status_counts", "status_counts equal the cases counted by line and status", v.counter("status_counts", grainStatus)},
		{"rollup_day", "rollup_day adds up to the cases by line, category, status and outcome", v.counter("rollup_day", grainTotal)},
		{"rollup_month", "rollup_month adds up to the cases by line, category, status and outcome", v.counter("rollup_month", grainTotal)},
		{"rollup_unit", "rollup_unit adds up to the cases by unit as well", v.counter("rollup_unit", grainUnit)},
		{"rollup_unit_month", "rollup_unit_month adds up to the cases by unit as well", v.counter("rollup_unit_month", grainUnit)},
		{"rollup_months", "each month of the monthly rollups adds up its days", v.rollupMonths},
		{"negative_counts", "no counter below zero", v.negativeCounts},
	}
	checks := make([]Check, 0, len(steps))
	for _, s := range steps {
		c := Check{Name: s.name, Title: s.title}
		v.current = &c
		if err := s.run(ctx, &c); err != nil {
			return checks, err
		}
		checks = append(checks, c)
	}
	return checks, nil
}

type verifier struct {
	m       *Maintenance
	tx      *sql.Tx
	each    func(Finding) error
	current *Check
	// cells are the cases counted by every key a counter counts by,
	// read once for all the counters.
	cells map[cell]int64
}

func (v *verifier) find(format string, args ...any) error {
	v.current.Findings++
	return v.each(Finding{Check: v.current.Name, Detail: fmt.Sprintf(format, args...)})
}

func (v *verifier) query(ctx context.Context, name string, args ...any) (*sql.Rows, error) {
	rows, err := v.tx.QueryContext(ctx, v.m.s.rebind(verifyQueries[name]), args...)
	if err != nil {
		return nil, fmt.Errorf("store: verify %s: %w", name, err)
	}
	return rows, nil
}

// scan runs a query and hands each row to row.
func (v *verifier) scan(ctx context.Context, name string, row func(*sql.Rows) error, args ...any) error {
	rows, err := v.query(ctx, name, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: verify %s: %w", name, err)
	}
	return nil
}

func (v *verifier) integrity(ctx context.Context, c *Check) error {
	if v.m.s.dialect != SQLite {
		c.Skipped = "PostgreSQL checks its own pages; pg_amcheck verifies tables and indexes"
		return nil
	}
	return v.scan(ctx, "quick_check", func(r *sql.Rows) error {
		var line string
		if err := r.Scan(&line); err != nil {
			return err
		}
		if line == "ok" {
			return nil
		}
		return v.find("%s", line)
	})
}

func (v *verifier) eventNumbers(ctx context.Context, _ *Check) error {
	return v.scan(ctx, "event_numbers", func(r *sql.Rows) error {
		var id, n, lo, hi int64
		var number string
		var version sql.NullInt64
		if err := r.Scan(&id, &number, &version, &n, &lo, &hi); err != nil {
			return err
		}
		switch {
		case !version.Valid:
			return v.find("case %d is not in the cases table but has %d events", id, n)
		case lo != 1 || hi != n:
			return v.find("case %d (%s): its %d events are numbered %d..%d, not 1..%d", id, number, n, lo, hi, n)
		default:
			return v.find("case %d (%s): version %d, but its last event is %d", id, number, version.Int64, hi)
		}
	})
}

func (v *verifier) casesWithoutEvents(ctx context.Context, _ *Check) error {
	return v.scan(ctx, "cases_without_events", func(r *sql.Rows) error {
		var id int64
		var number string
		if err := r.Scan(&id, &number); err != nil {
			return err
		}
		return v.find("case %d (%s) has no events", id, number)
	})
}

func (v *verifier) duplicateOf(ctx context.Context, _ *Check) error {
	merged := string(casework.StatusMerged)
	return v.scan(ctx, "duplicate_of", func(r *sql.Rows) error {
		var id int64
		var number, status string
		var dup, target sql.NullInt64
		if err := r.Scan(&id, &number, &status, &dup, &target); err != nil {
			return err
		}
		switch {
		case dup.Valid && dup.Int64 == id:
			return v.find("case %d (%s) is a duplicate of itself", id, number)
		case dup.Valid && !target.Valid:
			return v.find("case %d (%s) is a duplicate of case %d, which does not exist", id, number, dup.Int64)
		case !dup.Valid:
			return v.find("case %d (%s) is merged but names no case it was merged into", id, number)
		default:
			return v.find("case %d (%s) is %s but names case %d as the one it duplicates", id, number, status, dup.Int64)
		}
	}, merged, merged)
}

// cell is a key the counters count cases by; a coarser counter leaves
// the fields it does not count by empty.
type cell struct {
	line, category  string
	unit            int64
	status, outcome string
}

// A grain is the key of one counter table.
type grain int

const (
	grainStatus grain = iota // line, status
	grainTotal               // line, category, status, outcome
	grainUnit                // and the unit
)

func (g grain) of(c cell) cell {
	switch g {
	case grainStatus:
		return cell{line: c.line, status: c.status}
	case grainTotal:
		c.unit = 0
	}
	return c
}

func (c cell) String() string {
	parts := []string{"line " + c.line}
	if c.category != "" {
		parts = append(parts, "category "+c.category)
	}
	if c.unit != 0 {
		parts = append(parts, fmt.Sprintf("unit %d", c.unit))
	}
	parts = append(parts, "status "+c.status)
	if c.outcome != "" {
		parts = append(parts, "outcome "+c.outcome)
	}
	return strings.Join(parts, ", ")
}

// readCells reads a query of (line, category, unit, status, outcome, n)
// rows into counts at grain g.
func (v *verifier) readCells(ctx context.Context, name string, g grain) (map[cell]int64, error) {
	out := map[cell]int64{}
	err := v.scan(ctx, name, func(r *sql.Rows) error {
		var c cell
		var n int64
		if err := r.Scan(&c.line, &c.category, &c.unit, &c.status, &c.outcome, &n); err != nil {
			return err
		}
		out[g.of(c)] += n
		return nil
	})
	return out, err
}

// counter compares a counter table with the cases it counts, at its grain.
func (v *verifier) counter(table string, g grain) func(context.Context, *Check) error {
	return func(ctx context.Context, _ *Check) error {
		if v.cells == nil {
			cells, err := v.readCells(ctx, "case_cells", grainUnit)
			if err != nil {
				return err
			}
			v.cells = cells
		}
		want := map[cell]int64{}
		for c, n := range v.cells {
			want[g.of(c)] += n
		}
		got, err := v.readCells(ctx, table, g)
		if err != nil {
			return err
		}
		keys := slices.Collect(maps.Keys(want))
		for c := range got {
			if _, ok := want[c]; !ok {
				keys = append(keys, c)
			}
		}
		slices.SortFunc(keys, func(a, b cell) int { return strings.Compare(a.String(), b.String()) })
		for _, c := range keys {
			if got[c] != want[c] {
				if err := v.find("%s: %s counts %d, the cases table has %d", c, table, got[c], want[c]); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func (v *verifier) rollupMonths(ctx context.Context, _ *Check) error {
	return v.scan(ctx, "rollup_months", func(r *sql.Rows) error {
		var month, byUnit, days, months int64
		var c cell
		if err := r.Scan(&month, &byUnit, &c.line, &c.category, &c.unit, &c.status, &c.outcome, &days, &months); err != nil {
			return err
		}
		table := "rollup_month"
		if byUnit != 0 {
			table = "rollup_unit_month"
		}
		return v.find("month %d, %s: %s counts %d, its days add up to %d", month, c, table, months, days)
	})
}

func (v *verifier) negativeCounts(ctx context.Context, _ *Check) error {
	return v.scan(ctx, "negative_counts", func(r *sql.Rows) error {
		var table string
		var n int64
		if err := r.Scan(&table, &n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return v.find("%s has %d cells below zero", table, n)
	})
}
