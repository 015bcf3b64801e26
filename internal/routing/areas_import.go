package routing

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paulmach/orb/geojson"
)

// AreaImport is what a GeoJSON import of grid areas will do: set the area
// of units that exist, create the grids that do not.
type AreaImport struct {
	Updates []Unit
	Creates []NewUnit
}

// ParseAreaImport reads a FeatureCollection whose features carry a
// Polygon or MultiPolygon and a "name" property (optionally "kind" and
// "parent", a unit name or id). A feature naming an existing unit sets its
// area; another creates a unit (a grid unless "kind" says otherwise) under
// its "parent", else under parent. Errors name the feature (1-based) and
// nothing is applied unless there are none.
func ParseAreaImport(raw []byte, dir *Directory, parent *int64) (AreaImport, []RowError) {
	var imp AreaImport
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return imp, []RowError{{Row: 0, Message: "不是合法的 GeoJSON FeatureCollection：" + err.Error()}}
	}
	if len(fc.Features) == 0 {
		return imp, []RowError{{Row: 0, Message: "FeatureCollection 中没有要素"}}
	}
	var errs []RowError
	seen := map[string]int{}
	for i, f := range fc.Features {
		n := i + 1
		bad := func(col, msg string) { errs = append(errs, RowError{Row: n, Column: col, Message: msg}) }
		name := strings.TrimSpace(fmt.Sprint(f.Properties["name"]))
		if f.Properties["name"] == nil || name == "" {
			bad("name", "要素缺少 name 属性")
			continue
		}
		if first, dup := seen[name]; dup {
			bad("name", fmt.Sprintf("与第 %d 个要素同名", first))
			continue
		}
		seen[name] = n
		geom, err := json.Marshal(geojson.NewGeometry(f.Geometry))
		if err != nil || f.Geometry == nil {
			bad("geometry", "要素缺少几何图形")
			continue
		}
		if _, err := ParseArea(geom); err != nil {
			bad("geometry", messageOf(err))
			continue
		}
		if u, ok := dir.UnitByName(name); ok {
			u.Area = geom
			imp.Updates = append(imp.Updates, u)
			continue
		}
		if len(dir.byName[name]) > 1 {
			bad("name", "有多个名为“"+name+"”的单位")
			continue
		}
		nu := NewUnit{Name: name, Kind: KindGrid, ParentID: parent, Area: geom}
		if k, ok := f.Properties["kind"].(string); ok && k != "" {
			nu.Kind = Kind(k)
		}
		if p, ok := f.Properties["parent"]; ok && p != nil {
			id, msg := unitCell(dir, strings.TrimSpace(fmt.Sprint(p)))
			if msg != "" {
				bad("parent", msg)
				continue
			}
			nu.ParentID = &id
		}
		if err := nu.Validate(dir); err != nil {
			bad("name", messageOf(err))
			continue
		}
		imp.Creates = append(imp.Creates, nu)
	}
	return imp, errs
}
