package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

// enterpriseSpec is a demo enterprise; micro names its micro-center unit.
type enterpriseSpec struct {
	name      string
	industry  routing.Industry
	headcount int
	lat, lon  float64
	address   string
	micro     string
}

var enterprises = []enterpriseSpec{
	{"某五金制品有限公司", "door", 420, 28.889, 120.061, "五金城科技路18号", "ent_a"},
	{"某电动车配件厂", "vehicle", 260, 28.884, 120.064, "五金城纬三路6号", "ent_b"},
	{"某保温杯有限公司", "cup", 180, 28.892, 120.058, "五金城经二路21号", ""},
	{"某电动工具有限公司", "power_tool", 350, 28.886, 120.068, "工业园区经五路9号", ""},
	{"某厨具制造有限公司", "cookware", 95, 28.894, 120.055, "五金城纬一路3号", ""},
}

// creditCode makes a fictional 统一社会信用代码 with a valid check digit.
func creditCode(i int) string {
	first := fmt.Sprintf("91330784MA2H%05d", i+1)
	check, _ := routing.CreditCodeCheck(first)
	return first + string(check)
}

// demoRules are the rules an administrator of the demo zone configured:
// they name the zone's units. Only the grid workers' own reports are
// dispatched at once, to their own grid.
const demoRules = `rules:
  - name: 网格员自报件由本网格就地处置
    match: {channel: grid}
    lead: reporter_unit
    dispatch: true
  - name: 疑似治安类由派出所联络室先行对接
    match: {police: true}
    lead: 派出所联络室
    co: [政务110先期处置队]
  - name: 欠薪讨薪：先期处置队首接，劳动监察协办
    match: {type: [wage_arrears, labor_contract, work_injury]}
    lead: 政务110先期处置队
    co: [劳动保障监察中队, area:grid]
  - name: 消费纠纷由市场监管主办
    match: {type: consumer}
    lead: 市场监管分局开发区所
  - name: 环境污染由综合执法主办
    match: {type: environment}
    lead: 综合执法中队
  - name: 企业诉求由所在专属网格对接，企业微中心协办
    match: {line: enterprise}
    lead: enterprise_grid
    co: [enterprise]
  - name: 职工诉求由劳动监察主办，驿站协办
    match: {line: worker}
    lead: 劳动保障监察中队
    co: [reporter_unit]
  - name: 其他纠纷：先期处置队首接，所在网格协办
    lead: 政务110先期处置队
    co: [area:grid]
`

// people adds the zone's people (one per account, and more responders),
// its enterprises, the routing rules and a roster from two days ago to
// two weeks ahead, so that someone is on duty around the clock.
func (z *zone) people(ctx context.Context, now time.Time) error {
	var ps []routing.NewPerson
	for i, spec := range users {
		a := z.users[spec.username]
		ps = append(ps, routing.NewPerson{Name: spec.name, Phone: fmt.Sprintf("138000009%02d", i+1), Role: spec.role.Label(),
			UnitID: z.units[spec.unit], UserID: &a.UserID, Skills: []string{}})
	}
	extra := []struct{ name, unit, role string }{
		{"处置队员钱某某", "team", "先期处置队员"}, {"处置队员孙某某", "team", "先期处置队员"},
		{"处置队员李某某", "team", "先期处置队员"}, {"值班长周某某", "center", "值班长"},
	}
	for i, e := range extra {
		ps = append(ps, routing.NewPerson{Name: e.name, Phone: fmt.Sprintf("138000008%02d", i+1), Role: e.role,
			UnitID: z.units[e.unit], Skills: []string{"调解", "劳动法"}})
	}
	for i := range ps {
		if err := ps[i].Validate(z.dir); err != nil {
			return fmt.Errorf("demo: person %s: %w", ps[i].Name, err)
		}
	}
	ids, err := z.st.CreatePeople(ctx, ps, now)
	if err != nil {
		return err
	}
	person := map[string]int64{}
	for i, p := range ps {
		person[p.Name] = ids[i]
	}
	// The responders reported their positions from their phones recently.
	for i, name := range []string{"处置队员赵某", "处置队员钱某某", "处置队员孙某某"} {
		loc := casework.Location{Lat: 28.890 + 0.004*float64(i), Lon: 120.045 + 0.006*float64(i)}
		if err := z.st.SetPersonLocation(ctx, person[name], loc, now.Add(-20*time.Minute)); err != nil {
			return err
		}
	}

	grid := z.units["grid_ent"]
	worker := person["网格员孙某"]
	var es []routing.NewEnterprise
	for i, e := range enterprises {
		ne := routing.NewEnterprise{Name: e.name, CreditCode: creditCode(i), Address: e.address,
			Location: &casework.Location{Lat: e.lat, Lon: e.lon}, Industry: e.industry, Headcount: e.headcount,
			GridID: &grid, GridWorker: &worker}
		if e.micro != "" {
			micro := z.units[e.micro]
			ne.MicroCenter = &micro
		}
		es = append(es, ne)
	}
	for i := range es {
		if err := es[i].Validate(z.dir); err != nil {
			return fmt.Errorf("demo: enterprise %s: %w", es[i].Name, err)
		}
	}
	if _, err := z.st.CreateEnterprises(ctx, es, now); err != nil {
		return err
	}

	rules, err := routing.ParseRules([]byte(demoRules))
	if err != nil {
		return err
	}
	if err := rules.Validate(z.dir, casework.ContractTypes{}); err != nil {
		return err
	}
	if err := z.st.SetRoutingRules(ctx, rules, now); err != nil {
		return err
	}
	z.rules = rules
	all, err := z.st.Enterprises(ctx)
	if err != nil {
		return err
	}
	z.ents = routing.NewEnterpriseIndex(all)

	return z.roster(ctx, now, person)
}

// roster: dispatchers in three eight-hour shifts, a leader on 24-hour
// duty, and the response team in two twelve-hour shifts.
func (z *zone) roster(ctx context.Context, now time.Time, person map[string]int64) error {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, z.loc).AddDate(0, 0, -2)
	dispatchers := []string{"值班员王某", "值班员刘某", "值班长周某某"}
	responders := []string{"处置队员赵某", "处置队员钱某某", "处置队员孙某某", "处置队员李某某"}
	var shifts []routing.NewShift
	for d := range 16 {
		start := day.AddDate(0, 0, d)
		for s := range 3 {
			shifts = append(shifts, routing.NewShift{UnitID: z.units["center"], PersonID: person[dispatchers[(d+s)%3]],
				Start: start.Add(time.Duration(8*s) * time.Hour), End: start.Add(time.Duration(8*s+8) * time.Hour)})
		}
		shifts = append(shifts, routing.NewShift{UnitID: z.units["center"], PersonID: person["李某"],
			Start: start, End: start.Add(24 * time.Hour), Leader: true, Note: "带班领导"})
		for s := range 2 {
			for k := range 2 {
				shifts = append(shifts, routing.NewShift{UnitID: z.units["team"], PersonID: person[responders[(2*s+k+d)%4]],
					Start: start.Add(time.Duration(12*s+8) * time.Hour), End: start.Add(time.Duration(12*s+20) * time.Hour)})
			}
		}
	}
	_, err := z.st.CreateShifts(ctx, shifts)
	return err
}
