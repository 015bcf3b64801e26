package triage

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// decidePolice says whether a report is a police matter (治安类案件) and
// which cues say so. Recall comes first, because a police matter handled
// as a mediation puts people at risk while a false alarm costs a call back:
//
//   - a strong cue that is not negated fires on its own (持刀, 被打, 跳楼);
//   - a weak cue fires when the statistical detector gives at least
//     police.weak_threshold (受伤 after a fight, not after a fall at work);
//   - the detector alone fires at police.threshold, for phrasings no list
//     foresaw.
func (m *Model) decidePolice(a analysis, p float32) (bool, []firedCue) {
	var strong, weak []firedCue
	for _, c := range a.hits.police {
		if c.role == rolePoliceStrong {
			strong = append(strong, c)
		} else {
			weak = append(weak, c)
		}
	}
	rules := m.tax.Police
	switch {
	case len(strong) > 0:
		if float64(p) >= rules.WeakThreshold {
			strong = append(strong, weak...)
		}
		return true, strong
	case len(weak) > 0 && float64(p) >= rules.WeakThreshold:
		return true, weak
	case float64(p) >= rules.Threshold:
		return true, m.modelCues(a.norm, 3)
	}
	return false, nil
}

// modelCues explains a decision of the statistical detector alone: the
// n-grams of two or three characters that pushed hardest towards police.
// norm is an analysis's text, already cut to maxRunes by read.
func (m *Model) modelCues(norm string, n int) []firedCue {
	type scored struct {
		gram string
		w    float32
	}
	var best []scored
	rs := []rune(norm)
	out := m.lin.policeOut()
	for i := range rs {
		// Hash exactly as extract does for a gram starting inside a clause.
		h := uint64(fnvOffset)
		for k := 0; k < maxGram && i+k < len(rs) && rs[i+k] != sep; k++ {
			h = mix(h, rs[i+k])
			if k == 0 {
				continue
			}
			w := m.lin.w[int(bucket(h^uint64(k+1)<<56))*m.lin.nOut+out]
			if w > 0 {
				best = append(best, scored{string(rs[i : i+k+1]), w})
			}
		}
	}
	slices.SortStableFunc(best, func(a, b scored) int { return cmp.Compare(b.w, a.w) })
	var cues []firedCue
	seen := map[string]bool{}
	for _, s := range best {
		if len(cues) == n {
			break
		}
		if seen[s.gram] || utf8.RuneCountInString(s.gram) < 2 {
			continue
		}
		seen[s.gram] = true
		cues = append(cues, firedCue{word: s.gram, role: rolePoliceWeak, group: -1})
	}
	return cues
}

// cueWords lists the distinct words of fired cues in the order found.
func cueWords(cs []firedCue) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cs {
		if !seen[c.word] {
			seen[c.word] = true
			out = append(out, c.word)
		}
	}
	return out
}
