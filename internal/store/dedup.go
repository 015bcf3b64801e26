package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/dedup"
)

// keyHash stores a duplicate-index key as a 64-bit hash: a fixed, small
// row whatever the key's text; a rare collision only adds a candidate that
// the comparison then rejects.
func keyHash(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int64(h.Sum64())
}

// perKey bounds the cases one key contributes (the most recent): a firm
// named in hundreds of reports a month must not flood the check. A weak
// key (a wording, a road, a name) on more than perKey cases in its
// look-back tells nothing and is dropped.
const perKey = 16

// findDuplicates reads the cases indexed under the keys within their
// look-backs and loads those sharing the most keys with the report. Each
// key reads at most its perKey+1 most recent rows.
func (s *Store) findDuplicates(ctx context.Context, lookups []KeyLookup) ([]casework.Case, error) {
	if len(lookups) == 0 {
		return nil, nil
	}
	weak := map[int64]bool{}
	var keys, sinces []int64
	for _, l := range lookups {
		k := keyHash(l.Key)
		if _, twice := weak[k]; twice {
			continue
		}
		weak[k] = l.Weak
		keys, sinces = append(keys, k), append(sinces, micros(l.Since))
	}
	byKey := make(map[int64][]hit, len(keys))
	if s.window != nil {
		keys, sinces = s.window.lookup(keys, sinces, byKey)
	}
	if err := s.lookupKeys(ctx, keys, sinces, byKey); err != nil {
		return nil, fmt.Errorf("store: duplicate lookup: %w", err)
	}
	seen := map[int64]int64{} // case id → latest time it was indexed
	hits := map[int64]int{}   // case id → keys it shares with the report
	for k, hs := range byKey {
		hs = newestHits(hs)
		if weak[k] && len(hs) > perKey {
			continue // shared by too many to tell anything
		}
		for _, h := range hs[:min(len(hs), perKey)] {
			if h.at > seen[h.id] {
				seen[h.id] = h.at
			}
			hits[h.id]++
		}
	}
	ids := make([]int64, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	// The cases sharing the most keys first (one shared text band is a weak
	// sign, a phone and a place a strong one), then the most recent.
	sort.Slice(ids, func(i, j int) bool {
		if hits[ids[i]] != hits[ids[j]] {
			return hits[ids[i]] > hits[ids[j]]
		}
		return seen[ids[i]] > seen[ids[j]]
	})
	if len(ids) > maxCandidates {
		ids = ids[:maxCandidates]
	}
	return s.loadSummaries(ctx, nil, ids)
}

// hit is one case indexed under a key, and when.
type hit struct{ id, at int64 }

// newestHits answers a key's perKey+1 newest rows, newest first, a row
// that both the window and dedup_keys answered (a key looked up past the
// window) once.
func newestHits(hs []hit) []hit {
	slices.SortFunc(hs, func(a, b hit) int { return cmp.Or(cmp.Compare(b.at, a.at), cmp.Compare(b.id, a.id)) })
	hs = slices.Compact(hs)
	return hs[:min(len(hs), perKey+1)]
}

// pgLookup reads every key's newest rows in one round trip to PostgreSQL.
var pgLookup = fmt.Sprintf(`SELECT u.k, d.case_id, d.at FROM unnest($1::bigint[], $2::bigint[]) AS u(k, since)
	CROSS JOIN LATERAL (SELECT case_id, at FROM dedup_keys WHERE k = u.k AND at >= u.since ORDER BY at DESC LIMIT %d) d`, perKey+1)

// lookupKeys reads each key's perKey+1 newest rows since its time, all
// keys in one statement (per 32 keys on SQLite, more than a report has).
func (s *Store) lookupKeys(ctx context.Context, keys, sinces []int64, byKey map[int64][]hit) error {
	if len(keys) == 0 {
		return nil
	}
	if s.dialect == Postgres {
		rows, err := s.rdb.QueryContext(ctx, pgLookup, keys, sinces)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k int64
			var h hit
			if err := rows.Scan(&k, &h.id, &h.at); err != nil {
				return err
			}
			byKey[k] = append(byKey[k], h)
		}
		return rows.Err()
	}
	most := lookupSizes[len(lookupSizes)-1]
	for start := 0; start < len(keys); start += most {
		end := min(start+most, len(keys))
		if err := s.lookupSQLite(ctx, keys[start:end], sinces[start:end], byKey); err != nil {
			return err
		}
	}
	return nil
}

// lookupSizes are the key counts the SQLite lookup is prepared for; the
// largest holds every key of a report (dedup.MaxQueryKeys is 30).
var lookupSizes = []int{4, 8, 16, 32}

// lookupSQLite reads up to lookupSizes' largest keys in one statement.
func (s *Store) lookupSQLite(ctx context.Context, keys, sinces []int64, byKey map[int64][]hit) error {
	n := lookupSizes[0]
	for n < len(keys) {
		n *= 2
	}
	args := make([]any, 0, 2*n)
	for i := range n {
		j := min(i, len(keys)-1)
		args = append(args, keys[j], sinces[j])
	}
	rows, err := s.rows(ctx, "dedup_lookup_"+strconv.Itoa(n), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	done := make(map[int64]bool, len(keys))
	for rows.Next() {
		var k int64
		var list sql.NullString
		if err := rows.Scan(&k, &list); err != nil {
			return err
		}
		if done[k] || !list.Valid {
			continue // a padding repeat, or no rows
		}
		done[k] = true
		for pair := range strings.SplitSeq(list.String, ",") {
			id, at, ok := strings.Cut(pair, ":")
			if !ok {
				return fmt.Errorf("store: duplicate index row %q", pair)
			}
			var h hit
			if h.id, err = strconv.ParseInt(id, 10, 64); err == nil {
				h.at, err = strconv.ParseInt(at, 10, 64)
			}
			if err != nil {
				return fmt.Errorf("store: duplicate index row %q: %w", pair, err)
			}
			byKey[k] = append(byKey[k], h)
		}
	}
	return rows.Err()
}

// summaryColumns are what the duplicate check reads of a candidate: far
// less than the whole case. Of the extra JSON (which holds, among other
// things, the candidates' long reasons) only the callers of merged
// duplicates and the time of the last report are taken, by the database.
const summaryColumns = `id, number, line, channel, status, category, type, text, reporter_phone, address, lat, lon,
	occurred_at, created_at, updated_at, version, ` + extraCallers + `, ` + extraLastReport

// The JSON fields the summaries read, as SQLite spells them; rebind turns
// them into PostgreSQL's.
const (
	extraCallers    = `COALESCE(json_extract(extra, '$.callers'), '')`
	extraLastReport = `COALESCE(json_extract(extra, '$.last_report_at'), '')`
	pgCallers       = `COALESCE(extra::jsonb ->> 'callers', '')`
	pgLastReport    = `COALESCE(extra::jsonb ->> 'last_report_at', '')`
)

// summaryOf is what readSummaries would read back of c once written: the
// same fields, its times as the database keeps them.
func (s *Store) summaryOf(c casework.Case) casework.Case {
	out := casework.Case{ID: c.ID, Number: c.Number, Line: c.Line, Channel: c.Channel, Status: c.Status,
		Category: c.Category, Type: c.Type, Text: c.Text, Address: c.Address, Version: c.Version,
		OccurredAt: s.fromMicros(micros(c.OccurredAt)), CreatedAt: s.fromMicros(micros(c.CreatedAt)),
		UpdatedAt: s.fromMicros(micros(c.UpdatedAt)), Callers: slices.Clone(c.Callers)}
	out.Reporter.Phone = c.Reporter.Phone
	if c.Location != nil {
		l := *c.Location
		out.Location = &l
	}
	if c.LastReportAt != nil {
		t := c.LastReportAt.In(s.loc)
		out.LastReportAt = &t
	}
	return out
}

// wrote notes, on SQLite, the summary of a case the write just inserted or
// updated: the writer's later requests of the batch read it
// (settleDuplicates), and the summary cache takes it once the batch
// committed.
func (s *Store) wrote(ctx context.Context, c casework.Case) {
	if d := deltasFrom(ctx); d != nil && s.summaries != nil {
		if d.written == nil {
			d.written = map[int64]casework.Case{}
		}
		d.written[c.ID] = s.summaryOf(c)
	}
}

// loadSummaries answers the candidates of the duplicate check, in the
// order of their ids: on the readers (tx nil) as committed, inside the
// write as the transaction sees them. On SQLite the summary cache answers
// what it holds (what the database holds: this process is its only
// writer and writes it through), inside the write after the batch's own
// uncommitted writes; what the readers read besides is kept.
func (s *Store) loadSummaries(ctx context.Context, tx *sql.Tx, ids []int64) ([]casework.Case, error) {
	if len(ids) == 0 || s.summaries == nil {
		return s.readSummaries(ctx, tx, ids)
	}
	var out []casework.Case
	if d := deltasFrom(ctx); tx != nil && d != nil {
		var rest []int64
		for _, id := range ids {
			if c, ok := d.summary(id); ok {
				out = append(out, c.Clone())
			} else {
				rest = append(rest, id)
			}
		}
		ids = rest
	}
	gen := s.summaries.generation()
	hits, misses := s.summaries.get(ids)
	read, err := s.readSummaries(ctx, tx, misses)
	if err != nil {
		return nil, err
	}
	if tx == nil {
		s.summaries.put(gen, read)
	}
	out = append(append(out, hits...), read...)
	slices.SortFunc(out, func(a, b casework.Case) int { return cmp.Compare(a.ID, b.ID) }) // as the query orders them
	return out, nil
}

// readSummaries reads candidates' summaries from the database. The extra
// JSON is decoded only for what the check uses (the callers of merged
// duplicates), and only when it holds them.
func (s *Store) readSummaries(ctx context.Context, tx *sql.Tx, ids []int64) ([]casework.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.byIDs(ctx, tx, "summaries_by_ids", ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Case
	for rows.Next() {
		var c casework.Case
		var line, status, callers, lastReport string
		var lat, lon sql.NullFloat64
		var occurred, created, updated int64
		if err := rows.Scan(&c.ID, &c.Number, &line, &c.Channel, &status, &c.Category, &c.Type, &c.Text, &c.Reporter.Phone,
			&c.Address, &lat, &lon, &occurred, &created, &updated, &c.Version, &callers, &lastReport); err != nil {
			return nil, err
		}
		c.Line, c.Status = casework.Line(line), casework.Status(status)
		if lat.Valid && lon.Valid {
			c.Location = &casework.Location{Lat: lat.Float64, Lon: lon.Float64}
		}
		c.OccurredAt, c.CreatedAt, c.UpdatedAt = s.fromMicros(occurred), s.fromMicros(created), s.fromMicros(updated)
		if callers != "" {
			if err := json.Unmarshal([]byte(callers), &c.Callers); err != nil {
				return nil, fmt.Errorf("store: callers of case %d: %w", c.ID, err)
			}
		}
		if lastReport != "" {
			t, err := time.Parse(time.RFC3339Nano, lastReport)
			if err != nil {
				return nil, fmt.Errorf("store: last report of case %d: %w", c.ID, err)
			}
			t = t.In(s.loc)
			c.LastReportAt = &t
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// byIDs runs a query named prefix_N over ids, inside a write transaction
// when tx is set. The id list is padded to a power of two, so that a
// handful of prepared statements serve every size.
func (s *Store) byIDs(ctx context.Context, tx *sql.Tx, prefix string, ids []int64) (*sql.Rows, error) {
	if len(ids) > maxIDs {
		ids = ids[:maxIDs]
	}
	size := 8
	for size < len(ids) {
		size *= 2
	}
	args := make([]any, size)
	for i := range args {
		args[i] = ids[min(i, len(ids)-1)]
	}
	name := fmt.Sprintf("%s_%d", prefix, size)
	var rows *sql.Rows
	var err error
	if tx != nil {
		rows, err = s.txRows(ctx, tx, name, args...)
	} else {
		rows, err = s.rows(ctx, name, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: load cases: %w", err)
	}
	return rows, nil
}

// duplicateDraft is the duplicate check as decided before the write.
type duplicateDraft struct {
	seen    uint64    // batches committed before the read began
	readAt  time.Time // when the read began
	found   []casework.Case
	outcome DuplicateOutcome
	// master is the outcome's master read whole on the read pool (SQLite),
	// so that the write need not read it again if it did not change.
	master *casework.Case
}

// settleDuplicates confirms, inside the write, what was decided before
// it: cases this node indexed in batches the read could not see (two calls about one
// incident arriving together) join the comparison, and a master chosen
// from the read is taken as it stands now; the decision is made again only
// when either changed anything.
func (s *Store) settleDuplicates(ctx context.Context, tx *sql.Tx, nc NewCase, pre duplicateDraft) (DuplicateOutcome, error) {
	found, out, since := pre.found, pre.outcome, pre.seen
	if s.recent.stale(pre.readAt) {
		// The request waited so long that recentKeys may have forgotten
		// what was written since its read: read again what has committed,
		// and take only this batch's writes from recentKeys.
		again, err := s.findDuplicates(ctx, nc.Duplicates.Lookups)
		if err != nil {
			return DuplicateOutcome{}, err
		}
		found, since, pre.master = again, s.w.finished.Load(), nil
		out = nc.Duplicates.Decide(nc.Case, nc.Events, found)
	}
	known := make(map[int64]bool, len(found))
	for _, c := range found {
		known[c.ID] = true
	}
	var fresh []int64
	for _, id := range s.recent.get(nc.Duplicates.Lookups, since) {
		if !known[id] && len(fresh) < maxCandidates {
			fresh = append(fresh, id)
			known[id] = true
		}
	}
	if len(fresh) > 0 {
		more, err := s.loadSummaries(ctx, tx, fresh)
		if err != nil {
			return DuplicateOutcome{}, err
		}
		if len(more) > 0 {
			found = append(append([]casework.Case(nil), found...), more...)
			out = nc.Duplicates.Decide(nc.Case, nc.Events, found)
		}
	}
	// The master must be taken as it stands now: another report of this
	// batch may have merged into it already.
	for range 3 {
		m := out.Master
		if m == nil {
			return out, nil
		}
		if pm := pre.master; pm != nil && pm.ID == m.ID && pm.Version == m.Version && s.writtenVersion(ctx, m.ID) == m.Version {
			// Read whole before the write, and unchanged since.
			now := pm.Clone()
			out.Master = &now
			return out, nil
		}
		now, err := s.scanCase(s.txRow(ctx, tx, "lock_case", m.ID))
		gone := errors.Is(err, sql.ErrNoRows)
		if err != nil && !gone {
			return DuplicateOutcome{}, fmt.Errorf("store: load cases: %w", err)
		}
		if !gone && now.Version == m.Version {
			// The candidate was read in summary: the master is written
			// whole, so it is taken whole.
			out.Master = &now
			return out, nil
		}
		found = append([]casework.Case(nil), found...)
		for i := range found {
			if found[i].ID == m.ID && !gone {
				found[i] = now
			}
		}
		out = nc.Duplicates.Decide(nc.Case, nc.Events, found)
	}
	return out, nil
}

// writtenVersion answers, inside the write, the version of case id as the
// batch's writes or the summary cache know it, or -1 if neither holds it.
func (s *Store) writtenVersion(ctx context.Context, id int64) int {
	d := deltasFrom(ctx)
	if d == nil || s.summaries == nil {
		return -1
	}
	if c, ok := d.summary(id); ok {
		return c.Version
	}
	if v, ok := s.summaries.version(id); ok {
		return v
	}
	return -1
}

// indexKeys indexes a case under keys at a time (a repeated key is
// indexed once). On SQLite the keys looked up only within the duplicate
// window (windowOnly, beside keys) go to the index log when the duplicate
// window will hold them (see briefKeep); the others, and every key on
// PostgreSQL, go to dedup_keys. The rows are noted in the request's deltas
// and written by the batch's flush (flushKeys), all requests' rows
// together in a few multi-row inserts.
func (s *Store) indexKeys(ctx context.Context, tx *sql.Tx, keys []string, windowOnly []bool, caseID int64, at time.Time) error {
	brief := slices.Contains(windowOnly[:min(len(windowOnly), len(keys))], true) && s.window != nil && s.window.admit(micros(at))
	rows := make([]keyRow, len(keys))
	for i, k := range keys {
		rows[i] = keyRow{k: keyHash(k), at: micros(at), id: caseID, logged: brief && i < len(windowOnly) && windowOnly[i]}
	}
	if d := deltasFrom(ctx); d != nil {
		d.keys = append(d.keys, rows...)
		return nil
	}
	return s.insertIndexRows(ctx, tx, rows)
}

// flushKeys writes the index rows the batch noted since its last flush.
func (s *Store) flushKeys(ctx context.Context, tx *sql.Tx, d *deltas) error {
	if err := s.insertIndexRows(ctx, tx, d.keys[d.flushedKeys:]); err != nil {
		return err
	}
	d.flushedKeys = len(d.keys)
	return nil
}

// insertIndexRows writes index rows to dedup_keys and the index log,
// each table's in its own order.
func (s *Store) insertIndexRows(ctx context.Context, tx *sql.Tx, rows []keyRow) error {
	var durable, logged []keyRow
	for _, r := range rows {
		if r.logged {
			logged = append(logged, r)
		} else {
			durable = append(durable, r)
		}
	}
	slices.SortFunc(durable, func(a, b keyRow) int {
		return cmp.Or(cmp.Compare(a.k, b.k), cmp.Compare(a.at, b.at), cmp.Compare(a.id, b.id))
	})
	slices.SortFunc(logged, func(a, b keyRow) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.k, b.k), cmp.Compare(a.id, b.id))
	})
	for _, t := range []struct {
		table bulkTable
		rows  []keyRow
	}{{bulkKeys, durable}, {bulkLog, logged}} {
		args := make([][]any, len(t.rows))
		for i, r := range t.rows {
			args[i] = []any{r.k, r.at, r.id}
		}
		if err := s.insertRows(ctx, tx, t.table, args); err != nil {
			return fmt.Errorf("store: index keys: %w", err)
		}
	}
	return nil
}

// spillChunk is how many logged rows a spill moves at most: at 10,000,000
// cases a spill of a fifth of the window (80,000 rows) held the writer
// 1.3 s (see docs/PERFORMANCE.md).
const spillChunk = 4096

// briefKeep is how long a key looked up only within the duplicate window
// is worth keeping: the longest window a zone may set, and an hour.
const briefKeep = dedup.MaxWindow + time.Hour

// The index log (dedup_log, SQLite only) takes the rows of the keys looked
// up only within the duplicate window, about three in four: a spatial
// cell, the text's bands, roads, persons. dedup_keys is ordered by key,
// and the keys are hashes, so each row inserted there lands on a page of
// its own; the log is ordered by time, so a batch of reports appends to
// its last page or two. Nothing reads the log by key: every row of it is
// held by the duplicate window (which never drops a logged row: see
// windowIndex.pinned), and it is read back whole at start-up. Rows older
// than briefKeep are deleted with the hourly prune, never having been
// needed in dedup_keys. Only when the window is full and its oldest rows
// are logged ones (reports far faster than a zone's) are those spilled
// into dedup_keys, sorted by key (spillKeyLog).

// spillKeyLog moves the logged rows before cut into dedup_keys, sorted by
// key, so that the window may drop them: at most about spillChunk rows at
// a time, the oldest (a window that wants more queues the next spill once
// this one committed). It runs on the writer as one more request of a
// batch; the window learns of it once that batch committed
// (logCommitted).
func (s *Store) spillKeyLog(ctx context.Context, tx *sql.Tx, cut int64) error {
	s.spillQueued = false
	var nth int64
	switch err := s.txRow(ctx, tx, "nth_dedup_log", s.spillChunk).Scan(&nth); {
	case err == nil:
		var oldest int64
		if err := s.txRow(ctx, tx, "oldest_dedup_log").Scan(&oldest); err != nil {
			return fmt.Errorf("store: spill the duplicate index log: %w", err)
		}
		if nth > oldest { // else one time holds them all: the whole cut
			cut = min(cut, nth)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: spill the duplicate index log: %w", err)
	}
	if _, err := s.txExec(ctx, tx, "spill_dedup_log", cut); err != nil {
		return fmt.Errorf("store: spill the duplicate index log: %w", err)
	}
	if _, err := s.txExec(ctx, tx, "prune_dedup_log", cut); err != nil {
		return fmt.Errorf("store: spill the duplicate index log: %w", err)
	}
	if d := deltasFrom(ctx); d != nil {
		d.unpin(cut)
	}
	return nil
}

// logCommitted runs on the writer once a batch committed: the window
// holds its rows, and learns how far back the log now reaches if the
// batch spilled or pruned it. A window full of logged rows queues a spill
// behind the requests waiting.
func (s *Store) logCommitted(d *deltas) {
	now := time.Now()
	if d.unpinned {
		oldest := d.pinAt
		for _, r := range d.keys[d.keysAfterUnpin:] {
			if r.logged {
				oldest = min(oldest, r.at)
			}
		}
		s.window.unpin(oldest, now)
	}
	s.window.add(d.keys, now)
	if cut, ok := s.window.spillWanted(); ok && !s.spillQueued {
		s.spillQueued = s.w.enqueue(func(ctx context.Context, tx *sql.Tx) error {
			return s.spillKeyLog(ctx, tx, cut)
		}, func(err error) {
			s.log.Error("spilling the duplicate index log failed; it is retried after the next batch", "err", err)
		})
	}
}

// PruneDuplicateKeys drops index rows older than any look-back reaches
// (on SQLite also the logged rows older than briefKeep).
func (s *Store) PruneDuplicateKeys(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	// After a flush: the batch's index rows must be in the log before it
	// is pruned and its oldest row read.
	err := s.w.doAfterFlush(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, "prune_dedup_keys", micros(before))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if s.window == nil {
			return nil
		}
		if res, err = s.txExec(ctx, tx, "prune_dedup_log", micros(time.Now().Add(-briefKeep))); err != nil {
			return err
		}
		logged, _ := res.RowsAffected()
		n += logged
		var oldest sql.NullInt64
		if err := s.txRow(ctx, tx, "oldest_dedup_log").Scan(&oldest); err != nil {
			return err
		}
		if !oldest.Valid {
			oldest.Int64 = math.MaxInt64 // the log is empty
		}
		if d := deltasFrom(ctx); d != nil {
			d.unpin(oldest.Int64)
		}
		return nil
	})
	if err == nil && s.window != nil {
		s.window.prune(before)
	}
	return n, err
}

// recentKeys remembers under which keys this node indexed cases,
// and in which write batch, so that a write can tell which cases its read
// could not have seen: those of batches that had not committed when the
// read began. Entries are kept for a horizon, and forgotten within half of
// it more; a write whose read began more than half the horizon before
// (far longer than any batch runs) looks again instead
// (settleDuplicates).
type recentKeys struct {
	mu      sync.Mutex
	byKey   map[int64][]recentEntry
	lastGC  int64 // unix nanoseconds
	horizon time.Duration
}

type recentEntry struct {
	caseID int64
	batch  uint64
	at     int64 // unix nanoseconds
}

func newRecentKeys() *recentKeys {
	return &recentKeys{byKey: map[int64][]recentEntry{}, horizon: 10 * time.Second}
}

// add remembers the keys a case was indexed under in a batch.
func (r *recentKeys) add(check *DuplicateCheck, caseID int64, batch uint64) {
	if check == nil {
		return
	}
	now := time.Now().UnixNano()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range check.Index {
		h := keyHash(k)
		r.byKey[h] = append(r.byKey[h], recentEntry{caseID: caseID, batch: batch, at: now})
	}
	if now-r.lastGC > int64(r.horizon/2) {
		for h, es := range r.byKey {
			kept := es[:0]
			for _, e := range es {
				if now-e.at < int64(r.horizon) {
					kept = append(kept, e)
				}
			}
			if len(kept) == 0 {
				delete(r.byKey, h)
			} else {
				r.byKey[h] = kept
			}
		}
		r.lastGC = now
	}
}

// stale says a read that began at readAt may have missed cases whose
// entries are forgotten by now.
func (r *recentKeys) stale(readAt time.Time) bool {
	return time.Since(readAt) > r.horizon/2
}

// get answers the cases indexed under the strong keys of lookups in
// batches after seen.
func (r *recentKeys) get(lookups []KeyLookup, seen uint64) []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int64
	for _, l := range lookups {
		if l.Weak {
			continue
		}
		es := r.byKey[keyHash(l.Key)]
		for i := len(es) - 1; i >= 0 && es[i].batch > seen; i-- {
			out = append(out, es[i].caseID)
		}
	}
	return out
}
