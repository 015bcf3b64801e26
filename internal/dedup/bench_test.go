package dedup

import (
	"fmt"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// benchReports answers a new report and n recent cases around it, made
// from the labelled set so that texts, names and places are realistic.
func benchReports(b *testing.B, n int) (Report, []Report) {
	b.Helper()
	pairs := loadPairs(b)
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	newR := pairs[0].b
	newR.At = now
	olds := make([]Report, n)
	for i := range olds {
		p := pairs[(i*7+1)%len(pairs)]
		r := p.a
		r.ID = int64(1000 + i)
		r.At = now.Add(-time.Duration(i*6) * time.Minute)
		if i%3 == 0 {
			loc := offset(*newR.Location, float64(i*40), float64(i*31))
			r.Location = &loc
		}
		olds[i] = r
	}
	return newR, olds
}

func BenchmarkPrepare(b *testing.B) {
	r, _ := benchReports(b, 0)
	cfg := DefaultConfig()
	for b.Loop() {
		Prepare(r, cfg)
	}
}

func BenchmarkQueryKeys(b *testing.B) {
	r, _ := benchReports(b, 0)
	cfg := DefaultConfig()
	for b.Loop() {
		QueryKeys(r, cfg)
	}
}

// BenchmarkCompare is one pair, both already prepared: the cost per
// candidate once the store keeps prepared signatures.
func BenchmarkCompare(b *testing.B) {
	newR, olds := benchReports(b, 1)
	cfg := DefaultConfig()
	n, o := Prepare(newR, cfg), Prepare(olds[0], cfg)
	for b.Loop() {
		ComparePrepared(n, o, cfg)
	}
}

// BenchmarkCompareReports is one pair from raw reports, both prepared on
// the spot.
func BenchmarkCompareReports(b *testing.B) {
	newR, olds := benchReports(b, 1)
	cfg := DefaultConfig()
	for b.Loop() {
		Compare(newR, olds[0], cfg)
	}
}

// BenchmarkBest is the whole check of one new report against 20 candidates
// from raw reports: 21 preparations and 20 comparisons.
func BenchmarkBest(b *testing.B) {
	newR, olds := benchReports(b, 20)
	cfg := DefaultConfig()
	for b.Loop() {
		Best(newR, olds, cfg)
	}
}

// BenchmarkBestPrepared is the same check when the store keeps the
// candidates' prepared forms: one preparation and 20 comparisons.
func BenchmarkBestPrepared(b *testing.B) {
	newR, olds := benchReports(b, 20)
	cfg := DefaultConfig()
	ps := make([]*Prepared, len(olds))
	for i := range olds {
		ps[i] = Prepare(olds[i], cfg)
	}
	for b.Loop() {
		BestPrepared(Prepare(newR, cfg), ps, cfg)
	}
}

func BenchmarkCellsWithin(b *testing.B) {
	loc := casework.Location{Lat: 28.9, Lon: 120.05}
	for b.Loop() {
		CellsWithin(loc, 300, CellMeters)
	}
}

func ExampleCompare() {
	at := time.Date(2025, 3, 10, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	gate := casework.Location{Lat: 28.9, Lon: 120.05}
	old := Report{ID: 7, At: at, Phone: "13800000001", Location: &gate, Type: "wage_arrears",
		Text: "科技路88号某五金制品有限公司门口二十多个工人堵着要工资"}
	retry := Report{At: at.Add(40 * time.Minute), Phone: "138-0000-0001", Location: &gate,
		Text: "我刚才报过警了，怎么还没有人来，工人们越来越激动了"}
	m := Compare(retry, old, DefaultConfig())
	fmt.Println(m.Level, m.Reasons[0])
	// Output: merge 同一来电号码，40分钟前已报
}
