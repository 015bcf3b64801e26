package api_test

import (
	"encoding/json"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/yizhan/yizhan/internal/demo"
)

// BenchmarkCreateCase measures receiving a report over HTTP end to end
// (triage, routing, the duplicate check, clocks, rollups, the synced
// commit), with b.N reports spread over GOMAXPROCS×16 concurrent clients.
// yizhan bench measures the same with its baselines; this one runs under
// `go test -bench`.
func BenchmarkCreateCase(b *testing.B) {
	z := newZoneWith(b, true)
	bodies := make([][]byte, 4096)
	rnd := rand.New(rand.NewPCG(1, 1))
	for i := range bodies {
		bodies[i], _ = json.Marshal(demo.SampleReport(rnd))
	}
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if r := z.call("POST", "/api/v1/cases", "dispatcher", bodies[i%int64(len(bodies))]); r.status != 201 {
				b.Fatalf("create: %d %s", r.status, r.raw)
			}
		}
	})
}

// BenchmarkGetCase measures the case page: the case, its timeline and its
// deadlines.
func BenchmarkGetCase(b *testing.B) {
	z := newZone(b)
	id := z.newCase("dispatcher", nil)
	for _, body := range []map[string]any{{"action": "dispatch", "unit_id": z.units["team"]}, {"action": "accept"}, {"action": "arrive"}} {
		z.act(id, "dispatcher", body)
	}
	path := "/api/v1/cases/" + itoa(id)
	b.ResetTimer()
	for range b.N {
		if r := z.call("GET", path, "dispatcher", nil); r.status != 200 {
			b.Fatal(r.status)
		}
	}
}

func itoa(v int64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
