package routing

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/yizhan/yizhan/internal/casework"
)

// RuleSet is the ordered list of routing rules: the first rule that
// matches a case and whose lead unit can be found decides where it goes.
type RuleSet struct {
	Rules []Rule `json:"rules"`
}

// Rule is one routing rule.
type Rule struct {
	Name  string `json:"name"`
	Match Match  `json:"match"`
	// Lead names the lead unit (主办); Co the co-units (协办). A selector is
	// a unit name, "#<id>", "area" or "area:<kind>" (the smallest unit of
	// that kind whose area holds the location), "kind:<kind>" (the zone's
	// first unit of that kind), "reporter_unit" (the reporting account's
	// unit, unless it is a center), "enterprise" (the micro-center, else the grid, of the
	// enterprise the report names) or "enterprise_grid".
	Lead string   `json:"lead"`
	Co   []string `json:"co,omitempty"`
	// Dispatch sends the case to the lead unit at once, without waiting
	// for a dispatcher. Only a rule an administrator writes does this.
	Dispatch bool `json:"dispatch,omitempty"`
}

// Match says which cases a rule applies to; empty fields match anything,
// a list matches any of its values.
type Match struct {
	Line       StringList `json:"line,omitempty"`
	Category   StringList `json:"category,omitempty"`
	Type       StringList `json:"type,omitempty"`
	Channel    StringList `json:"channel,omitempty"`
	Risk       StringList `json:"risk,omitempty"`
	Police     *bool      `json:"police,omitempty"`
	Area       string     `json:"area,omitempty"`       // a unit selector whose area must hold the location
	AreaKind   Kind       `json:"area_kind,omitempty"`  // the location lies in some unit of this kind
	Enterprise *bool      `json:"enterprise,omitempty"` // the report names a known enterprise (or not)
	Hours      string     `json:"hours,omitempty"`      // "22:00-08:00": time of receipt, zone time
}

// StringList is one string or a list of strings.
type StringList []string

// UnmarshalJSON accepts "a" as well as ["a", "b"].
func (l *StringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = StringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("expected a string or a list of strings")
	}
	*l = many
	return nil
}

func (l StringList) allows(v string) bool { return len(l) == 0 || slices.Contains(l, v) }

//go:embed default_rules.yaml
var defaultRules []byte

// DefaultRules are the rules used until an administrator sets others.
// None of them dispatches by itself.
func DefaultRules() RuleSet {
	rs, err := ParseRules(defaultRules)
	if err != nil {
		panic("routing: built-in rules: " + err.Error())
	}
	return rs
}

// ParseRules reads rules from YAML or JSON.
func ParseRules(b []byte) (RuleSet, error) {
	js, err := yaml.YAMLToJSON(b)
	if err != nil {
		return RuleSet{}, casework.Invalid("invalid_rules", "路由规则不是合法的 YAML/JSON：%v", err)
	}
	// The rules replace the ones in force: a body without them (empty,
	// null, {}, a misspelt key) is a mistake, not an order to route
	// nothing. An empty list says that.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(js, &top); err != nil || top == nil {
		return RuleSet{}, casework.Invalid("invalid_rules", `路由规则应为含 rules 列表的对象，如 {"rules": [...]}；清空规则请传 {"rules": []}`)
	}
	if list, ok := top["rules"]; !ok || string(list) == "null" {
		return RuleSet{}, casework.Invalid("invalid_rules", `缺少 rules 列表；清空规则请明确传 {"rules": []}`)
	}
	dec := json.NewDecoder(strings.NewReader(string(js)))
	dec.DisallowUnknownFields()
	var rs RuleSet
	if err := dec.Decode(&rs); err != nil {
		return RuleSet{}, casework.Invalid("invalid_rules", "路由规则格式错误：%v", err)
	}
	return rs, nil
}

// Validate checks every rule against the directory and the taxonomy, and
// names the rule at fault.
func (rs RuleSet) Validate(dir *Directory, types casework.TypeChecker) error {
	for i, r := range rs.Rules {
		bad := func(format string, args ...any) error {
			return casework.Invalid("invalid_rule", "第 %d 条规则“%s”：%s", i+1, r.Name, fmt.Sprintf(format, args...))
		}
		if strings.TrimSpace(r.Name) == "" {
			return casework.Invalid("invalid_rule", "第 %d 条规则缺少名称 name", i+1)
		}
		if err := checkSelector(dir, r.Lead); err != nil {
			return bad("主办单位 lead：%v", err)
		}
		for _, c := range r.Co {
			if err := checkSelector(dir, c); err != nil {
				return bad("协办单位 co：%v", err)
			}
		}
		m := r.Match
		for _, v := range m.Line {
			if !casework.Line(v).Valid() {
				return bad("未知的业务线 %q", v)
			}
		}
		for _, v := range m.Category {
			if !casework.ValidCategory(v) {
				return bad("未知的纠纷类别 %q", v)
			}
		}
		for _, v := range m.Type {
			if _, ok := types.CategoryOf(v); !ok {
				return bad("未知的纠纷类型 %q", v)
			}
		}
		for _, v := range m.Channel {
			if _, ok := casework.Channels[v]; !ok {
				return bad("未知的来源渠道 %q", v)
			}
		}
		for _, v := range m.Risk {
			if !casework.ValidRisk(v) {
				return bad("未知的风险等级 %q", v)
			}
		}
		if m.Area != "" {
			if err := checkSelector(dir, m.Area); err != nil {
				return bad("区域 area：%v", err)
			}
		}
		if m.AreaKind != "" && !m.AreaKind.Valid() {
			return bad("未知的单位类型 %q", m.AreaKind)
		}
		if m.Hours != "" {
			if _, _, err := parseHours(m.Hours); err != nil {
				return bad("时段 hours：%v", err)
			}
		}
	}
	return nil
}

func checkSelector(dir *Directory, sel string) error {
	switch {
	case sel == "":
		return fmt.Errorf("不能为空")
	case sel == "area", sel == "reporter_unit", sel == "enterprise", sel == "enterprise_grid":
		return nil
	case strings.HasPrefix(sel, "area:"), strings.HasPrefix(sel, "kind:"):
		if k := Kind(sel[5:]); !k.Valid() {
			return fmt.Errorf("未知的单位类型 %q", k)
		}
		return nil
	case strings.HasPrefix(sel, "#"):
		id, err := strconv.ParseInt(sel[1:], 10, 64)
		if _, ok := dir.Unit(id); err != nil || !ok {
			return fmt.Errorf("单位 %s 不存在", sel)
		}
		return nil
	}
	if len(dir.byName[sel]) == 0 {
		return fmt.Errorf("没有名为“%s”的单位", sel)
	}
	if len(dir.byName[sel]) > 1 {
		return fmt.Errorf("有多个名为“%s”的单位，请用 #id 指明", sel)
	}
	return nil
}

// Facts are what routing knows of a case.
type Facts struct {
	Line         string
	Category     string
	Type         string
	Channel      string
	Risk         string
	Police       bool
	Location     *casework.Location
	ReporterUnit *int64
	Enterprise   *Enterprise // the known enterprise the report names, if any
	At           time.Time   // receipt, in the zone's time zone
}

// Evaluate answers where a case goes: the first rule that matches and
// whose lead unit resolves. The micro-centers of the enterprise grid the
// location lies in are told in every case (the two-way flow between the
// center and the enterprise grids).
func (rs RuleSet) Evaluate(dir *Directory, f Facts) casework.Routing {
	// The units whose area holds the location, computed once: the
	// directory is an immutable snapshot.
	var at []Unit
	if f.Location != nil {
		at = dir.UnitsAt(*f.Location)
	}
	var out casework.Routing
	for _, r := range rs.Rules {
		if !r.matches(dir, f, at) {
			continue
		}
		lead, ok := resolve(dir, r.Lead, f, at)
		if !ok {
			continue
		}
		out = casework.Routing{UnitID: &lead, Rule: r.Name, Dispatch: r.Dispatch, CoUnitIDs: []int64{}}
		for _, sel := range r.Co {
			if id, ok := resolve(dir, sel, f, at); ok && id != lead && !slices.Contains(out.CoUnitIDs, id) {
				out.CoUnitIDs = append(out.CoUnitIDs, id)
			}
		}
		break
	}
	if out.CoUnitIDs == nil {
		out.CoUnitIDs = []int64{}
	}
	out.NotifyUnitIDs = dir.microCentersAt(f.Location, at)
	return out
}

// matches reports whether the rule applies; at is dir.UnitsAt(*f.Location)
// (nil without a location).
func (r Rule) matches(dir *Directory, f Facts, at []Unit) bool {
	m := r.Match
	if !m.Line.allows(f.Line) || !m.Category.allows(f.Category) || !m.Type.allows(f.Type) ||
		!m.Channel.allows(f.Channel) || !m.Risk.allows(f.Risk) {
		return false
	}
	if m.Police != nil && *m.Police != f.Police {
		return false
	}
	if m.Enterprise != nil && *m.Enterprise != (f.Enterprise != nil) {
		return false
	}
	if m.Area != "" {
		id, ok := resolve(dir, m.Area, Facts{Location: f.Location}, at)
		if !ok || f.Location == nil {
			return false
		}
		inside := false
		for _, u := range at {
			inside = inside || dir.IsAncestor(id, u.ID)
		}
		if !inside {
			return false
		}
	}
	if m.AreaKind != "" {
		if f.Location == nil {
			return false
		}
		if _, ok := firstOfKind(at, m.AreaKind); !ok {
			return false
		}
	}
	if m.Hours != "" {
		from, to, err := parseHours(m.Hours)
		if err != nil {
			return false
		}
		mins := f.At.Hour()*60 + f.At.Minute()
		if from <= to && (mins < from || mins >= to) || from > to && mins < from && mins >= to {
			return false
		}
	}
	return true
}

// resolve turns a selector into a unit id for these facts; at is
// dir.UnitsAt(*f.Location) (nil without a location).
func resolve(dir *Directory, sel string, f Facts, at []Unit) (int64, bool) {
	switch {
	case sel == "reporter_unit":
		// The reporting account's own unit handles what it reported (a
		// grid worker's report, on the spot); a report a dispatcher typed
		// in at the center is no such thing: the center is no handling
		// unit, and the rule does not apply.
		if f.ReporterUnit == nil {
			return 0, false
		}
		u, ok := dir.Unit(*f.ReporterUnit)
		return u.ID, ok && u.Kind != KindCenter
	case sel == "area" || strings.HasPrefix(sel, "area:"):
		if f.Location == nil {
			return 0, false
		}
		u, ok := firstOfKind(at, Kind(strings.TrimPrefix(strings.TrimPrefix(sel, "area"), ":")))
		return u.ID, ok
	case strings.HasPrefix(sel, "kind:"):
		us := dir.OfKind(Kind(sel[5:]))
		if len(us) == 0 {
			return 0, false
		}
		return us[0].ID, true
	case sel == "enterprise":
		if f.Enterprise == nil {
			return 0, false
		}
		if f.Enterprise.MicroCenter != nil {
			return *f.Enterprise.MicroCenter, true
		}
		if f.Enterprise.GridID != nil {
			return *f.Enterprise.GridID, true
		}
		return 0, false
	case sel == "enterprise_grid":
		if f.Enterprise == nil || f.Enterprise.GridID == nil {
			return 0, false
		}
		return *f.Enterprise.GridID, true
	case strings.HasPrefix(sel, "#"):
		id, err := strconv.ParseInt(sel[1:], 10, 64)
		_, ok := dir.Unit(id)
		return id, err == nil && ok
	}
	u, ok := dir.UnitByName(sel)
	return u.ID, ok
}

// microCentersAt answers the enterprise micro-centers of the grid a
// location lies in; at is d.UnitsAt(*loc).
func (d *Directory) microCentersAt(loc *casework.Location, at []Unit) []int64 {
	out := []int64{}
	if loc == nil {
		return out
	}
	for _, g := range at {
		if g.Kind != KindGrid {
			continue
		}
		for _, id := range d.children[g.ID] {
			if d.units[id].Kind == KindEnterprise {
				out = append(out, id)
			}
		}
		break
	}
	return out
}

// parseHours reads "HH:MM-HH:MM" into minutes of the day; the range may
// wrap midnight.
func parseHours(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("应为 HH:MM-HH:MM，收到 %q", s)
	}
	from, err := parseClock(strings.TrimSpace(a))
	if err != nil {
		return 0, 0, err
	}
	to, err := parseClock(strings.TrimSpace(b))
	if err != nil {
		return 0, 0, err
	}
	if from == to {
		return 0, 0, fmt.Errorf("时段的起止不能相同")
	}
	return from, to, nil
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 24 * 60, nil
		}
		return 0, fmt.Errorf("时间 %q 应为 HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Route evaluates the rules for a new case as it was received.
func (rs RuleSet) Route(dir *Directory, ents *EnterpriseIndex, c casework.Case, reporterUnit *int64, zone *time.Location) casework.Routing {
	ent := ents.Find(c.Text)
	// An enterprise the clerk named (enterprise_id) wins over the text.
	if c.EnterpriseID != nil && ents != nil {
		if e, ok := ents.Get(*c.EnterpriseID); ok {
			ent = &e
		}
	}
	return rs.Evaluate(dir, Facts{
		Line: string(c.Line), Category: c.Category, Type: c.Type, Channel: c.Channel, Risk: c.Risk, Police: c.Police,
		Location: c.Location, ReporterUnit: reporterUnit, Enterprise: ent, At: c.CreatedAt.In(zone),
	})
}
