package routing

import (
	"github.com/yizhan/yizhan/internal/casework"
)

// Directory is a snapshot of the unit tree, cheap to query. A new snapshot
// replaces it whenever units change.
type Directory struct {
	units    map[int64]Unit
	children map[int64][]int64
	roots    []int64
}

// NewDirectory indexes a list of units.
func NewDirectory(units []Unit) *Directory {
	d := &Directory{units: make(map[int64]Unit, len(units)), children: map[int64][]int64{}}
	for _, u := range units {
		d.units[u.ID] = u
		if u.ParentID == nil {
			d.roots = append(d.roots, u.ID)
		} else {
			d.children[*u.ParentID] = append(d.children[*u.ParentID], u.ID)
		}
	}
	return d
}

// Unit answers a unit by id.
func (d *Directory) Unit(id int64) (Unit, bool) {
	u, ok := d.units[id]
	return u, ok
}

// Len is the number of units.
func (d *Directory) Len() int { return len(d.units) }

// Children lists the units directly below parent (the roots for nil).
func (d *Directory) Children(parent *int64) []Unit {
	ids := d.roots
	if parent != nil {
		ids = d.children[*parent]
	}
	out := make([]Unit, 0, len(ids))
	for _, id := range ids {
		out = append(out, d.units[id])
	}
	return out
}

// Subtree answers a unit and every unit below it.
func (d *Directory) Subtree(id int64) map[int64]bool {
	out := map[int64]bool{}
	stack := []int64{id}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if out[n] {
			continue
		}
		out[n] = true
		stack = append(stack, d.children[n]...)
	}
	return out
}

// Ref is what the case engine needs to know of a unit.
func (d *Directory) Ref(id int64) *casework.UnitRef {
	u, ok := d.units[id]
	if !ok {
		return nil
	}
	return &casework.UnitRef{ID: u.ID, Name: u.Name, Kind: string(u.Kind)}
}

// ScopeOf answers what an account may see: everything when it has no unit,
// else its unit's subtree, and also the cases waiting at the center when
// its unit is a command center.
func (d *Directory) ScopeOf(a casework.Actor) casework.Scope {
	if a.UnitID == nil {
		return casework.Scope{All: true}
	}
	units := d.Subtree(*a.UnitID)
	u, ok := d.units[*a.UnitID]
	return casework.Scope{Units: units, Center: ok && u.Kind == KindCenter}
}
