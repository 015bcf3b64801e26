package routing

import (
	"sort"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/yizhan/yizhan/internal/casework"
)

// Recommendation is a person who could go to a case now.
type Recommendation struct {
	Person    Person   `json:"person"`
	Shift     Shift    `json:"shift"`
	DistanceM *float64 `json:"distance_m"` // from their last known position, when recent
}

// LocationFreshness is how old a last known position may be and still
// count: a responder who reported an hour ago is probably nearby still.
const LocationFreshness = 2 * time.Hour

// Recommend answers the members of the unit (or of units below it) on
// duty at the time, nearest first when their last known position is
// recent and the case has a location, then the others by name.
func Recommend(dir *Directory, unitID int64, people []Person, shifts []Shift, at time.Time, loc *casework.Location) []Recommendation {
	byID := make(map[int64]Person, len(people))
	for _, p := range people {
		byID[p.ID] = p
	}
	var out []Recommendation
	seen := map[int64]bool{}
	for _, s := range OnDuty(shifts, at) {
		p, ok := byID[s.PersonID]
		if !ok || seen[p.ID] || !dir.IsAncestor(unitID, s.UnitID) {
			continue
		}
		seen[p.ID] = true
		r := Recommendation{Person: p, Shift: s}
		if loc != nil && p.Location != nil && p.LocatedAt != nil && at.Sub(*p.LocatedAt) <= LocationFreshness {
			d := geo.Distance(orb.Point{loc.Lon, loc.Lat}, orb.Point{p.Location.Lon, p.Location.Lat})
			r.DistanceM = &d
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].DistanceM, out[j].DistanceM
		switch {
		case a != nil && b != nil:
			return *a < *b
		case a != nil || b != nil:
			return a != nil
		}
		return out[i].Person.Name < out[j].Person.Name
	})
	return out
}
