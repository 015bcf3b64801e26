package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// keyHash stores a duplicate-index key as a 64-bit hash: a fixed, small
// row whatever the key's text; a rare collision only adds a candidate that
// the comparison then rejects.
func keyHash(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int64(h.Sum64())
}

// perKey bounds the rows read for one key: a firm named in hundreds of
// cases a month must not flood the check.
const perKey = 16

// lookupDuplicates reads the cases indexed under the keys within their
// look-backs and loads the most recent of them. Each key is one bounded
// range of the (key, time) index, newest first: never a scan of history.
func (s *Store) lookupDuplicates(ctx context.Context, tx *sql.Tx, lookups []KeyLookup) ([]casework.Case, error) {
	if len(lookups) == 0 {
		return nil, nil
	}
	parts := make([]string, 0, len(lookups))
	args := make([]any, 0, 3*len(lookups))
	for i, l := range lookups {
		parts = append(parts, fmt.Sprintf(`SELECT case_id, at FROM (SELECT case_id, at FROM dedup_keys WHERE k = ? AND at >= ?
			ORDER BY at DESC LIMIT ?) AS k%d`, i))
		args = append(args, keyHash(l.Key), micros(l.Since), perKey)
	}
	rows, err := tx.QueryContext(ctx, s.rebind(strings.Join(parts, " UNION ALL ")), args...)
	if err != nil {
		return nil, fmt.Errorf("store: duplicate lookup: %w", err)
	}
	seen := map[int64]int64{} // case id → latest time it was indexed
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return nil, err
		}
		if at > seen[id] {
			seen[id] = at
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return seen[ids[i]] > seen[ids[j]] })
	if len(ids) > maxCandidates {
		ids = ids[:maxCandidates]
	}
	if len(ids) == 0 {
		return nil, nil
	}
	args = make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err = tx.QueryContext(ctx, s.rebind(`SELECT `+caseColumns+` FROM cases WHERE id IN (`+placeholders(len(ids))+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: load duplicates: %w", err)
	}
	defer rows.Close()
	var out []casework.Case
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// indexKeys indexes a case under keys at a time.
func (s *Store) indexKeys(ctx context.Context, tx *sql.Tx, keys []string, caseID int64, at time.Time) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, s.query("insert_dedup_key"), keyHash(k), micros(at), caseID); err != nil {
			return fmt.Errorf("store: index key: %w", err)
		}
	}
	return nil
}

// PruneDuplicateKeys drops index rows older than any look-back reaches.
func (s *Store) PruneDuplicateKeys(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.query("prune_dedup_keys"), micros(before))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
