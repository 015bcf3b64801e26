package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
)

// The zone's published period: from 1 January to 31 October 2026 the
// platform routed 174 disputes, 81 civil, 69 labour, 10 contract and 14
// other (the bulletin prints 13, a misprint: only 14 agrees with its
// total and its percentages), and 169 were settled on site or after being
// taken back. The demo history reproduces it, plus duplicates merged and
// police matters referred, which the figures leave out.
var (
	PeriodFrom = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	PeriodTo   = time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
)

// histType is how many disputes of a type the period had.
type histType struct {
	typ   string
	n     int
	texts []string // each with two %s: the caller, then the other party
}

var history = []histType{
	{"neighbor", 26, []string{"%s反映楼上邻居%s装修噪音扰民，双方在楼道争吵", "%s与邻居%s因门前堆放杂物占用通道发生口角", "%s称邻居%s家空调外机对着自家窗户，协商不成吵了起来"}},
	{"marriage_family", 17, []string{"%s与丈夫%s因孩子抚养问题争吵，女方要求调解", "%s反映儿子%s不赡养老人，家庭矛盾激化", "%s与妻子%s因家庭开支问题吵架，邻居报警"}},
	{"traffic", 14, []string{"%s的电动车与%s的小货车在园区路口刮擦，双方对赔偿有争议", "%s驾驶的三轮车倒车碰到%s停放的轿车，未受伤，赔偿谈不拢"}},
	{"injury", 9, []string{"%s家的狗咬伤了路过的%s，双方为医药费争执", "%s的孩子在小区玩耍时被%s家孩子推倒磕破，家长要求赔偿"}},
	{"property_mgmt", 8, []string{"%s等业主反映物业停了电梯，与物业经理%s发生争执", "%s不满物业费上涨，与物业%s在物业中心争吵"}},
	{"housing_land", 4, []string{"%s与%s两家因宅基地边界围墙归属再起争执"}},
	{"medical", 2, []string{"%s认为诊所给%s用药不当，在诊所内要求赔偿"}},
	{"inheritance", 1, []string{"%s与弟弟%s为父亲留下的房屋如何分割争吵"}},
	{"wage_arrears", 52, []string{"%s等十几名工人反映包工头%s拖欠三个月工资，聚集在工地门口", "%s称在某五金制品有限公司做抛光，老板%s拖欠工资一万余元", "%s等外地工人讨要年前工资，与项目部%s发生争执", "快递分拣站临时工%s说站点负责人%s少结半个月工钱"}},
	{"work_injury", 9, []string{"%s在冲床上压伤手指，家属要求厂方%s赔偿误工费", "%s在车间搬运时砸伤脚，与老板%s对赔偿金额谈不拢"}},
	{"labor_contract", 8, []string{"%s被公司辞退，称未签劳动合同，要求%s赔偿", "%s反映公司%s一直未给缴纳社保"}},
	{"sales_payment", 4, []string{"供货商%s反映某门业公司%s拖欠配件货款八万余元"}},
	{"loan_debt", 2, []string{"%s借给朋友%s五万元到期不还，上门讨要发生争吵"}},
	{"consumer", 2, []string{"%s在五金城买的电动工具三天就坏，店主%s不给退换"}},
	{"lease", 1, []string{"租客%s与房东%s因提前退租押金发生纠纷"}},
	{"construction", 1, []string{"装修队%s称业主%s拖欠装修尾款两万元"}},
	{"environment", 6, []string{"%s等居民反映附近喷漆厂夜间气味很大，与厂方%s交涉未果", "%s反映工地夜间施工噪音扰民，与施工方%s争执"}},
	{"school", 3, []string{"家长%s反映孩子在学校被同学欺负，与班主任%s沟通不满意"}},
	{"land_requisition", 2, []string{"%s对征地补偿标准有异议，与村干部%s发生争执"}},
	{"other", 3, []string{"%s反映%s在小区内违规停放货车影响通行"}},
}

// fakeName draws a surname and hides the given name behind 某, as the
// zone's records print a caller's name.
func fakeName(rnd *rand.Rand) string { return string(surnames[rnd.IntN(len(surnames))]) + "某" }

var surnames = []rune("张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")

// loadHistory writes the period's disputes, each through the engine with
// a timeline a real case would have. Cases run in parallel so that their
// writes share commits.
func (z *zone) loadHistory(ctx context.Context) error {
	rnd := rand.New(rand.NewPCG(2026, 174))
	type plan struct {
		typ, text, name string
		at              time.Time
		outcome         casework.Outcome
		end             casework.Action // refer_police for the ones left out
		dups            []string        // duplicate calls merged into it while it is handled
	}
	var plans []plan
	span := PeriodTo.Sub(PeriodFrom)
	pick := func(h histType) plan {
		a := fakeName(rnd)
		b := fakeName(rnd)
		text := fmt.Sprintf(h.texts[rnd.IntN(len(h.texts))], a, b)
		at := PeriodFrom.Add(time.Duration(rnd.Int64N(int64(span - 48*time.Hour))))
		// Calls come in the day and evening more than at night.
		at = time.Date(at.Year(), at.Month(), at.Day(), 7+rnd.IntN(16), rnd.IntN(60), rnd.IntN(60), 0, at.Location())
		return plan{typ: h.typ, text: text, name: a, at: at}
	}
	for _, h := range history {
		for range h.n {
			plans = append(plans, pick(h))
		}
	}
	// Five of the 174 were not settled: three went on to arbitration or the
	// courts, two stayed unresolved; the rest were settled on site or after
	// mediation.
	for i := range plans {
		switch {
		case i%35 == 7 && i < 105:
			plans[i].outcome = casework.OutcomeReferred
		case i == 140 || i == 160:
			plans[i].outcome = casework.OutcomeUnresolved
		case rnd.IntN(100) < 62:
			plans[i].outcome = casework.OutcomeOnsite
		default:
			plans[i].outcome = casework.OutcomeTakenBack
		}
	}
	// Left out of the figures: duplicate calls merged into the dispute they
	// repeat, and police matters referred.
	dups := map[string][]string{
		"wage_arrears":  {"又有人打来电话，说那边工人还堵在门口", "路过的司机说工地门口围着很多人，车出不去", "讨薪的人越来越多了，老板还没出面"},
		"neighbor":      {"楼下住户也打电话反映楼上还在吵"},
		"traffic":       {"路过的人说路口两车刮擦把路堵了"},
		"property_mgmt": {"又一位业主打电话说电梯停了"},
	}
	for typ, texts := range dups {
		for i := range plans {
			if plans[i].typ == typ && plans[i].outcome != casework.OutcomeUnresolved {
				plans[i].dups = texts
				break
			}
		}
	}
	for _, e := range []struct{ typ, text string }{
		{"loan_debt", "%s被讨债的%s拿棍子堵在家门口威胁"},
		{"marriage_family", "%s被丈夫%s打伤了头，流了血"},
		{"other", "%s发现%s在出租房里聚众赌博"},
	} {
		p := pick(histType{typ: e.typ, texts: []string{e.text}})
		p.end = casework.ActionReferPolice
		plans = append(plans, p)
	}

	errs := make(chan error, len(plans))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i, p := range plans {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := z.historyCase(ctx, rand.New(rand.NewPCG(uint64(i), 7)), p.typ, p.text, p.name, p.at, p.outcome, p.end, p.dups); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// historyCase receives one case and takes it through its life: dispatch
// within a minute or two, the team signs and arrives, settles it on the
// spot or takes it back for mediation, and the center calls back and
// closes it. Merged and referred ones end early.
func (z *zone) historyCase(ctx context.Context, rnd *rand.Rand, typ, text, name string, at time.Time, outcome casework.Outcome,
	end casework.Action, dups []string) error {
	receive := func(text, name string, at time.Time) (int64, error) {
		actor := z.users["zhiban"]
		in := casework.Intake{Channel: []string{"110", "110", "110", "12345", "phone", "grid"}[rnd.IntN(6)], Text: text, Type: typ,
			Reporter: casework.Reporter{Name: name, Phone: fmt.Sprintf("1380000%04d", 100+rnd.IntN(9000))}}
		if err := in.Validate(actor); err != nil {
			return 0, err
		}
		c, ev, err := casework.Receive(in, z.cls.Classify(text), casework.ContractTypes{}, actor, at)
		if err != nil {
			return 0, err
		}
		routeWithoutDispatch(&c, z.rules, z.dir, z.ents, actor.UnitID, z.loc)
		created, err := z.st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}, Duplicates: indexed(c)})
		return created.Case.ID, err
	}
	id, err := receive(text, name, at)
	if err != nil {
		return err
	}
	step := func(by string, cmd casework.Command, after time.Duration) error {
		at = at.Add(after)
		return z.act(ctx, id, by, cmd, at)
	}
	sec := func(lo, hi int) time.Duration { return time.Duration(lo+rnd.IntN(hi-lo+1)) * time.Second }
	if end == casework.ActionReferPolice {
		return step("zhiban", casework.Command{Action: casework.ActionReferPolice, Reason: "涉及人身安全，属治安类警情，移交公安"}, sec(25, 55))
	}
	team := z.units["team"]
	if typ == "consumer" {
		team = z.units["market"]
	}
	steps := []struct {
		by    string
		cmd   casework.Command
		after time.Duration
	}{
		{"zhiban", casework.Command{Action: casework.ActionDispatch, UnitID: &team}, sec(20, 75)},
		{"chuzhi", casework.Command{Action: casework.ActionAccept}, sec(40, 220)},
		{"chuzhi", casework.Command{Action: casework.ActionArrive}, sec(150, 460)},
	}
	for i, s := range steps {
		if err := step(s.by, s.cmd, s.after); err != nil {
			return err
		}
		if i == 0 {
			// Duplicate calls while the team is on its way, merged at once.
			for k, text := range dups {
				dupAt := at.Add(time.Duration(k+1) * sec(40, 120))
				dup, err := receive(text, fakeName(rnd), dupAt)
				if err != nil {
					return err
				}
				if err := z.act(ctx, dup, "zhiban2", casework.Command{Action: casework.ActionMerge, Into: &id}, dupAt.Add(sec(20, 60))); err != nil {
					return err
				}
			}
		}
	}
	if outcome == casework.OutcomeTakenBack || outcome == casework.OutcomeUnresolved || outcome == casework.OutcomeReferred && rnd.IntN(2) == 0 {
		if err := step("chuzhi", casework.Command{Action: casework.ActionTakeBack, Note: "双方分歧较大，带回中心调处"}, sec(900, 3600)); err != nil {
			return err
		}
		if err := step("tiaojie", casework.Command{Action: casework.ActionResolve, Outcome: outcome, Note: resolveNote[outcome]}, sec(3*3600, 4*86400)); err != nil {
			return err
		}
	} else if err := step("chuzhi", casework.Command{Action: casework.ActionResolve, Outcome: outcome, Note: resolveNote[outcome]}, sec(900, 5400)); err != nil {
		return err
	}
	sat := 3 + rnd.IntN(3)
	return step("zhiban", casework.Command{Action: casework.ActionClose, Satisfaction: &sat, Note: "回访：当事人对处理结果表示认可"}, sec(4*3600, 30*3600))
}

var resolveNote = map[casework.Outcome]string{
	casework.OutcomeOnsite:     "现场调解，双方达成一致",
	casework.OutcomeTakenBack:  "经调解委员会调解，签订调解协议",
	casework.OutcomeReferred:   "双方分歧较大，引导申请劳动仲裁或向法院起诉",
	casework.OutcomeUnresolved: "当事人拒绝调解，已告知其他救济途径",
}
