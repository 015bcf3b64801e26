package dedup

import (
	"math"
	"slices"
	"testing"
)

// TestBandSelectivity measures how often the text bands of unrelated
// reports collide, over every pair of texts in the labelled set that share
// no name and little wording, and how often retold copies of one record
// share a band. The store looks band keys up within the window only, but a
// band value shared by many unrelated cases would still make its index
// rows long, so the rate is held to a bar for a history of 1,000,000 cases.
func TestBandSelectivity(t *testing.T) {
	pairs := loadPairs(t)
	cfg := DefaultConfig()
	var ps []*Prepared
	var rows []int
	seen := map[string]bool{}
	for i, p := range pairs {
		for _, r := range []Report{p.a, p.b} {
			if seen[r.Text] {
				continue
			}
			seen[r.Text] = true
			ps = append(ps, Prepare(Report{Text: r.Text}, cfg))
			rows = append(rows, i)
		}
	}
	unrelated, collisions := 0, 0
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			if rows[i] == rows[j] || jaccard(ps[i].shingles, ps[j].shingles) >= simMid || shareAnyName(ps[i], ps[j]) {
				continue
			}
			unrelated++
			if shareBand(ps[i], ps[j]) {
				collisions++
			}
		}
	}
	rate := float64(collisions) / float64(unrelated)
	t.Logf("unrelated text pairs %d, band collisions %d, rate %.2g: about %.0f unrelated cases per query in 1,000,000",
		unrelated, collisions, rate, rate*1e6)
	if rate > 2e-4 {
		t.Errorf("band collision rate %.2g between unrelated texts, want at most 2e-4", rate)
	}

	copies, hits := 0, 0
	for _, p := range pairs {
		a, b := Prepare(Report{Text: p.a.Text}, cfg), Prepare(Report{Text: p.b.Text}, cfg)
		if p.label != "merge" || jaccard(a.shingles, b.shingles) < simCopy {
			continue
		}
		copies++
		if shareBand(a, b) {
			hits++
		}
	}
	t.Logf("retold copies (content Jaccard ≥ %.1f): %d, sharing a band: %d", simCopy, copies, hits)
}

func shareBand(a, b *Prepared) bool {
	bb := b.bands()
	for _, x := range a.bands() {
		if slices.Contains(bb, x) {
			return true
		}
	}
	return false
}

func shareAnyName(a, b *Prepared) bool {
	for _, x := range a.names {
		for _, y := range b.names {
			if x.kind == y.kind && x.key() == y.key() {
				return true
			}
		}
	}
	return false
}

// TestBandProbability checks the LSH curve the constants promise.
func TestBandProbability(t *testing.T) {
	p := func(j float64) float64 { return 1 - math.Pow(1-math.Pow(j, bandRows), numBands) }
	for _, c := range []struct{ j, lo, hi float64 }{
		{0.1, 0, 0.001},
		{0.5, 0.3, 0.5},
		{0.8, 0.95, 1},
	} {
		if got := p(c.j); got < c.lo || got > c.hi {
			t.Errorf("P(share a band | J=%.1f) = %.4f, want in [%g, %g]", c.j, got, c.lo, c.hi)
		}
	}
}
