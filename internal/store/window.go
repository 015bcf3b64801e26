package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// windowIndex holds in memory, on SQLite, the newest rows of the duplicate
// index: every row whose time is at or after from, and every row of the
// index log (dedup_log). A key looked up no further back than from is
// answered here; an older look-back reads dedup_keys and adds what is
// held here. This process is the database's
// only writer, so it sees every row as it commits; PostgreSQL nodes share
// the index with other writers and always read it. Each duplicate check
// would otherwise read SQLite for every key of a report, and each read
// contends with the writer for SQLite's locks (docs/PERFORMANCE.md).
//
// What it keeps is bounded twice: rows older than span are dropped, and
// beyond maxRows the oldest go first (from moves forward, and the keys
// whose look-back reaches past it read SQLite again). Neither moves from
// past pinned, the oldest logged row: the log has no index
// by key, so its rows are found only here.
type windowIndex struct {
	mu      sync.RWMutex
	from    int64 // micros: every index row at or after it is held
	pinned  int64 // micros: no logged row is older (may be older than the oldest)
	spill   int64 // over maxRows, but only logged rows could go: the cut wanted, until they are spilled
	byKey   map[int64][]hit
	rows    int
	span    time.Duration
	maxRows int
	lastGC  time.Time
}

// Window index bounds: a month and a day of rows covers the default repeat
// horizon (30 days); 400,000 rows take about 15 MB (35 bytes a row,
// measured on a generated history of 1,000,000 cases).
const (
	windowSpan    = 31 * 24 * time.Hour
	windowMaxRows = 400_000
)

// keyRow is one row of the duplicate index; logged says it was written to
// the index log, not to dedup_keys.
type keyRow struct {
	k, at, id int64
	logged    bool
}

func newWindowIndex(span time.Duration, maxRows int) *windowIndex {
	return &windowIndex{byKey: map[int64][]hit{}, span: span, maxRows: maxRows, pinned: math.MaxInt64}
}

// load reads the index rows of the span before now, newest first, until
// maxRows, then the whole index log; it runs before the writer starts.
func (wi *windowIndex) load(ctx context.Context, s *Store, now time.Time) error {
	if err := wi.loadKeys(ctx, s, now); err != nil {
		return err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT k, at, case_id FROM dedup_log`)
	if err != nil {
		return fmt.Errorf("store: load duplicate index log: %w", err)
	}
	defer rows.Close()
	wi.mu.Lock()
	defer wi.mu.Unlock()
	for rows.Next() {
		r := keyRow{logged: true}
		if err := rows.Scan(&r.k, &r.at, &r.id); err != nil {
			return fmt.Errorf("store: load duplicate index log: %w", err)
		}
		wi.hold(r)
		wi.pinned = min(wi.pinned, r.at)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: load duplicate index log: %w", err)
	}
	return nil
}

// loadKeys reads the rows of dedup_keys the window holds.
func (wi *windowIndex) loadKeys(ctx context.Context, s *Store, now time.Time) error {
	from := micros(now.Add(-wi.span))
	rows, err := s.rdb.QueryContext(ctx, `SELECT k, at, case_id FROM dedup_keys WHERE at >= ? ORDER BY at DESC`, from)
	if err != nil {
		return fmt.Errorf("store: load duplicate window: %w", err)
	}
	defer rows.Close()
	wi.mu.Lock()
	defer wi.mu.Unlock()
	wi.from = from
	for rows.Next() {
		var r keyRow
		if err := rows.Scan(&r.k, &r.at, &r.id); err != nil {
			return fmt.Errorf("store: load duplicate window: %w", err)
		}
		if wi.rows == wi.maxRows {
			// Full: what is held is complete from this row's time on,
			// less the rows of this very time that did not fit.
			wi.from = r.at + 1
			break
		}
		wi.byKey[r.k] = append(wi.byKey[r.k], hit{id: r.id, at: r.at})
		wi.rows++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: load duplicate window: %w", err)
	}
	for _, hs := range wi.byKey {
		slices.Reverse(hs) // oldest first, as add keeps them
	}
	wi.lastGC = now
	return nil
}

// lookup answers, for the keys whose look-back (since) the window covers,
// each key's perKey+1 newest rows since then, and the keys it does not
// cover, for dedup_keys. For those it answers the rows it holds all the
// same (among them the logged rows, which dedup_keys lacks):
// the caller adds dedup_keys' rows and drops the rows found twice.
func (wi *windowIndex) lookup(keys, sinces []int64, byKey map[int64][]hit) (restKeys, restSinces []int64) {
	wi.mu.RLock()
	defer wi.mu.RUnlock()
	for i, k := range keys {
		if sinces[i] < wi.from {
			restKeys, restSinces = append(restKeys, k), append(restSinces, sinces[i])
		}
		hs := wi.byKey[k]
		var got []hit
		for j := len(hs) - 1; j >= 0 && hs[j].at >= sinces[i] && len(got) <= perKey; j-- {
			got = append(got, hs[j])
		}
		if len(got) > 0 {
			byKey[k] = got
		}
	}
	return restKeys, restSinces
}

// admit answers whether a row being written may go to the index log: it
// may if the window will hold it (at or after from), and from will then
// not pass it until it is spilled or pruned. An older row goes to
// dedup_keys.
func (wi *windowIndex) admit(at int64) bool {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	if at < wi.from {
		return false
	}
	wi.pinned = min(wi.pinned, at)
	return true
}

// unpin follows a spill or prune of the index log: oldest bounds the times
// of the rows it still has (math.MaxInt64 for none). The window then
// keeps to its bound again.
func (wi *windowIndex) unpin(oldest int64, now time.Time) {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	wi.pinned, wi.spill = oldest, 0
	if wi.rows > wi.maxRows {
		wi.shrink(now)
	}
}

// spillWanted answers the time before which the window would drop rows to
// keep to its bound, were they not logged ones.
func (wi *windowIndex) spillWanted() (int64, bool) {
	wi.mu.RLock()
	defer wi.mu.RUnlock()
	return wi.spill, wi.spill != 0
}

// add keeps rows that committed, then drops what fell out of the span or
// beyond the bound.
func (wi *windowIndex) add(rows []keyRow, now time.Time) {
	if len(rows) == 0 {
		return
	}
	wi.mu.Lock()
	defer wi.mu.Unlock()
	for _, r := range rows {
		if r.at < wi.from && !r.logged {
			continue // older than the window: dedup_keys answers for it
		}
		wi.hold(r)
	}
	if wi.rows > wi.maxRows || now.Sub(wi.lastGC) > time.Hour {
		wi.shrink(now)
	}
}

// hold keeps one row in its key's time order: a row arrives after the
// newer rows of requests that were faster, rarely more than a few. A row
// held already (a key listed twice, which the database's insert ignores)
// is not held twice.
func (wi *windowIndex) hold(r keyRow) {
	hs := wi.byKey[r.k]
	i := len(hs)
	for i > 0 && hs[i-1].at > r.at {
		i--
	}
	for j := i - 1; j >= 0 && hs[j].at == r.at; j-- {
		if hs[j].id == r.id {
			return
		}
	}
	wi.byKey[r.k] = slices.Insert(hs, i, hit{id: r.id, at: r.at})
	wi.rows++
}

// prune drops the rows before a time, as the database did.
func (wi *windowIndex) prune(before time.Time) {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	wi.dropBefore(micros(before))
}

// shrink moves from forward to the span and, while more than maxRows
// remain, further: to the time before which a fifth of the rows lie (read
// off a sample of row times), so that the bound is not met again by the
// next batch. Under the write lock: a shrink of 400,000 rows on 100,000
// keys took 9–16 ms, once per 80,000 rows added. Neither passes pinned:
// logged rows stay, and the cut the bound wanted waits in spill for the
// writer to move them to dedup_keys.
func (wi *windowIndex) shrink(now time.Time) {
	wi.lastGC = now
	wi.dropBefore(min(micros(now.Add(-wi.span)), wi.pinned))
	for wi.rows > wi.maxRows && wi.spill == 0 {
		const samples = 4096
		stride := max(1, wi.rows/samples)
		sample := make([]int64, 0, samples+1)
		i := 0
		for _, hs := range wi.byKey {
			for _, h := range hs {
				if i%stride == 0 {
					sample = append(sample, h.at)
				}
				i++
			}
		}
		slices.Sort(sample)
		want := max(sample[len(sample)/5], wi.from+1)
		if cut := min(want, wi.pinned); cut > wi.from {
			wi.dropBefore(cut)
			continue
		}
		wi.spill = want
	}
}

// dropBefore removes the rows before t and makes t the window's start.
func (wi *windowIndex) dropBefore(t int64) {
	if t <= wi.from {
		return
	}
	wi.from = t
	for k, hs := range wi.byKey {
		i, _ := slices.BinarySearchFunc(hs, t, func(h hit, t int64) int { return cmp.Compare(h.at, t) })
		if i == 0 {
			continue
		}
		wi.rows -= i
		if i == len(hs) {
			delete(wi.byKey, k)
		} else {
			wi.byKey[k] = hs[i:]
		}
	}
}
