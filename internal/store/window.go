package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// windowIndex holds in memory, on SQLite, the newest rows of the duplicate
// index: every row whose time is at or after from. A key looked up no
// further back than from is answered here; an older look-back reads
// SQLite. This process is the database's only writer, so it sees every
// row as it commits; PostgreSQL nodes share the index with other writers
// and always read it. Each duplicate check would otherwise read SQLite
// for every key of a report, and each read contends with the writer for
// SQLite's locks (docs/PERFORMANCE.md).
//
// What it keeps is bounded twice: rows older than span are dropped, and
// beyond maxRows the oldest go first (from moves forward, and the keys
// whose look-back reaches past it read SQLite again).
type windowIndex struct {
	mu      sync.RWMutex
	from    int64 // micros: every index row at or after it is held
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

// keyRow is one row of the duplicate index.
type keyRow struct{ k, at, id int64 }

func newWindowIndex(span time.Duration, maxRows int) *windowIndex {
	return &windowIndex{byKey: map[int64][]hit{}, span: span, maxRows: maxRows}
}

// load reads the index rows of the span before now, newest first, until
// maxRows; it runs before the writer starts.
func (wi *windowIndex) load(ctx context.Context, s *Store, now time.Time) error {
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
// cover, for SQLite.
func (wi *windowIndex) lookup(keys, sinces []int64, byKey map[int64][]hit) (restKeys, restSinces []int64) {
	wi.mu.RLock()
	defer wi.mu.RUnlock()
	for i, k := range keys {
		if sinces[i] < wi.from {
			restKeys, restSinces = append(restKeys, k), append(restSinces, sinces[i])
			continue
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

// add keeps rows that committed, then drops what fell out of the span or
// beyond the bound.
func (wi *windowIndex) add(rows []keyRow, now time.Time) {
	if len(rows) == 0 {
		return
	}
	wi.mu.Lock()
	defer wi.mu.Unlock()
	for _, r := range rows {
		if r.at < wi.from {
			continue // older than the window: SQLite answers for it
		}
		// Each key's rows stay in time order: a row arrives after the
		// newer rows of requests that were faster, rarely more than a few.
		// A row held already (a key listed twice, which the database's
		// insert ignores) is not held twice.
		hs := wi.byKey[r.k]
		i := len(hs)
		for i > 0 && hs[i-1].at > r.at {
			i--
		}
		held := false
		for j := i - 1; j >= 0 && hs[j].at == r.at && !held; j-- {
			held = hs[j].id == r.id
		}
		if held {
			continue
		}
		wi.byKey[r.k] = slices.Insert(hs, i, hit{id: r.id, at: r.at})
		wi.rows++
	}
	if wi.rows > wi.maxRows || now.Sub(wi.lastGC) > time.Hour {
		wi.shrink(now)
	}
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
// keys took 9–16 ms, once per 80,000 rows added.
func (wi *windowIndex) shrink(now time.Time) {
	wi.lastGC = now
	wi.dropBefore(micros(now.Add(-wi.span)))
	for wi.rows > wi.maxRows {
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
		cut := sample[len(sample)/5]
		if cut <= wi.from {
			cut = wi.from + 1
		}
		wi.dropBefore(cut)
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
