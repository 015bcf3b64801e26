package dedup

import (
	"cmp"
	"slices"
)

// Best judges a new report against the candidates the store found and
// ranks them: the one case to merge into, if any; the others to show the
// dispatcher, best first; and the closed disputes it repeats, best first.
func Best(newR Report, olds []Report, cfg Config) (merge *Match, candidates []Match, repeats []Match) {
	n := Prepare(newR, cfg)
	ps := make([]*Prepared, len(olds))
	for i := range olds {
		ps[i] = Prepare(olds[i], cfg)
	}
	return BestPrepared(n, ps, cfg)
}

// BestPrepared is Best on prepared reports. When several cases qualify for
// a merge, the highest score wins, then the most recent case; the others
// are returned among the candidates.
func BestPrepared(n *Prepared, olds []*Prepared, cfg Config) (merge *Match, candidates []Match, repeats []Match) {
	type ranked struct {
		m  Match
		at int64
	}
	var merges, cands, reps []ranked
	for _, o := range olds {
		if o.r.ID != 0 && o.r.ID == n.r.ID {
			continue // the new report's own case, found under its own keys
		}
		m := ComparePrepared(n, o, cfg)
		r := ranked{m, o.at().UnixNano()}
		switch m.Level {
		case Merge:
			merges = append(merges, r)
		case Candidate:
			cands = append(cands, r)
		case Repeat:
			reps = append(reps, r)
		}
	}
	order := func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.m.Score, a.m.Score), cmp.Compare(b.at, a.at), cmp.Compare(a.m.ID, b.m.ID))
	}
	slices.SortFunc(merges, order)
	if len(merges) > 0 {
		best := merges[0].m
		merge = &best
		cands = append(cands, merges[1:]...)
	}
	slices.SortFunc(cands, order)
	slices.SortFunc(reps, order)
	for _, r := range cands {
		candidates = append(candidates, r.m)
	}
	for _, r := range reps {
		repeats = append(repeats, r.m)
	}
	return merge, candidates, repeats
}
