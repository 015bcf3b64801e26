package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/yizhan/yizhan/internal/kpi"
	"github.com/yizhan/yizhan/internal/routing"
)

// The demo's 35 development indicators, invented but of the kind a zone
// publishes, with their figures for this zone and seven other zones of the
// city for 2026 up to the demo date.

// indicatorSpec is one demo indicator and how its figures are made up:
// base is a typical zone's level (Level) or year's total (Sum), spread the
// spread between zones as a share of base, drift how far a level moves
// over the year, dec the decimals reported.
type indicatorSpec struct {
	code, name, group, measure string
	dir                        kpi.Direction
	agg                        kpi.Aggregation
	cad                        kpi.Cadence
	target                     float64
	unit                       string // key of the responsible unit
	base, spread, drift        float64
	dec                        int
	ceiling                    float64 // a level never above it (100 for shares); 0 for none
}

const (
	hi, lo         = kpi.HigherBetter, kpi.LowerBetter
	sum, level     = kpi.Sum, kpi.Level
	wk, mon, qtr   = kpi.Weekly, kpi.Monthly, kpi.Quarterly
	economy, innov = "经济发展", "创新驱动"
	open, green    = "开放合作", "绿色发展"
	welfare, gov   = "民生保障", "社会治理"
)

var indicatorSpecs = []indicatorSpec{
	{"E01", "地区生产总值增速", economy, "%", hi, level, qtr, 7.0, "econ", 6.6, 0.18, 0.4, 1, 0},
	{"E02", "规上工业增加值增速", economy, "%", hi, level, mon, 8.0, "econ", 8.2, 0.30, -0.6, 1, 0},
	{"E03", "规上工业总产值", economy, "亿元", hi, sum, mon, 1200, "econ", 1150, 0.35, 0, 2, 0},
	{"E04", "固定资产投资增速", economy, "%", hi, level, mon, 10.0, "econ", 8.5, 0.45, 1.0, 1, 0},
	{"E05", "工业投资增速", economy, "%", hi, level, mon, 12.0, "econ", 11.0, 0.50, 0.8, 1, 0},
	{"E06", "一般公共预算收入", economy, "亿元", hi, sum, mon, 45, "econ", 44, 0.30, 0, 2, 0},
	{"E07", "亩均税收", economy, "万元/亩", hi, level, mon, 35, "land", 33, 0.22, 1.5, 2, 0},
	{"E08", "新增市场主体", economy, "户", hi, sum, mon, 9000, "market", 8800, 0.30, 0, 0, 0},
	{"I01", "研发经费投入强度", innov, "%", hi, level, qtr, 3.2, "tech", 3.0, 0.20, 0.15, 2, 0},
	{"I02", "高新技术产业增加值占规上工业比重", innov, "%", hi, level, mon, 65, "tech", 62, 0.10, 1.5, 1, 100},
	{"I03", "新增高新技术企业", innov, "家", hi, sum, mon, 60, "tech", 58, 0.35, 0, 0, 0},
	{"I04", "科技型中小企业新增数", innov, "家", hi, sum, mon, 150, "tech", 150, 0.30, 0, 0, 0},
	{"I05", "技术合同成交额", innov, "亿元", hi, sum, mon, 20, "tech", 19, 0.40, 0, 2, 0},
	{"I06", "每万人高价值发明专利拥有量", innov, "件/万人", hi, level, qtr, 18, "tech", 16.5, 0.30, 1.0, 2, 0},
	{"O01", "实际使用外资", open, "亿美元", hi, sum, mon, 3.5, "invest", 3.3, 0.45, 0, 2, 0},
	{"O02", "进出口总额增速", open, "%", hi, level, mon, 8.0, "invest", 7.5, 0.55, -0.5, 1, 0},
	{"O03", "出口总额", open, "亿元", hi, sum, mon, 380, "invest", 360, 0.40, 0, 2, 0},
	{"O04", "新引进亿元以上产业项目", open, "个", hi, sum, mon, 24, "invest", 23, 0.35, 0, 0, 0},
	{"O05", "省外境外到位资金", open, "亿元", hi, sum, mon, 60, "invest", 57, 0.35, 0, 2, 0},
	{"G01", "单位工业增加值能耗下降率", green, "%", hi, level, qtr, 3.5, "eco", 3.4, 0.35, 0.3, 1, 0},
	{"G02", "空气质量优良天数比例", green, "%", hi, level, mon, 90, "eco", 89, 0.04, 0.5, 1, 100},
	{"G03", "地表水考核断面达标率", green, "%", hi, level, mon, 100, "eco", 97, 0.03, 0.5, 1, 100},
	{"G04", "单位工业增加值用水量", green, "立方米/万元", lo, level, qtr, 12, "eco", 12.4, 0.15, -0.4, 2, 0},
	{"G05", "工业固体废物综合利用率", green, "%", hi, level, mon, 95, "eco", 94, 0.03, 0.4, 1, 100},
	{"G06", "批而未供土地处置率", green, "%", hi, level, mon, 60, "land", 45, 0.25, 15, 1, 100},
	{"P01", "城镇居民人均可支配收入增速", welfare, "%", hi, level, qtr, 6.5, "social", 6.2, 0.12, 0.2, 1, 0},
	{"P02", "城镇新增就业", welfare, "人", hi, sum, mon, 6000, "social", 5900, 0.30, 0, 0, 0},
	{"P03", "城镇调查失业率", welfare, "%", lo, level, mon, 5.5, "social", 4.9, 0.08, -0.2, 1, 0},
	{"P04", "新增普惠性托位", welfare, "个", hi, sum, mon, 300, "social", 290, 0.35, 0, 0, 0},
	{"P05", "根治欠薪案件结案率", welfare, "%", hi, level, mon, 98, "labor", 96.5, 0.02, 1.0, 1, 100},
	{"S01", "矛盾纠纷化解率", gov, "%", hi, level, wk, 97, "justice", 96.8, 0.015, 0.4, 1, 100},
	{"S02", "非警务警情分流率", gov, "%", hi, level, wk, 85, "center", 82, 0.06, 3.0, 1, 100},
	{"S03", "12345热线按时办结率", gov, "%", hi, level, wk, 98, "center", 97.5, 0.012, 0.3, 1, 100},
	{"S04", "重复信访率", gov, "%", lo, level, mon, 3.0, "center", 3.2, 0.25, -0.5, 1, 0},
	{"S05", "安全生产事故起数", gov, "起", lo, sum, mon, 12, "safety", 11, 0.40, 0, 0, 0},
}

// The zones compared: this zone first, then the city's other zones (all
// invented).
var indicatorZones = []string{"某某经济开发区", "某高新技术产业开发区", "某临港经济开发区", "某经济技术开发区",
	"某综合保税区", "某现代服务业集聚区", "某科技城", "某产业新城"}

// The departments responsible for indicators that the case directory does
// not have, added beside it.
var indicatorUnits = []unitSpec{
	{key: "econ", name: "经济发展局", kind: routing.KindDepartment, parent: "center"},
	{key: "tech", name: "科技创新局", kind: routing.KindDepartment, parent: "center"},
	{key: "invest", name: "投资促进局", kind: routing.KindDepartment, parent: "center"},
	{key: "eco", name: "生态环境分局", kind: routing.KindDepartment, parent: "center"},
	{key: "land", name: "自然资源和规划分局", kind: routing.KindDepartment, parent: "center"},
	{key: "social", name: "社会事业局", kind: routing.KindDepartment, parent: "center"},
	{key: "safety", name: "应急管理局", kind: routing.KindDepartment, parent: "center"},
}

// monthShare is each month's share of a year's total (a quiet February,
// a busy December), adding up to 12.
var monthShare = [12]float64{0.85, 0.6, 1.0, 1.0, 1.0, 1.05, 1.0, 0.95, 1.05, 1.0, 1.1, 1.4}

// indicators loads the indicators, the zones and their figures for 2026
// up to the last period ended before now. The figures are drawn from a
// fixed seed: every demo has the same.
func (z *zone) indicators(ctx context.Context, now time.Time) error {
	if has, err := z.st.HasIndicators(ctx); err != nil || has {
		return err
	}
	for _, spec := range indicatorUnits {
		parent := z.units[spec.parent]
		u, err := z.st.CreateUnit(ctx, routing.NewUnit{Name: spec.name, Kind: spec.kind, ParentID: &parent}, now)
		if err != nil {
			return fmt.Errorf("demo: unit %s: %w", spec.name, err)
		}
		z.units[spec.key] = u.ID
	}
	inds := make([]kpi.Indicator, len(indicatorSpecs))
	for i, sp := range indicatorSpecs {
		target, unit := sp.target, z.units[sp.unit]
		inds[i] = kpi.Indicator{Code: sp.code, Name: sp.name, Group: sp.group, Measure: sp.measure, Direction: sp.dir,
			Aggregation: sp.agg, Cadence: sp.cad, Target: &target, UnitID: &unit, Sort: i + 1, Active: true}
	}
	ids, err := z.st.CreateIndicators(ctx, inds, now)
	if err != nil {
		return err
	}
	zoneIDs := make([]int64, len(indicatorZones))
	for i, name := range indicatorZones {
		zn, err := z.st.CreateIndicatorZone(ctx, kpi.NewZone{Name: name, Home: i == 0, Sort: i}, now)
		if err != nil {
			return err
		}
		zoneIDs[i] = zn.ID
	}
	vals := indicatorValues(ids, zoneIDs, now.In(z.loc))
	return z.st.SaveIndicatorValues(ctx, vals, nil, now)
}

// indicatorValues makes up the figures: each zone keeps its own standing
// on an indicator (a draw around the base), moves along the year's drift
// and wobbles a little from period to period.
func indicatorValues(ids, zones []int64, now time.Time) []kpi.Value {
	rnd := rand.New(rand.NewPCG(2026, 35))
	yesterday := kpi.Civil(now).AddDate(0, 0, -1)
	var out []kpi.Value
	for i, sp := range indicatorSpecs {
		last := kpi.LastEndedBy(sp.cad, yesterday)
		for zi, zone := range zones {
			standing := rnd.NormFloat64()
			if zi == 0 {
				// This zone stands a little above the city's middle, as a
				// zone that publishes its ranking usually does.
				standing += 0.4
			}
			if sp.dir == kpi.LowerBetter {
				standing = -standing // a better standing is a lower figure
			}
			growth := math.Round((8+6*standing+2*rnd.NormFloat64())*10) / 10
			for p := (kpi.Period{Kind: sp.cad, Year: 2026, N: 1}); p.Year == 2026 && !last.Start().Before(p.Start()); p = p.Next() {
				v := kpi.Value{IndicatorID: ids[i], ZoneID: zone, Period: p.String()}
				if sp.agg == kpi.Sum {
					share := monthShare[p.End().Month()-1] / 12
					if sp.cad == kpi.Quarterly {
						share *= 3
					}
					v.Value = roundTo(math.Max(0, sp.base*(1+sp.spread*standing)*share*(1+0.15*rnd.NormFloat64())), sp.dec)
					if sp.dir == kpi.HigherBetter {
						yoy := math.Round((growth+1.5*rnd.NormFloat64())*10) / 10
						v.YoY = &yoy
					}
				} else {
					along := float64(p.End().YearDay()) / 365
					x := sp.base*(1+sp.spread*standing) + sp.drift*along + sp.base*sp.spread*0.12*rnd.NormFloat64()
					if sp.ceiling > 0 {
						x = math.Min(x, sp.ceiling)
					}
					v.Value = roundTo(x, sp.dec)
				}
				out = append(out, v)
			}
		}
	}
	return out
}

func roundTo(v float64, dec int) float64 {
	f := math.Pow10(dec)
	return math.Round(v*f) / f
}
