package store

import (
	"testing"

	"github.com/yizhan/yizhan/internal/casework"
)

// TestSummaryCacheDropsRacedReads checks the cache's one rule: what was
// read before an invalidation is not kept after it.
func TestSummaryCacheDropsRacedReads(t *testing.T) {
	sc := newSummaryCache(1 << 20)
	gen := sc.generation()
	sc.invalidate([]int64{1}) // an update committed while the read ran
	sc.put(gen, []casework.Case{{ID: 1, Version: 1}})
	if hits, misses := sc.get([]int64{1}); len(hits) != 0 || len(misses) != 1 {
		t.Fatalf("a raced read was kept: %v %v", hits, misses)
	}
	gen = sc.generation()
	sc.put(gen, []casework.Case{{ID: 1, Version: 2}, {ID: 2, Version: 1}})
	hits, misses := sc.get([]int64{2, 1, 3})
	if len(hits) != 2 || hits[0].ID != 2 || hits[1].Version != 2 || len(misses) != 1 || misses[0] != 3 {
		t.Fatalf("hits %v misses %v", hits, misses)
	}
	sc.invalidate([]int64{1})
	if hits, _ := sc.get([]int64{1, 2}); len(hits) != 1 || hits[0].ID != 2 {
		t.Fatalf("after invalidating 1: %v", hits)
	}
	sc.invalidate(nil) // a batch that updated nothing changes nothing
	if sc.generation() != gen+1 {
		t.Fatalf("generation %d, want %d", sc.generation(), gen+1)
	}
}

// TestSummaryCacheIsBounded checks that the cache keeps to its size,
// dropping the least recently used.
func TestSummaryCacheIsBounded(t *testing.T) {
	sc := newSummaryCache(10 * summarySize(casework.Case{Text: "某五金制品有限公司拖欠工资"}))
	for id := range int64(100) {
		sc.put(sc.generation(), []casework.Case{{ID: id, Text: "某五金制品有限公司拖欠工资"}})
		sc.get([]int64{0}) // the first stays in use
	}
	if sc.order.Len() != 10 || sc.bytes > sc.max {
		t.Fatalf("%d entries, %d bytes of %d", sc.order.Len(), sc.bytes, sc.max)
	}
	if hits, _ := sc.get([]int64{0, 99, 50}); len(hits) != 2 {
		t.Fatalf("kept %v", hits)
	}
}
