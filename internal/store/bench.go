package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// RawInsertRate is the baseline a benchmark compares intake with: n rows
// like the given case inserted into a scratch copy of the cases table
// (same columns, same indexes, same durability), perTx rows per
// transaction, one transaction after the other. It answers rows per
// second and drops the scratch table.
func (s *Store) RawInsertRate(ctx context.Context, c casework.Case, n, perTx int) (float64, error) {
	ddl := []string{
		`DROP TABLE IF EXISTS bench_raw`,
		`CREATE TABLE bench_raw AS SELECT * FROM cases WHERE 1 = 0`,
		`CREATE INDEX bench_raw_created ON bench_raw(created_at, id)`,
		`CREATE INDEX bench_raw_status ON bench_raw(status, created_at)`,
		`CREATE INDEX bench_raw_line ON bench_raw(line, created_at)`,
		`CREATE INDEX bench_raw_unit ON bench_raw(unit_id, created_at)`,
		`CREATE INDEX bench_raw_origin ON bench_raw(origin_unit_id, created_at)`,
	}
	if err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, q := range ddl {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return 0, fmt.Errorf("store: scratch table: %w", err)
	}
	defer s.w.do(context.Background(), func(ctx context.Context, tx *sql.Tx) error { //nolint:errcheck // best effort
		_, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS bench_raw`)
		return err
	})
	insert := s.rebind(`INSERT INTO bench_raw (id, number, line, channel, status, category, type, police, risk, priority, text,
		reporter_name, reporter_phone, address, occurred_at, external_id, returns, repeats, extra, created_by, version,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, '{}', ?, 1, ?, ?)`)
	st, err := s.wdb.PrepareContext(ctx, insert)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	start := time.Now()
	for i := 0; i < n; i += perTx {
		err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
			for j := i; j < min(i+perTx, n); j++ {
				at := micros(c.CreatedAt) + int64(j)
				if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, j+1, fmt.Sprintf("BENCH-%d", j), string(c.Line), c.Channel,
					string(c.Status), c.Category, c.Type, boolInt(c.Police), c.Risk, c.Priority, c.Text, c.Reporter.Name,
					c.Reporter.Phone, c.Address, at, "", c.CreatedBy, at, at); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("store: raw insert: %w", err)
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// FindDuplicates runs the read side of the duplicate check: the cases
// sharing the lookups' keys, most telling first.
func (s *Store) FindDuplicates(ctx context.Context, lookups []KeyLookup) ([]casework.Case, error) {
	return s.findDuplicates(ctx, lookups)
}

// DuplicateIndexRows answers how many rows the duplicate index holds (on
// SQLite, with the rows of its log).
func (s *Store) DuplicateIndexRows(ctx context.Context) (int64, error) {
	q := `SELECT COUNT(*) FROM dedup_keys`
	if s.dialect == SQLite {
		q = `SELECT (SELECT COUNT(*) FROM dedup_keys) + (SELECT COUNT(*) FROM dedup_log)`
	}
	var n int64
	err := s.rdb.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}
