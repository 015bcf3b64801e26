package routing

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/yizhan/yizhan/internal/casework"
)

// area is a unit's parsed GeoJSON area with what makes a point query cheap.
type area struct {
	unitID int64
	kind   Kind
	geom   orb.Geometry
	bound  orb.Bound
	size   float64 // planar area in square degrees: only compared, never shown
}

func newArea(u Unit) (*area, bool) {
	g, err := ParseArea(u.Area)
	if err != nil || g == nil {
		return nil, false
	}
	return &area{unitID: u.ID, kind: u.Kind, geom: g, bound: g.Bound(), size: math.Abs(planar.Area(g))}, true
}

// contains reports whether p lies in the area. A point on any edge, of the
// outer ring or of a hole, belongs to the area: a responder standing on the
// line between two grids is in both, and the smaller one wins.
func (a *area) contains(p orb.Point) bool {
	if !a.bound.Contains(p) {
		return false
	}
	switch g := a.geom.(type) {
	case orb.Polygon:
		return polygonContains(g, p)
	case orb.MultiPolygon:
		for _, poly := range g {
			if polygonContains(poly, p) {
				return true
			}
		}
	}
	return false
}

func polygonContains(poly orb.Polygon, p orb.Point) bool {
	if !planar.RingContains(poly[0], p) {
		return false
	}
	for _, hole := range poly[1:] {
		if planar.RingContains(hole, p) && !onRing(hole, p) {
			return false
		}
	}
	return true
}

// onRing reports whether p lies on one of the ring's edges (within about a
// millimetre at the zone's latitude).
func onRing(r orb.Ring, p orb.Point) bool {
	const eps = 1e-16 // squared degrees
	for i := 0; i+1 < len(r); i++ {
		if planar.DistanceFromSegmentSquared(r[i], r[i+1], p) <= eps {
			return true
		}
	}
	return false
}

// UnitsAt answers the units whose area contains the location, smallest
// area first (the most specific grid), ties by id.
func (d *Directory) UnitsAt(loc casework.Location) []Unit {
	p := orb.Point{loc.Lon, loc.Lat}
	var hits []*area
	for _, a := range d.areas {
		if a.contains(p) {
			hits = append(hits, a)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].size != hits[j].size {
			return hits[i].size < hits[j].size
		}
		return hits[i].unitID < hits[j].unitID
	})
	out := make([]Unit, len(hits))
	for i, a := range hits {
		out[i] = d.units[a.unitID]
	}
	return out
}

// UnitAt answers the most specific unit whose area contains the location,
// of the given kind when kind is not empty.
func (d *Directory) UnitAt(loc casework.Location, kind Kind) (Unit, bool) {
	return firstOfKind(d.UnitsAt(loc), kind)
}

// firstOfKind answers the first of units (as UnitsAt orders them) of the
// given kind when kind is not empty.
func firstOfKind(units []Unit, kind Kind) (Unit, bool) {
	for _, u := range units {
		if kind == "" || u.Kind == kind {
			return u, true
		}
	}
	return Unit{}, false
}
