package store

import (
	"container/list"
	"sync"
	"unsafe"

	"github.com/yizhan/yizhan/internal/casework"
)

// summaryCache keeps the duplicate check's candidate summaries in memory on
// SQLite, where this process is the database's only writer: a candidate is
// read again by every report that shares its keys, and each read of SQLite
// contends with the writer for the page cache's lock (see
// docs/PERFORMANCE.md). The writer puts the summary of every case its
// batch wrote once the batch committed, before it answers (write), so what
// the cache holds is what the database holds; a read that raced a write
// does not fill the cache with the cases written meanwhile (generation).
// The writer itself trusts the cache for that reason (settleDuplicates).
// PostgreSQL nodes share the database with other writers and read it
// every time.
type summaryCache struct {
	mu  sync.Mutex
	gen uint64 // bumped by every write
	// written holds the generation of each case's last write, for the
	// writes of the last keepGens generations.
	written map[int64]uint64
	bytes   int        // approximate size of what is held
	max     int        // bound on bytes
	order   *list.List // of *cachedSummary, most recent first
	byID    map[int64]*list.Element
}

type cachedSummary struct {
	c     casework.Case
	bytes int
}

func newSummaryCache(maxBytes int) *summaryCache {
	return &summaryCache{max: maxBytes, order: list.New(), byID: map[int64]*list.Element{}, written: map[int64]uint64{}}
}

// generation is read before the database: a put with an older generation
// is dropped, since an update may have committed during the read.
func (sc *summaryCache) generation() uint64 {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.gen
}

// get answers copies of the cached summaries of ids and the ids it does
// not hold.
func (sc *summaryCache) get(ids []int64) (hits []casework.Case, misses []int64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, id := range ids {
		el, ok := sc.byID[id]
		if !ok {
			misses = append(misses, id)
			continue
		}
		sc.order.MoveToFront(el)
		hits = append(hits, el.Value.(*cachedSummary).c.Clone())
	}
	return hits, misses
}

// keepGens is how many generations the cache remembers which cases were
// written in: a read that began earlier is not kept at all.
const keepGens = 1024

// put keeps summaries read at generation gen, but for the cases written
// since (the read may have seen them before or after the write).
func (sc *summaryCache) put(gen uint64, cs []casework.Case) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.gen-gen >= keepGens {
		return
	}
	for _, c := range cs {
		if _, ok := sc.byID[c.ID]; ok || sc.written[c.ID] > gen {
			continue
		}
		n := summarySize(c)
		sc.byID[c.ID] = sc.order.PushFront(&cachedSummary{c: c.Clone(), bytes: n})
		sc.bytes += n
	}
	for sc.bytes > sc.max && sc.order.Len() > 0 {
		sc.remove(sc.order.Back())
	}
}

// write keeps the summaries of cases a batch wrote, as it committed them,
// in place of what was held of them.
func (sc *summaryCache) write(cs map[int64]casework.Case) {
	if len(cs) == 0 {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.gen++
	if sc.gen%keepGens == 0 {
		for id, g := range sc.written {
			if sc.gen-g >= keepGens {
				delete(sc.written, id)
			}
		}
	}
	for id, c := range cs {
		sc.written[id] = sc.gen
		if el, ok := sc.byID[id]; ok {
			sc.remove(el)
		}
		n := summarySize(c)
		sc.byID[id] = sc.order.PushFront(&cachedSummary{c: c, bytes: n})
		sc.bytes += n
	}
	for sc.bytes > sc.max && sc.order.Len() > 0 {
		sc.remove(sc.order.Back())
	}
}

// version answers the version of case id the cache holds, if it holds it.
func (sc *summaryCache) version(id int64) (int, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if el, ok := sc.byID[id]; ok {
		return el.Value.(*cachedSummary).c.Version, true
	}
	return 0, false
}

func (sc *summaryCache) remove(el *list.Element) {
	cs := sc.order.Remove(el).(*cachedSummary)
	delete(sc.byID, cs.c.ID)
	sc.bytes -= cs.bytes
}

// entryOverhead is what a held summary costs beside its strings: the
// entry with its case (a casework.Case is over 500 bytes, most of it
// fields a summary leaves empty), its list element and map slot, and the
// location and time of last report it may point to.
var entryOverhead = int(unsafe.Sizeof(cachedSummary{})) + 48 + 32 + 16 + 24

// summarySize approximates the memory a summary holds.
func summarySize(c casework.Case) int {
	n := entryOverhead + len(c.Number) + len(c.Channel) + len(c.Category) + len(c.Type) + len(c.Text) +
		len(c.Reporter.Phone) + len(c.Address)
	for _, p := range c.Callers {
		n += 16 + len(p)
	}
	return n
}
