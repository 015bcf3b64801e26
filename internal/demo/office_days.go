package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/officeday"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/store"
)

// officeDemand is a demand an enterprise raised at one of the last three
// office days (ago 3 is the oldest), and what became of it.
type officeDemand struct {
	ago    int
	minute int // minutes after the office hours open
	name   string
	phone  string
	typ    string
	text   string
	unit   string
	// upTo is the last action taken: accept, arrive, resolve or close;
	// sat the enterprise's rating at close (0: none recorded).
	upTo     casework.Action
	sat      int
	extended bool // the department asked for more time, and got it
}

// officeDemands cover the problem list's states: struck off (已销号),
// closed without the enterprise's word (待回访), settled and awaiting the
// call, overdue, and running on an approved extension.
var officeDemands = []officeDemand{
	{ago: 3, minute: 10, name: "张某", phone: "13800000029", typ: "other", unit: "market",
		text: "某五金制品有限公司反映新上生产线的特种设备登记办理慢，希望加快", upTo: casework.ActionClose, sat: 5},
	{ago: 3, minute: 45, name: "王某某", phone: "13800000030", typ: "labor_contract", unit: "labor",
		text: "某保温杯有限公司反映旺季招工难，希望对接人社部门组织专场招聘", upTo: casework.ActionClose},
	{ago: 2, minute: 20, name: "刘某", phone: "13800000031", typ: "business", unit: "market",
		text: "某电动工具有限公司反映其注册商标被外地企业仿冒，希望协助维权", upTo: casework.ActionResolve},
	{ago: 2, minute: 50, name: "陈某某", phone: "13800000032", typ: "environment", unit: "enforce",
		text: "某厨具制造有限公司反映排污许可证延续手续卡在材料审核，影响正常生产", upTo: casework.ActionArrive},
	{ago: 2, minute: 70, name: "杨某", phone: "13800000033", typ: "other", unit: "enforce",
		text: "某电动车配件厂反映厂区门口限行时段与货车装卸时间冲突，希望调整", upTo: casework.ActionClose, sat: 4},
	{ago: 1, minute: 15, name: "张某", phone: "13800000029", typ: "construction", unit: "enforce",
		text: "某五金制品有限公司反映厂区周边道路照明损坏，夜班职工出行不便", upTo: casework.ActionArrive, extended: true},
}

// officeDays files the demands of the last three office days before now,
// each through the engine as a clerk would have on the day.
func (z *zone) officeDays(ctx context.Context, now time.Time) error {
	sched, err := officeday.New(z.st.Clocks().Calendar, nil)
	if err != nil {
		return err
	}
	today := sla.DateOf(now)
	days := sched.Between(today.AddDays(-120), today.AddDays(-1))
	if len(days) < 3 {
		return fmt.Errorf("demo: only %d office days before %s", len(days), today)
	}
	days = days[len(days)-3:]
	clerk := z.users["zhiban"]
	for i, d := range officeDemands {
		day := days[3-d.ago]
		at := day.Date.Start().Add(officeday.OpensAt*time.Hour + time.Duration(d.minute)*time.Minute).In(z.loc)
		in := casework.Intake{Line: casework.LineEnterprise, Channel: casework.ChannelOfficeDay, Text: d.text,
			Reporter: casework.Reporter{Name: d.name, Phone: d.phone}, Address: day.Place, Type: d.typ, OccurredAt: &at}
		if err := in.Validate(clerk); err != nil {
			return fmt.Errorf("demo: office-day demand %d: %w", i, err)
		}
		c, ev, err := casework.Receive(in, z.cls.Classify(d.text), casework.ContractTypes{}, clerk, at)
		if err != nil {
			return fmt.Errorf("demo: office-day demand %d: %w", i, err)
		}
		if e := z.ents.Find(d.text); e != nil {
			c.EnterpriseID = &e.ID
		}
		routeWithoutDispatch(&c, z.rules, z.dir, z.ents, clerk.UnitID, z.loc)
		created, err := z.st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}, Duplicates: indexed(c)})
		if err != nil {
			return fmt.Errorf("demo: office-day demand %d: %w", i, err)
		}
		for _, st := range d.steps(z, day.Date) {
			at = at.Add(st.after)
			if at.After(now) {
				at = now
			}
			if err := z.actWithClocks(ctx, created.Case.ID, st.by, st.cmd, at); err != nil {
				return fmt.Errorf("demo: office-day demand %d %s: %w", i, st.cmd.Action, err)
			}
		}
	}
	return nil
}

type timedCommand struct {
	after time.Duration
	by    string
	cmd   casework.Command
}

// steps is the demand's life: dispatched at the office day, signed for,
// visited the next day, settled two days later, called back the day after.
func (d officeDemand) steps(z *zone, day sla.Date) []timedCommand {
	unit := z.units[d.unit]
	handler := map[string]string{"market": "shichang", "labor": "laobao", "enforce": "zhiban"}[d.unit]
	out := []timedCommand{
		{20 * time.Minute, "zhiban", casework.Command{Action: casework.ActionDispatch, UnitID: &unit, Note: "现场办公日交办"}},
		{2 * time.Hour, handler, casework.Command{Action: casework.ActionAccept}},
		{22 * time.Hour, handler, casework.Command{Action: casework.ActionArrive, Note: "到企业现场了解情况"}},
	}
	if d.extended {
		until, _ := z.st.Clocks().Calendar.AddWorkdays(day, 12)
		end := until.End()
		out = append(out,
			timedCommand{time.Hour, handler, casework.Command{Action: casework.ActionExtend, Stage: "resolve", Until: &end,
				Reason: "路灯线路需电力部门配合改造，申请延期"}},
			timedCommand{time.Hour, "lingdao", casework.Command{Action: casework.ActionApproveExt, Stage: "resolve", Note: "同意延期"}})
	}
	if d.upTo == casework.ActionArrive {
		return out
	}
	out = append(out, timedCommand{48 * time.Hour, handler, casework.Command{Action: casework.ActionResolve,
		Outcome: casework.OutcomeOnsite, Note: "已协调办结，书面答复企业"}})
	if d.upTo == casework.ActionResolve {
		return out
	}
	closing := casework.Command{Action: casework.ActionClose, Note: "电话回访企业"}
	if d.sat > 0 {
		closing.Satisfaction = &d.sat
		closing.Note = fmt.Sprintf("电话回访企业，评价 %d 分", d.sat)
	}
	return append(out, timedCommand{24 * time.Hour, "zhiban", closing})
}

// actWithClocks is act with the clocks in force, which an extension
// needs to check its date against the stage's due time.
func (z *zone) actWithClocks(ctx context.Context, id int64, by string, cmd casework.Command, at time.Time) error {
	actor := z.users[by]
	env := casework.Env{Now: at, Types: casework.ContractTypes{}, Clocks: z.st.Clocks()}
	_, err := z.st.Act(ctx, store.ActRequest{CaseID: id, Scope: casework.Scope{All: true}, Command: cmd, Unit: z.dir.Ref, Now: at,
		Decide: func(c casework.Case, refs casework.Refs) (casework.Decision, error) {
			return casework.Decide(c, cmd, actor, refs, env)
		}})
	return err
}
