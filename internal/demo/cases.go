package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
)

// step is one action in a demo case's life, taken some minutes after the
// previous one.
type step struct {
	after  int // minutes after the previous step
	by     string
	action casework.Action
	unit   string // unit key for dispatch and transfer
	reason string
	note   string
	out    casework.Outcome
	sat    int
	into   int // index of the demo case to merge into
}

// story is a demo case: the report and what happened to it.
type story struct {
	hoursAgo float64
	by       string
	line     casework.Line
	channel  string
	text     string
	name     string
	phone    string
	address  string
	lat, lon float64
	typ      string
	steps    []step
}

func dispatchTo(unit string) step {
	return step{after: 2, by: "zhiban", action: casework.ActionDispatch, unit: unit}
}

var (
	accept  = step{after: 3, by: "chuzhi", action: casework.ActionAccept}
	arrive  = step{after: 9, by: "chuzhi", action: casework.ActionArrive}
	bring   = step{after: 30, by: "chuzhi", action: casework.ActionTakeBack, note: "双方情绪激动，带回中心调处"}
	onsite  = step{after: 40, by: "chuzhi", action: casework.ActionResolve, out: casework.OutcomeOnsite, note: "现场调解达成一致"}
	settled = step{after: 600, by: "tiaojie", action: casework.ActionResolve, out: casework.OutcomeTakenBack, note: "经调解双方签订调解协议"}
)

func closeWith(sat int) step {
	return step{after: 720, by: "zhiban", action: casework.ActionClose, sat: sat, note: "回访：当事人表示满意"}
}

// handled is the whole path of a case settled on site and closed.
func handled(team string, sat int) []step {
	return []step{dispatchTo(team), accept, arrive, onsite, closeWith(sat)}
}

var stories = []story{
	// Closed, settled on the spot.
	{hoursAgo: 230, by: "zhiban", channel: "110", typ: "wage_arrears", name: "张某", phone: "13800000001",
		text: "报警人称在某五金制品有限公司做抛光，老板拖欠两个月工资共一万二千元，今天去要钱厂里不给", address: "五金城科技路18号", lat: 28.889, lon: 120.061,
		steps: handled("team", 5)},
	{hoursAgo: 200, by: "zhiban", channel: "110", typ: "neighbor", name: "李某某", phone: "13800000002",
		text: "楼上邻居装修每天早上七点就开始电钻，说了几次不听，双方在楼道里吵起来了", address: "东城小区5幢", lat: 28.897, lon: 120.041,
		steps: handled("team", 4)},
	{hoursAgo: 180, by: "zhiban", channel: "12345", typ: "consumer", name: "王某", phone: "13800000003",
		text: "在五金城买的电动工具用了三天就坏了，店家不给退也不给修，要求退款", address: "五金城B区某工具店", lat: 28.886, lon: 120.058,
		steps: []step{dispatchTo("market"), {after: 30, by: "zhiban", action: casework.ActionAccept}, {after: 120, by: "zhiban", action: casework.ActionArrive},
			{after: 60, by: "zhiban", action: casework.ActionResolve, out: casework.OutcomeOnsite, note: "店家同意退货退款"}, closeWith(5)}},
	{hoursAgo: 160, by: "zhiban", channel: "110", typ: "traffic", name: "赵某", phone: "13800000004",
		text: "电动车和小货车在园区路口刮擦，没人受伤，双方为赔多少钱争执不下", address: "工业园区纬三路口", lat: 28.892, lon: 120.066,
		steps: handled("team", 4)},
	{hoursAgo: 150, by: "zhiban", channel: "phone", typ: "lease", name: "孙某", phone: "13800000005",
		text: "租客说房东提前收回出租房不退押金，双方在楼下争吵", address: "城中村新屋里32号", lat: 28.899, lon: 120.036,
		steps: handled("team", 3)},
	// Closed after being taken back for mediation.
	{hoursAgo: 140, by: "zhiban", channel: "110", typ: "work_injury", name: "周某", phone: "13800000006",
		text: "工人在冲床上压伤手指，厂里只付了医药费，工人家属要求赔偿误工费，在厂门口和老板理论", address: "某电动车配件厂", lat: 28.884, lon: 120.064,
		steps: []step{dispatchTo("team"), accept, arrive, bring, settled, closeWith(4)}},
	{hoursAgo: 120, by: "zhiban", channel: "110", typ: "marriage_family", name: "吴某", phone: "13800000007",
		text: "夫妻因为孩子上学的事吵架，女方要回娘家，男方不让，邻居报警", address: "东城小区12幢", lat: 28.895, lon: 120.043,
		steps: []step{dispatchTo("team"), accept, arrive, bring, settled, closeWith(5)}},
	{hoursAgo: 100, by: "zhiban", channel: "12345", typ: "sales_payment", name: "郑某", phone: "13800000008",
		text: "供货商反映某门业公司拖欠防盗门配件货款八万余元，多次催讨未果", address: "五金城纬二路", lat: 28.888, lon: 120.055,
		steps: []step{dispatchTo("justice"), {after: 60, by: "tiaojie", action: casework.ActionAccept}, {after: 600, by: "tiaojie", action: casework.ActionArrive},
			{after: 60, by: "tiaojie", action: casework.ActionTakeBack}, {after: 1440, by: "tiaojie", action: casework.ActionResolve, out: casework.OutcomeTakenBack, note: "约定分三期付清"}, closeWith(4)}},
	// Resolved, awaiting the follow-up call.
	{hoursAgo: 30, by: "zhiban", channel: "110", typ: "wage_arrears", name: "冯某", phone: "13800000009",
		text: "工地上十几个工人说包工头欠了三个月工资，聚在工地门口不肯走", address: "开发区某安置房工地", lat: 28.893, lon: 120.052,
		steps: []step{dispatchTo("team"), accept, arrive, {after: 20, by: "zhiban", action: casework.ActionSupervise, reason: "群体讨薪，请劳动监察尽快介入"},
			bring, {after: 300, by: "laobao", action: casework.ActionResolve, out: casework.OutcomeTakenBack, note: "总包单位垫付工资，当场发放"}}},
	{hoursAgo: 20, by: "zhiban", channel: "grid", typ: "property_mgmt", name: "陈某", phone: "13800000010",
		text: "小区业主反映物业停了电梯，说要等业主交齐物业费才修", address: "东城小区物业中心", lat: 28.896, lon: 120.040,
		steps: []step{dispatchTo("grid_east"), {after: 30, by: "wangge", action: casework.ActionAccept}, {after: 40, by: "wangge", action: casework.ActionArrive},
			{after: 90, by: "wangge", action: casework.ActionResolve, out: casework.OutcomeOnsite, note: "物业同意先行维修电梯"}}},
	{hoursAgo: 18, by: "zhiban", channel: "110", typ: "loan_debt", name: "褚某", phone: "13800000011",
		text: "朋友借了五万块钱说好年底还，现在电话不接，报警人到对方家门口要钱", address: "城西新村8号", lat: 28.898, lon: 120.031,
		steps: []step{dispatchTo("team"), accept, arrive, {after: 30, by: "chuzhi", action: casework.ActionResolve, out: casework.OutcomeReferred, note: "引导当事人向法院起诉"}}},
	// Mediating.
	{hoursAgo: 10, by: "zhiban", channel: "110", typ: "injury", name: "卫某", phone: "13800000012",
		text: "两家人因为小孩玩耍时把别家孩子推倒磕破头，为医药费吵起来", address: "东城小区儿童乐园", lat: 28.896, lon: 120.044,
		steps: []step{dispatchTo("team"), accept, arrive, bring}},
	{hoursAgo: 8, by: "zhiban", channel: "110", typ: "labor_contract", name: "蒋某", phone: "13800000013",
		text: "员工被公司辞退，说没签劳动合同也没交社保，要求赔偿，在人事办公室不肯走", address: "某五金制品有限公司", lat: 28.889, lon: 120.061,
		steps: []step{dispatchTo("team"), accept, arrive, bring}},
	// On site.
	{hoursAgo: 3, by: "zhiban", channel: "110", typ: "neighbor", name: "沈某", phone: "13800000014",
		text: "两户人家为门口堆放杂物占用过道发生口角", address: "城中村后塘12号", lat: 28.900, lon: 120.034,
		steps: []step{dispatchTo("team"), accept, arrive}},
	{hoursAgo: 2.5, by: "zhiban", channel: "110", typ: "construction", name: "韩某", phone: "13800000015",
		text: "装修队说业主拖欠装修尾款两万元，把业主家的门锁换了", address: "东城小区3幢", lat: 28.894, lon: 120.042,
		steps: []step{dispatchTo("team"), accept, arrive}},
	// Accepted.
	{hoursAgo: 1.5, by: "zhiban", channel: "12345", typ: "environment", name: "杨某", phone: "13800000016",
		text: "园区一家喷漆厂晚上气味很大，附近居民睡不着觉", address: "工业园区经五路", lat: 28.887, lon: 120.069,
		steps: []step{dispatchTo("enforce"), {after: 10, by: "zhiban", action: casework.ActionAccept}}},
	{hoursAgo: 1.2, by: "zhiban", channel: "110", typ: "wage_arrears", name: "朱某", phone: "13800000017",
		text: "快递分拣站临时工说站点少结了半个月工钱", address: "开发区物流园", lat: 28.882, lon: 120.050,
		steps: []step{dispatchTo("team"), accept}},
	// Dispatched.
	{hoursAgo: 0.8, by: "zhiban", channel: "110", typ: "traffic", name: "秦某", phone: "13800000018",
		text: "外卖电动车撞到行人，行人说腿疼，双方在商量赔偿", address: "五金大道与科技路口", lat: 28.891, lon: 120.047,
		steps: []step{dispatchTo("team")}},
	{hoursAgo: 0.6, by: "zhiban", channel: "12345", typ: "school", name: "尤某", phone: "13800000019",
		text: "家长反映孩子在学校被同学欺负，和学校沟通不满意", address: "开发区某小学", lat: 28.897, lon: 120.038,
		steps: []step{dispatchTo("justice")}},
	// Returned once, back at the center.
	{hoursAgo: 5, by: "zhiban", channel: "12345", typ: "housing_land", name: "许某", phone: "13800000020",
		text: "两家人为宅基地边界的围墙归属争执多年，最近又吵起来", address: "城西村", lat: 28.899, lon: 120.029,
		steps: []step{dispatchTo("market"), {after: 30, by: "shichang", action: casework.ActionReturn, reason: "宅基地纠纷不属于市场监管职责"}}},
	// Received, waiting for dispatch.
	{hoursAgo: 0.3, by: "zhiban", channel: "110", typ: "consumer", name: "何某", phone: "13800000021",
		text: "在五金城买了一套保温杯礼盒，发现是假冒品牌，店主不认", address: "五金城A区", lat: 28.887, lon: 120.057},
	{hoursAgo: 0.2, by: "zhiban2", channel: "walk_in", typ: "inheritance", name: "吕某", phone: "13800000022",
		text: "兄弟姐妹为父亲留下的房子怎么分吵了好几次，想请中心帮忙调解", address: "东城小区9幢"},
	{hoursAgo: 0.1, by: "zhiban", channel: "110", typ: "wage_arrears", name: "施某", phone: "13800000023",
		text: "二十多个工人堵在某五金制品有限公司门口，说老板欠了三个月工资，有人拉了横幅", address: "五金城科技路18号", lat: 28.889, lon: 120.061},
	// Worker need and enterprise demand lines.
	{hoursAgo: 48, by: "yizhan", line: casework.LineWorker, channel: "station", typ: "labor_contract", name: "张某某", phone: "13800000024",
		text: "外地职工反映工作满一年了公司还没给缴社保，想咨询怎么办", address: "工业园党建服务驿站",
		steps: []step{dispatchTo("labor"), {after: 60, by: "laobao", action: casework.ActionAccept}}},
	{hoursAgo: 72, by: "qiye", line: casework.LineEnterprise, channel: "enterprise", typ: "other", name: "周某", phone: "13800000025",
		text: "企业反映厂区门口道路破损严重，货车进出困难，希望尽快修复", address: "某五金制品有限公司",
		steps: []step{dispatchTo("enforce"), {after: 120, by: "zhiban", action: casework.ActionAccept}}},
	// Referred to the police.
	{hoursAgo: 26, by: "zhiban", channel: "110", typ: "loan_debt", name: "孔某", phone: "13800000026",
		text: "讨债的人拿着棍子堵在门口，说不还钱就打断腿", address: "城中村新屋里5号", lat: 28.899, lon: 120.035,
		steps: []step{{after: 1, by: "zhiban", action: casework.ActionReferPolice, reason: "持械威胁，属治安案件，移交派出所"}}},
	// A duplicate report of the gate case, merged.
	{hoursAgo: 0.05, by: "zhiban2", channel: "110", typ: "wage_arrears", name: "曹某", phone: "13800000027",
		text: "科技路那家五金厂门口围了好多工人，车都开不出去了", address: "五金城科技路", lat: 28.8892, lon: 120.0612,
		steps: []step{{after: 1, by: "zhiban2", action: casework.ActionMerge, into: 22}}},
	// Reopened after the reporter was not satisfied.
	{hoursAgo: 96, by: "zhiban", channel: "12345", typ: "property_mgmt", name: "严某", phone: "13800000028",
		text: "楼上漏水到我家天花板，物业说不归他们管", address: "东城小区7幢", lat: 28.895, lon: 120.045,
		steps: []step{dispatchTo("grid_east"), {after: 30, by: "wangge", action: casework.ActionAccept}, {after: 60, by: "wangge", action: casework.ActionArrive},
			{after: 60, by: "wangge", action: casework.ActionResolve, out: casework.OutcomeOnsite}, {after: 1440, by: "zhiban", action: casework.ActionReopen, reason: "回访时当事人表示仍在漏水，不满意"}}},
}

func (z *zone) cases(ctx context.Context, now time.Time) error {
	ids := make([]int64, len(stories))
	for i, s := range stories {
		at := now.Add(-time.Duration(s.hoursAgo * float64(time.Hour))).Truncate(time.Second)
		actor := z.users[s.by]
		in := casework.Intake{Line: s.line, Channel: s.channel, Text: s.text, Reporter: casework.Reporter{Name: s.name, Phone: s.phone},
			Address: s.address, Type: s.typ}
		if s.lat != 0 {
			in.Location = &casework.Location{Lat: s.lat, Lon: s.lon}
		}
		if err := in.Validate(actor); err != nil {
			return fmt.Errorf("demo: case %d: %w", i, err)
		}
		c, ev, err := casework.Receive(in, z.cls.Classify(s.text), casework.ContractTypes{}, actor, at)
		if err != nil {
			return fmt.Errorf("demo: case %d: %w", i, err)
		}
		if actor.Role == casework.RoleEnterprise && actor.UnitID != nil {
			// An enterprise account speaks for its own enterprise, as intake
			// makes it.
			if e, ok := z.ents.OfMicroCenter(*actor.UnitID); ok {
				c.EnterpriseID = &e.ID
			}
		}
		routeWithoutDispatch(&c, z.rules, z.dir, z.ents, actor.UnitID, z.loc)
		created, err := z.st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}, Duplicates: indexed(c)})
		if err != nil {
			return fmt.Errorf("demo: case %d: %w", i, err)
		}
		c = created.Case
		ids[i] = c.ID
		for _, st := range s.steps {
			at = at.Add(time.Duration(st.after) * time.Minute)
			if at.After(now) {
				at = now
			}
			if err := z.act(ctx, c.ID, st.by, st.command(z, ids), at); err != nil {
				return fmt.Errorf("demo: case %d %s: %w", i, st.action, err)
			}
		}
	}
	return nil
}

// command is the engine's command for a story's step.
func (st step) command(z *zone, ids []int64) casework.Command {
	cmd := casework.Command{Action: st.action, Reason: st.reason, Note: st.note, Outcome: st.out}
	if st.unit != "" {
		u := z.units[st.unit]
		cmd.UnitID = &u
	}
	if st.sat > 0 {
		cmd.Satisfaction = &st.sat
	}
	if st.action == casework.ActionMerge {
		cmd.Into = &ids[st.into]
	}
	return cmd
}

// act takes an action as one of the demo's people at a time in the past.
func (z *zone) act(ctx context.Context, id int64, by string, cmd casework.Command, at time.Time) error {
	actor := z.users[by]
	env := casework.Env{Now: at, Types: casework.ContractTypes{}}
	_, err := z.st.Act(ctx, store.ActRequest{CaseID: id, Scope: casework.Scope{All: true}, Command: cmd, Unit: z.dir.Ref, Now: at,
		Decide: func(c casework.Case, refs casework.Refs) (casework.Decision, error) {
			return casework.Decide(c, cmd, actor, refs, env)
		}})
	return err
}
