package dedup

import (
	"time"
)

// Key is one value the store indexes a case under, with the case's time.
type Key struct {
	Kind  string
	Value string
}

// The kinds of key.
const (
	KindPhone  = "phone"  // a caller's number
	KindCell   = "cell"   // the spatial cell of the reported point
	KindAddr   = "addr"   // a house number: 科技路88号, 幸福小区7幢
	KindPlace  = "place"  // an estate or village: 东方花园, 前山村
	KindRoad   = "road"   // a road without a number
	KindOrg    = "org"    // a firm, shop, site or institution
	KindPerson = "person" // a person as the zone writes one: 王某, 老李
	KindParty  = "party"  // a full name given apart from the text
	KindText   = "text"   // a MinHash band of the text
)

// String is the key as one value, e.g. "phone:13800000001".
func (k Key) String() string { return k.Kind + ":" + k.Value }

// Lookback answers how far back from a new report the store looks for
// cases under this key. Who and where a dispute is about (phone, house
// number, estate, firm, full name) is looked up over the repeat horizon;
// what is common to many people (a spatial cell, a road, 王某, the words)
// only within the duplicate window, which keeps those lookups small.
func (k Key) Lookback(cfg Config) time.Duration {
	cfg = cfg.withDefaults()
	if k.WindowOnly() {
		return cfg.Window
	}
	return cfg.RepeatHorizon
}

// WindowOnly reports whether the key is looked up only within the
// duplicate window, so never more than MaxWindow back: a spatial cell, a
// road, a person as the zone writes one, the words.
func (k Key) WindowOnly() bool {
	switch k.Kind {
	case KindPhone, KindAddr, KindPlace, KindOrg, KindParty:
		return false
	}
	return true
}

// Weak reports whether many unrelated reports may share the key: a MinHash
// band of common wording, a road without a number, a person as the zone
// writes one (王某, 老李). These are the keys Lookback keeps to the
// duplicate window, less the spatial cell; a weak key matching more than a
// few cases is no evidence of a duplicate.
func (k Key) Weak() bool {
	switch k.Kind {
	case KindText, KindRoad, KindPerson:
		return true
	}
	return false
}

// MaxQueryKeys bounds the keys of one lookup at the default radius: at most
// 3 phones, 2 house numbers, 3 firms, 2 parties, 2 places, 9 cells and 8
// bands, then roads and persons while there is room.
const MaxQueryKeys = 30

// Keys answers the keys to index a report under, with its time.
func Keys(r Report, cfg Config) []Key {
	p := Prepare(r, cfg)
	return p.keys(p.indexCells(), p.bands())
}

// QueryKeys answers the keys to look up for a new report: every cell the
// radius touches instead of the report's own cell, the rest as indexed.
func QueryKeys(r Report, cfg Config) []Key {
	p := Prepare(r, cfg)
	return p.keys(p.queryCells(cfg), p.bands())
}

// KeySets answers both key sets of the report: index, the keys to index it
// under (as Keys answers), and lookup, the keys to look it up by (as
// QueryKeys answers). The text bands, the costly part of both, are
// computed once.
func (p *Prepared) KeySets(cfg Config) (index, lookup []Key) {
	bands := p.bands()
	return p.keys(p.indexCells(), bands), p.keys(p.queryCells(cfg), bands)
}

// indexCells answers the cell key the report is indexed under: its own
// cell, none without a location.
func (p *Prepared) indexCells() []Key {
	if !p.hasLoc {
		return nil
	}
	return []Key{{KindCell, CellOf(p.loc, CellMeters).String()}}
}

// queryCells answers the cell keys the report is looked up by: every cell
// the radius touches, none without a location.
func (p *Prepared) queryCells(cfg Config) []Key {
	cfg = cfg.withDefaults()
	var cells []Key
	if p.hasLoc {
		for _, c := range CellsWithin(p.loc, cfg.Radius, CellMeters) {
			cells = append(cells, Key{KindCell, c.String()})
		}
	}
	return cells
}

// keys orders the keys from the most telling to the least, given the
// cells and the text bands. Roads and persons, the least selective, are
// added only while there is room under MaxQueryKeys; a radius above the
// default adds cells beyond it.
func (p *Prepared) keys(cells []Key, bands []string) []Key {
	var out []Key
	if !p.intermediary {
		// A grid worker's number would gather every case of the grid.
		for _, ph := range p.phones {
			out = append(out, Key{KindPhone, ph})
		}
	}
	add := func(kind string, match func(nameKind) bool, limit int) {
		n := 0
		for _, nm := range p.names {
			if match(nm.kind) && n < limit && (kind != KindRoad && kind != KindPerson || len(out) < MaxQueryKeys) {
				out = append(out, Key{kind, nm.key()})
				n++
			}
		}
	}
	add(KindAddr, func(k nameKind) bool { return k == kindAddr }, 2)
	add(KindOrg, nameKind.isOrg, 3)
	add(KindParty, func(k nameKind) bool { return k == kindParty }, 2)
	add(KindPlace, nameKind.isPlace, 2)
	out = append(out, cells...)
	for _, b := range bands {
		out = append(out, Key{KindText, b})
	}
	add(KindRoad, func(k nameKind) bool { return k == kindRoad }, 2)
	add(KindPerson, func(k nameKind) bool { return k == kindPerson }, 2)
	return out
}
