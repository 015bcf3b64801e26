package dedup

import (
	"slices"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Prepared is a report read once for matching: its normalised phones,
// names, shingles, facets and spatial cell. The store may keep the Prepared
// form of recent cases or rebuild it when needed (a few microseconds);
// comparing two Prepared reports does no text work at all.
type Prepared struct {
	r         Report
	state     targetState
	mergeable bool

	phones       []string
	intermediary bool

	loc    casework.Location
	hasLoc bool

	names    []name
	shingles []uint64
	facets   facetSet
	retry    bool
	again    bool
}

// Report answers the summary the Prepared form was made from.
func (p *Prepared) Report() Report { return p.r }

// Prepare reads a report for matching. The configuration is accepted so
// that a later change of what Prepare keeps need not change its callers;
// nothing in it depends on the settings today.
func Prepare(r Report, _ Config) *Prepared {
	p := &Prepared{r: r}
	p.state, p.mergeable = r.state()
	p.intermediary = intermediaryChannels[r.Channel]
	if usable(r.Location) {
		p.loc, p.hasLoc = *r.Location, true
	}

	t := normalizeText(r.Text)
	cues := findCues(t)
	p.facets, p.retry, p.again = cues.facets, cues.retry, cues.again
	p.intermediary = p.intermediary || cues.intermediary

	textNames := extractNames(t)
	cut := make([]bool, len(t))
	for _, n := range textNames {
		for i := n.start; i < n.end; i++ {
			cut[i] = true
		}
	}
	for _, s := range cues.spans {
		for i := s[0]; i < s[1]; i++ {
			cut[i] = true
		}
	}
	p.shingles = contentShingles(t, cut)

	names := textNames
	if r.Address != "" {
		names = append(names, extractNames(normalizeText(r.Address))...)
	}
	names = append(names, partyNames(r.Parties)...)
	p.names = uniqueNames(names)

	// The caller first, then the callers of merged duplicates, then
	// numbers written in the text, so that the cap keeps the caller.
	for _, ph := range append(append([]string{r.Phone}, r.Phones...), phonesInText(t)...) {
		if v := normalizePhone(ph); v != "" && !slices.Contains(p.phones, v) && len(p.phones) < maxPhones {
			p.phones = append(p.phones, v)
		}
	}
	return p
}

// bands answers the MinHash band values of the text and its names. Only
// the keys need them, so they are not computed for comparison.
func (p *Prepared) bands() []string {
	set := slices.Clone(p.shingles)
	for _, n := range p.names {
		if n.kind != kindPerson {
			set = append(set, nameShingle(n))
		}
	}
	if len(set) < minShingles {
		return nil
	}
	slices.Sort(set)
	return bandValues(minhash(slices.Compact(set)))
}

// maxPhones bounds the phone keys of one case: a case that absorbed many
// duplicates still indexes a handful of numbers.
const maxPhones = 3

// uniqueNames keeps the first of each kind and value, so that a name in
// both the text and the address counts once.
func uniqueNames(ns []name) []name {
	out := ns[:0:0]
	for _, n := range ns {
		n.id = n.key()
		if !slices.ContainsFunc(out, func(o name) bool { return o.kind == n.kind && o.id == n.id }) {
			out = append(out, n)
		}
	}
	return out
}

// at is the report's time for the window: its latest report.
func (p *Prepared) at() time.Time { return p.r.lastSeen() }

// closedAt is when the case stopped being handled; a closed case without a
// recorded time counts from its report.
func (p *Prepared) closedAt() time.Time {
	if p.r.ClosedAt != nil {
		return *p.r.ClosedAt
	}
	return p.r.At
}
