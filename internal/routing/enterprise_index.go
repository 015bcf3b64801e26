package routing

import (
	"strings"
)

// enterpriseSuffixes are dropped to get the short name callers use
// (某五金制品有限公司 → 某五金制品).
var enterpriseSuffixes = []string{"股份有限公司", "有限责任公司", "有限公司", "集团", "公司"}

// EnterpriseIndex finds the zone's enterprises named in a report's text.
type EnterpriseIndex struct {
	byID   map[int64]Enterprise
	byHead map[string][]nameKey // first two characters → names starting with them
}

type nameKey struct {
	name string
	id   int64
}

// NewEnterpriseIndex indexes enterprises by their full and short names.
func NewEnterpriseIndex(es []Enterprise) *EnterpriseIndex {
	ix := &EnterpriseIndex{byID: make(map[int64]Enterprise, len(es)), byHead: map[string][]nameKey{}}
	for _, e := range es {
		ix.byID[e.ID] = e
		for _, n := range namesOf(e.Name) {
			head := string([]rune(n)[:2])
			ix.byHead[head] = append(ix.byHead[head], nameKey{name: n, id: e.ID})
		}
	}
	return ix
}

// namesOf answers the names a report may use for an enterprise: its full
// name and, when it stays distinctive (four characters or more), the name
// without its legal suffix.
func namesOf(full string) []string {
	out := []string{}
	if len([]rune(full)) >= 2 {
		out = append(out, full)
	}
	for _, suf := range enterpriseSuffixes {
		if short, ok := strings.CutSuffix(full, suf); ok && len([]rune(short)) >= 4 {
			out = append(out, short)
			break
		}
	}
	return out
}

// Get answers an enterprise by id.
func (ix *EnterpriseIndex) Get(id int64) (Enterprise, bool) {
	e, ok := ix.byID[id]
	return e, ok
}

// Find answers the enterprise named in the text, the longest name winning
// (某五金制品有限公司 over 某五金制品), or nil.
func (ix *EnterpriseIndex) Find(text string) *Enterprise {
	if ix == nil || len(ix.byHead) == 0 {
		return nil
	}
	rs := []rune(text)
	best, bestLen := int64(0), 0
	for i := 0; i+1 < len(rs); i++ {
		for _, k := range ix.byHead[string(rs[i:i+2])] {
			n := len(k.name)
			if n > bestLen && strings.HasPrefix(string(rs[i:]), k.name) {
				best, bestLen = k.id, n
			}
		}
	}
	if bestLen == 0 {
		return nil
	}
	e := ix.byID[best]
	return &e
}
