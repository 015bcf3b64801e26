package api

import (
	"container/list"
	"sync"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/dedup"
)

// preparedCache keeps the duplicate check's reading of recent cases: the
// same open cases are candidates for many reports in a busy hour, and
// reading a case's text again costs more than comparing it. A case is
// read again whenever its version changed.
type preparedCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cachedPrepared, most recent first
	byID  map[int64]*list.Element
}

type cachedPrepared struct {
	id      int64
	version int
	p       *dedup.Prepared
}

func newPreparedCache(max int) *preparedCache {
	return &preparedCache{max: max, order: list.New(), byID: map[int64]*list.Element{}}
}

// get answers the reading of a case, making it when the cache has none for
// this version.
func (pc *preparedCache) get(c casework.Case, cfg dedup.Config) *dedup.Prepared {
	pc.mu.Lock()
	if el, ok := pc.byID[c.ID]; ok {
		cp := el.Value.(*cachedPrepared)
		if cp.version == c.Version {
			pc.order.MoveToFront(el)
			pc.mu.Unlock()
			return cp.p
		}
	}
	pc.mu.Unlock()
	r := dedup.FromCase(c)
	r.Phones, r.LastAt = c.Callers, lastReport(c)
	p := dedup.Prepare(r, cfg)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if el, ok := pc.byID[c.ID]; ok {
		el.Value = &cachedPrepared{id: c.ID, version: c.Version, p: p}
		pc.order.MoveToFront(el)
		return p
	}
	pc.byID[c.ID] = pc.order.PushFront(&cachedPrepared{id: c.ID, version: c.Version, p: p})
	for pc.order.Len() > pc.max {
		last := pc.order.Back()
		pc.order.Remove(last)
		delete(pc.byID, last.Value.(*cachedPrepared).id)
	}
	return p
}
