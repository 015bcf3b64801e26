package dedup

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/yizhan/yizhan/internal/casework"
)

func TestHaversine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		a, b casework.Location
		want float64
	}{
		{"same point", zoneCentre, zoneCentre, 0},
		{"one degree of latitude", casework.Location{Lat: 28, Lon: 120}, casework.Location{Lat: 29, Lon: 120}, 111195},
		{"a hundred metres east", zoneCentre, offset(zoneCentre, 100, 90), 100},
		{"three hundred metres north-west", zoneCentre, offset(zoneCentre, 300, 315), 300},
	} {
		if got := Haversine(c.a, c.b); math.Abs(got-c.want) > 1 {
			t.Errorf("%s: %.1f m, want %.1f", c.name, got, c.want)
		}
	}
}

// TestCellsWithinCoversRadius checks the property the store relies on:
// every point within the radius lies in one of the query cells.
func TestCellsWithinCoversRadius(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, radius := range []float64{100, 300, 600} {
		most := 0
		for range 2000 {
			p := casework.Location{Lat: 28.8 + rng.Float64()*0.2, Lon: 119.9 + rng.Float64()*0.3}
			q := offset(p, rng.Float64()*radius*0.999, rng.Float64()*360)
			cells := CellsWithin(p, radius, CellMeters)
			most = max(most, len(cells))
			if !slices.Contains(cells, CellOf(q, CellMeters)) {
				t.Fatalf("radius %g: %v (cell %v) is %.0f m from %v but not in %v",
					radius, q, CellOf(q, CellMeters), Haversine(p, q), p, cells)
			}
		}
		if radius == 300 && most > 9 {
			t.Errorf("radius 300: up to %d cells, want at most 9", most)
		}
		t.Logf("radius %g m: at most %d cells", radius, most)
	}
}

func TestCellOf(t *testing.T) {
	t.Parallel()
	a := CellOf(zoneCentre, CellMeters)
	if got := a.String(); len(got) < 5 || got[:4] != "300:" {
		t.Errorf("cell string %q, want it to start with the size", got)
	}
	if far := CellOf(offset(zoneCentre, 2000, 0), CellMeters); far == a {
		t.Errorf("points 2 km apart share cell %v", a)
	}
	if again := CellOf(zoneCentre, CellMeters); again != a {
		t.Errorf("one point, two cells: %v %v", a, again)
	}
}

func TestUnusableLocations(t *testing.T) {
	t.Parallel()
	for _, l := range []*casework.Location{nil, {}, {Lat: 95, Lon: 120}} {
		if usable(l) {
			t.Errorf("%v counted as a usable point", l)
		}
	}
}
