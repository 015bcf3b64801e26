// Package routing holds the zone's directory (units in a tree with their
// areas), and decides where a case goes and who can see what.
package routing

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/yizhan/yizhan/internal/casework"
)

// Kind is what sort of unit a unit is.
type Kind string

// The unit kinds of the contract.
const (
	KindCenter       Kind = "center"        // 社会治理中心
	KindResponseTeam Kind = "response_team" // 政务110先期处置队
	KindDepartment   Kind = "department"    // 职能部门
	KindGrid         Kind = "grid"          // 网格（含企业专属网格）
	KindEnterprise   Kind = "enterprise"    // 企业社会治理微中心
	KindStation      Kind = "station"       // 党建服务驿站
)

var kindLabels = map[Kind]string{
	KindCenter:       "指挥中心",
	KindResponseTeam: "先期处置队",
	KindDepartment:   "职能部门",
	KindGrid:         "网格",
	KindEnterprise:   "企业微中心",
	KindStation:      "驿站",
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { _, ok := kindLabels[k]; return ok }

// Label is the Chinese name of the kind.
func (k Kind) Label() string { return kindLabels[k] }

// Unit is one node of the directory.
type Unit struct {
	ID        int64           `json:"id"`
	Name      string          `json:"name"`
	Kind      Kind            `json:"kind"`
	ParentID  *int64          `json:"parent_id"`
	Area      json.RawMessage `json:"area"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// ParseArea validates a GeoJSON Polygon or MultiPolygon (a bare geometry,
// or a Feature holding one) and answers its geometry.
func ParseArea(raw json.RawMessage) (orb.Geometry, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var probe struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, casework.Invalid("invalid_area", "area 不是合法的 GeoJSON：%v", err)
	}
	var g orb.Geometry
	switch probe.Type {
	case "Feature":
		f, err := geojson.UnmarshalFeature(raw)
		if err != nil {
			return nil, casework.Invalid("invalid_area", "area 不是合法的 GeoJSON Feature：%v", err)
		}
		g = f.Geometry
	default:
		geom, err := geojson.UnmarshalGeometry(raw)
		if err != nil {
			return nil, casework.Invalid("invalid_area", "area 不是合法的 GeoJSON 几何：%v", err)
		}
		g = geom.Geometry()
	}
	switch geo := g.(type) {
	case orb.Polygon:
		return geo, checkPolygon(geo)
	case orb.MultiPolygon:
		for _, p := range geo {
			if err := checkPolygon(p); err != nil {
				return nil, err
			}
		}
		return geo, nil
	}
	return nil, casework.Invalid("invalid_area", "area 须为 GeoJSON Polygon 或 MultiPolygon")
}

func checkPolygon(p orb.Polygon) error {
	if len(p) == 0 {
		return casework.Invalid("invalid_area", "多边形没有边界环")
	}
	for _, ring := range p {
		if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
			return casework.Invalid("invalid_area", "多边形的每个环至少 4 个点且首尾相同")
		}
		for _, pt := range ring {
			if pt.Lon() < -180 || pt.Lon() > 180 || pt.Lat() < -90 || pt.Lat() > 90 {
				return casework.Invalid("invalid_area", "坐标超出 WGS-84 范围（GeoJSON 顺序为 [经度, 纬度]）")
			}
		}
	}
	return nil
}

// NewUnit is a unit to create, as a client sends it.
type NewUnit struct {
	Name     string          `json:"name"`
	Kind     Kind            `json:"kind"`
	ParentID *int64          `json:"parent_id"`
	Area     json.RawMessage `json:"area"`
}

// checkUnitName checks a unit's name, trimmed.
func checkUnitName(name string) error {
	if name == "" {
		return casework.Invalid("name_required", "单位名称 name 不能为空")
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 100 {
		return casework.Invalid("invalid_name", "单位名称须为不超过 100 字的文字")
	}
	return nil
}

// nameFree refuses a name another unit than self holds under parent.
func (d *Directory) nameFree(parent *int64, name string, self int64) error {
	for _, u := range d.Children(parent) {
		if u.Name == name && u.ID != self {
			return casework.Conflict("unit_exists", "同一上级下已有名为“%s”的单位", name)
		}
	}
	return nil
}

// CheckRename checks an edited unit's name and place: the same rules as
// a new unit's (Validate), among its new siblings.
func (d *Directory) CheckRename(u Unit) error {
	if err := checkUnitName(u.Name); err != nil {
		return err
	}
	return d.nameFree(u.ParentID, u.Name, u.ID)
}

// Validate checks a new unit against the directory it joins.
func (n *NewUnit) Validate(dir *Directory) error {
	n.Name = strings.TrimSpace(n.Name)
	if err := checkUnitName(n.Name); err != nil {
		return err
	}
	if !n.Kind.Valid() {
		return casework.Invalid("invalid_kind", "单位类型 kind 须为 center、response_team、department、grid、enterprise 或 station")
	}
	if n.ParentID != nil {
		if _, ok := dir.Unit(*n.ParentID); !ok {
			return casework.Invalid("unknown_parent", "上级单位 %d 不存在", *n.ParentID)
		}
	}
	if err := dir.nameFree(n.ParentID, n.Name, 0); err != nil {
		return err
	}
	if string(n.Area) == "null" {
		n.Area = nil
	}
	_, err := ParseArea(n.Area)
	return err
}
