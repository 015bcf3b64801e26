// Package kpi holds the zone's high-quality development indicators
// (高质量发展指标): what each indicator measures, the periods values are
// reported for, the public ranking against the city's other zones (晾晒比拼),
// the weekly and monthly review and the one-table report (一表清). It is
// pure: the store keeps indicators and values, the API parses and answers.
package kpi

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/casework"
)

// Direction says which way an indicator improves.
type Direction string

// The directions.
const (
	HigherBetter Direction = "higher" // 越高越好
	LowerBetter  Direction = "lower"  // 越低越好
)

// Label is the direction in Chinese.
func (d Direction) Label() string {
	if d == LowerBetter {
		return "越低越好"
	}
	return "越高越好"
}

// Cadence is how often an indicator is reported.
type Cadence string

// The cadences.
const (
	Weekly    Cadence = "weekly"
	Monthly   Cadence = "monthly"
	Quarterly Cadence = "quarterly"
)

// Label is the cadence in Chinese.
func (c Cadence) Label() string {
	switch c {
	case Weekly:
		return "按周"
	case Quarterly:
		return "按季"
	}
	return "按月"
}

// Aggregation says how an indicator's values make the year's figure.
type Aggregation string

// The aggregations.
const (
	// Sum is a quantity reported per period whose year's figure is the
	// cumulative total (年累计), e.g. 实际使用外资, 新增市场主体; its target is
	// the year's total and is compared with the time schedule (时序进度).
	Sum Aggregation = "sum"
	// Level is a rate or ratio that stands on its own each period (often
	// itself a year-to-date figure from the statistics bureau), e.g.
	// 规上工业增加值增速 or 矛盾纠纷化解率; its target is a level to reach.
	Level Aggregation = "level"
)

// Groups are the dimensions the indicators are grouped by, in the
// one-table report's order.
var Groups = []string{"经济发展", "创新驱动", "开放合作", "绿色发展", "民生保障", "社会治理"}

// Indicator is one of the zone's development indicators.
type Indicator struct {
	ID          int64       `json:"id"`
	Code        string      `json:"code"`
	Name        string      `json:"name"`
	Group       string      `json:"group"`
	Measure     string      `json:"measure"` // unit of measure: %, 亿元, 户, 万元/亩…
	Direction   Direction   `json:"direction"`
	Aggregation Aggregation `json:"aggregation"`
	Cadence     Cadence     `json:"cadence"`
	// Target is the year's target (a total for Sum, a level for Level);
	// nil when the indicator is ranked only.
	Target *float64 `json:"target"`
	// UnitID is the responsible department (责任单位) in the directory.
	UnitID    *int64    `json:"unit_id"`
	Sort      int       `json:"sort"`
	Note      string    `json:"note"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// IndicatorInput is the body of a create or an update: on update, fields
// left out keep their value.
type IndicatorInput struct {
	Code        *string      `json:"code"`
	Name        *string      `json:"name"`
	Group       *string      `json:"group"`
	Measure     *string      `json:"measure"`
	Direction   *Direction   `json:"direction"`
	Aggregation *Aggregation `json:"aggregation"`
	Cadence     *Cadence     `json:"cadence"`
	Target      *float64     `json:"target"`
	// ClearTarget removes the target on update (JSON null cannot be told
	// from a missing field).
	ClearTarget bool    `json:"clear_target"`
	UnitID      *int64  `json:"unit_id"`
	Sort        *int    `json:"sort"`
	Note        *string `json:"note"`
	Active      *bool   `json:"active"`
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$`)

// Apply lays the input over ind (a zero Indicator for a create, with
// Active true and defaults for the enumerations) and checks the result;
// unitExists says whether a directory unit exists.
func (in IndicatorInput) Apply(ind Indicator, unitExists func(int64) bool) (Indicator, error) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&ind.Code, in.Code)
	set(&ind.Name, in.Name)
	set(&ind.Group, in.Group)
	set(&ind.Measure, in.Measure)
	set(&ind.Note, in.Note)
	if in.Direction != nil {
		ind.Direction = *in.Direction
	}
	if in.Aggregation != nil {
		ind.Aggregation = *in.Aggregation
	}
	if in.Cadence != nil {
		ind.Cadence = *in.Cadence
	}
	if in.Target != nil {
		t := *in.Target
		ind.Target = &t
	}
	if in.ClearTarget {
		ind.Target = nil
	}
	if in.UnitID != nil {
		id := *in.UnitID
		ind.UnitID = &id
	}
	if in.Sort != nil {
		ind.Sort = *in.Sort
	}
	if in.Active != nil {
		ind.Active = *in.Active
	}
	if ind.Direction == "" {
		ind.Direction = HigherBetter
	}
	if ind.Aggregation == "" {
		ind.Aggregation = Level
	}
	if ind.Cadence == "" {
		ind.Cadence = Monthly
	}
	return ind, ind.validate(unitExists)
}

func (ind Indicator) validate(unitExists func(int64) bool) error {
	switch {
	case !codePattern.MatchString(ind.Code):
		return casework.Invalid("invalid_code", "指标代码须为 1 至 32 位字母、数字、下划线、点或连字符，如 E01")
	case ind.Name == "" || utf8.RuneCountInString(ind.Name) > 64:
		return casework.Invalid("invalid_name", "指标名称不能为空，且不超过 64 个字")
	case !validGroup(ind.Group):
		return casework.Invalid("invalid_group", "指标维度须为：%s", strings.Join(Groups, "、"))
	case utf8.RuneCountInString(ind.Measure) > 16:
		return casework.Invalid("invalid_measure", "计量单位不超过 16 个字")
	case ind.Direction != HigherBetter && ind.Direction != LowerBetter:
		return casework.Invalid("invalid_direction", "direction 须为 higher（越高越好）或 lower（越低越好）")
	case ind.Aggregation != Sum && ind.Aggregation != Level:
		return casework.Invalid("invalid_aggregation", "aggregation 须为 sum（累计量）或 level（水平值）")
	case ind.Cadence != Weekly && ind.Cadence != Monthly && ind.Cadence != Quarterly:
		return casework.Invalid("invalid_cadence", "cadence 须为 weekly、monthly 或 quarterly")
	case ind.Target != nil && !finite(*ind.Target):
		return casework.Invalid("invalid_target", "年度目标须为有限数值")
	case ind.Aggregation == Sum && ind.Target != nil && *ind.Target <= 0:
		return casework.Invalid("invalid_target", "累计量指标的年度目标须大于 0")
	case ind.UnitID != nil && (unitExists == nil || !unitExists(*ind.UnitID)):
		return casework.Invalid("unknown_unit", "责任单位 %d 不存在", *ind.UnitID)
	case utf8.RuneCountInString(ind.Note) > 500:
		return casework.Invalid("invalid_note", "备注不超过 500 个字")
	}
	return nil
}

func validGroup(g string) bool {
	for _, v := range Groups {
		if v == g {
			return true
		}
	}
	return false
}

// GroupIndex is the group's place in the report, unknown groups last.
func GroupIndex(g string) int {
	for i, v := range Groups {
		if v == g {
			return i
		}
	}
	return len(Groups)
}

// Zone is a development zone the indicators are compared across: this
// zone (Home) or one of the city's other zones.
type Zone struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Home      bool      `json:"home"`
	Sort      int       `json:"sort"`
	CreatedAt time.Time `json:"created_at"`
}

// NewZone is the body that adds a comparison zone.
type NewZone struct {
	Name string `json:"name"`
	Home bool   `json:"home"`
	Sort int    `json:"sort"`
}

// Validate checks a new zone.
func (z *NewZone) Validate() error {
	z.Name = strings.TrimSpace(z.Name)
	if z.Name == "" || utf8.RuneCountInString(z.Name) > 64 {
		return casework.Invalid("invalid_name", "区域名称不能为空，且不超过 64 个字")
	}
	return nil
}
