package dedup

import (
	"fmt"
	"math"

	"github.com/yizhan/yizhan/internal/casework"
)

// CellMeters is the side of the spatial cells the store indexes. It is a
// constant, not a setting: cells already indexed must keep their meaning
// when the radius changes.
const CellMeters = 300.0

const (
	earthRadius     = 6371008.8 // mean radius, metres
	metresPerDegree = earthRadius * math.Pi / 180
)

// Haversine answers the great-circle distance between two points in metres.
func Haversine(a, b casework.Location) float64 {
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dla := la2 - la1
	dlo := (b.Lon - a.Lon) * math.Pi / 180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Cell is one square of a grid laid over a local equirectangular
// projection: rows are bands of latitude Size metres high, and each row is
// cut into columns Size metres wide at that row's latitude.
type Cell struct {
	Size     int
	Row, Col int
}

// String is the cell's index value, e.g. "300:10741:42301".
func (c Cell) String() string { return fmt.Sprintf("%d:%d:%d", c.Size, c.Row, c.Col) }

// CellOf answers the cell of a point for cells of the given size in metres.
func CellOf(loc casework.Location, size float64) Cell {
	y := loc.Lat * metresPerDegree
	row := int(math.Floor(y / size))
	x := loc.Lon * rowScale(row, size)
	return Cell{Size: int(size), Row: row, Col: int(math.Floor(x / size))}
}

// rowScale is metres per degree of longitude at the middle of a row, so that
// every point of a row is cut into columns the same way.
func rowScale(row int, size float64) float64 {
	lat := (float64(row) + 0.5) * size / metresPerDegree
	return metresPerDegree * math.Cos(lat*math.Pi/180)
}

// CellsWithin answers every cell that a circle of radius metres around loc
// touches: looking these up finds every indexed point within the radius,
// across cell borders. For a radius equal to the cell size that is at most
// nine cells.
func CellsWithin(loc casework.Location, radius, size float64) []Cell {
	y := loc.Lat * metresPerDegree
	r0 := int(math.Floor((y - radius) / size))
	r1 := int(math.Floor((y + radius) / size))
	var out []Cell
	for row := r0; row <= r1; row++ {
		lo, hi := float64(row)*size, float64(row+1)*size
		dy := 0.0
		if y < lo {
			dy = lo - y
		} else if y > hi {
			dy = y - hi
		}
		if dy > radius {
			continue
		}
		w := math.Sqrt(radius*radius - dy*dy)
		x := loc.Lon * rowScale(row, size)
		for col := int(math.Floor((x - w) / size)); col <= int(math.Floor((x+w)/size)); col++ {
			out = append(out, Cell{Size: int(size), Row: row, Col: col})
		}
	}
	return out
}

// usable reports whether a point can be trusted for distances: (0, 0) is
// what a form sends when it knows nothing.
func usable(l *casework.Location) bool {
	return l != nil && l.Valid() && (l.Lat != 0 || l.Lon != 0)
}
