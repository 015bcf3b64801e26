package casework

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Command is a client's request to act on a case: the action and the
// fields it needs.
type Command struct {
	Action       Action
	UnitID       *int64
	Outcome      Outcome
	Note         string
	Reason       string
	Satisfaction *int
	Into         *int64
	Category     string
	Type         string
	Police       *bool
	Risk         string
	Stage        string
	Until        *time.Time
}

// UnitRef is what the engine needs to know of a unit a command names.
type UnitRef struct {
	ID   int64
	Name string
	Kind string
	// Lineage holds the unit and its ancestors, nearest first: it tells a
	// transfer down (下派) from one up (上报).
	Lineage []int64
}

func (u *UnitRef) below(other *UnitRef) bool {
	for _, id := range u.Lineage[1:] {
		if id == other.ID {
			return true
		}
	}
	return false
}

// Refs are the things a command names, loaded by the store in the same
// transaction so that the decision sees them as they are.
type Refs struct {
	Unit   *UnitRef // the unit named by Command.UnitID (or by the routing), nil if it does not exist
	Holder *UnitRef // the unit that holds the case now, if any
	Into   *Case    // the case named by Command.Into, nil if it does not exist or is invisible
}

// TypeChecker knows the classification scheme (the taxonomy).
type TypeChecker interface {
	// CategoryOf answers the category a type belongs to, false if unknown.
	CategoryOf(typ string) (string, bool)
}

// Env is what a decision depends on besides the case and the command.
type Env struct {
	Now   time.Time
	Types TypeChecker
	// ReturnLimit is how many times a case may be handed back (退单)
	// before the center must name a first-receiver unit; 0 means 2.
	ReturnLimit int
	// Clocks checks extension requests against the case's SLA; nil
	// accepts any well-formed request.
	Clocks ClockRules
}

// ClockRules knows the SLA of cases.
type ClockRules interface {
	// CheckExtension says whether an extension (延期) of a stage may be
	// asked for.
	CheckExtension(c Case, stage string, until time.Time, reason string, now time.Time) error
}

// DefaultReturnLimit is the zone's rule: two returns, then 首接负责.
const DefaultReturnLimit = 2

func (e Env) returnLimit() int {
	if e.ReturnLimit <= 0 {
		return DefaultReturnLimit
	}
	return e.ReturnLimit
}

// Decision is what an action does: the new projection of the case and the
// event that records it, and for a merge the master case's update too.
type Decision struct {
	Case        Case
	Event       Event
	Master      *Case
	MasterEvent *Event
}

// MaxTextLen bounds free text (report, note, reason) in characters.
const MaxTextLen = 4000

// Decide applies a command to a case. It refuses what the state machine
// does not allow with a conflict and writes nothing; it never touches
// storage, so the store can call it inside its transaction.
func Decide(c Case, cmd Command, actor Actor, refs Refs, env Env) (Decision, error) {
	r, ok := rules[cmd.Action]
	if !ok {
		return Decision{}, Invalid("unknown_action", "未知的操作“%s”", cmd.Action)
	}
	if err := Authorize(actor, cmd.Action); err != nil {
		return Decision{}, err
	}
	if !Allowed(cmd.Action, c.Status) {
		return Decision{}, Conflict("action_not_allowed",
			"工单当前状态为“%s”，不能执行“%s”", c.Status.Label(), r.label)
	}
	if err := checkText("note", cmd.Note); err != nil {
		return Decision{}, err
	}
	if err := checkText("reason", cmd.Reason); err != nil {
		return Decision{}, err
	}

	after := c.Clone()
	after.Status = next(cmd.Action, c.Status)
	ev := Event{
		CaseID:    c.ID,
		Seq:       c.Version + 1,
		Action:    cmd.Action,
		At:        env.Now,
		ActorID:   actor.UserID,
		Actor:     actor.Username,
		ActorName: actor.Name,
		UnitID:    cloneID(actor.UnitID),
		Note:      visible(cmd.Note),
		Reason:    visible(cmd.Reason),
	}
	d := Decision{}

	switch cmd.Action {
	case ActionDispatch:
		if err := d.dispatch(c, &after, cmd, actor, refs, env, &ev); err != nil {
			return d, err
		}
	case ActionTransfer:
		if err := transfer(c, &after, cmd, actor, refs, &ev); err != nil {
			return d, err
		}
	case ActionAccept, ActionArrive, ActionTakeBack:
	case ActionResolve:
		if !cmd.Outcome.Valid() {
			return d, Invalid("invalid_outcome",
				"处置结果 outcome 须为 onsite_resolved、taken_back_resolved、referred 或 unresolved")
		}
		o := cmd.Outcome
		after.Outcome = &o
	case ActionClose:
		if cmd.Satisfaction != nil {
			if *cmd.Satisfaction < 1 || *cmd.Satisfaction > 5 {
				return d, Invalid("invalid_satisfaction", "满意度 satisfaction 须为 1 到 5 的整数")
			}
			s := *cmd.Satisfaction
			after.Satisfaction = &s
		}
	case ActionFollowUp:
		// A case closed before the reporter could be reached gets its
		// rating when the follow-up call succeeds; a rating stands once
		// given (a wrong one is corrected by reopening).
		if c.Satisfaction != nil {
			return d, Conflict("already_rated", "该工单已有回访评价（%d 分），不能再次评价", *c.Satisfaction)
		}
		if cmd.Satisfaction == nil {
			return d, Invalid("satisfaction_required", "回访评价须给出满意度 satisfaction（1 到 5）")
		}
		if *cmd.Satisfaction < 1 || *cmd.Satisfaction > 5 {
			return d, Invalid("invalid_satisfaction", "满意度 satisfaction 须为 1 到 5 的整数")
		}
		s := *cmd.Satisfaction
		after.Satisfaction = &s
	case ActionReopen:
		if ev.Reason == "" {
			return d, Invalid("reason_required", "重办须填写原因")
		}
		after.UnitID = nil
		after.Outcome = nil
		after.Satisfaction = nil
	case ActionReturn:
		if c.FirstReceiver || c.Returns >= env.returnLimit() {
			return d, Conflict("return_limit",
				"该工单已退单 %d 次，由中心指定的首接负责单位承办，不能再退单；如确需调整请由中心改派", c.Returns)
		}
		if ev.Reason == "" {
			return d, Invalid("reason_required", "退单须填写原因")
		}
		after.UnitID = nil
		after.Returns++
	case ActionReferPolice:
		if ev.Reason == "" {
			return d, Invalid("reason_required", "移交公安须填写原因")
		}
		after.Police = true
	case ActionMerge:
		if err := d.merge(c, &after, cmd, actor, refs, &ev); err != nil {
			return d, err
		}
	case ActionUnmerge:
		if ev.Reason == "" {
			return d, Invalid("reason_required", "撤销合并须填写原因")
		}
		d.unmerge(c, &after, actor, refs, &ev)
	case ActionDismissDups:
		if err := dismissDuplicates(c, &after, cmd, &ev); err != nil {
			return d, err
		}
	case ActionReclassify:
		if err := reclassify(&after, cmd, env); err != nil {
			return d, err
		}
	case ActionEscalate:
		if ev.Reason == "" && ev.Note == "" {
			return d, Invalid("reason_required", "升级须填写原因")
		}
		after.Priority = PriorityUrgent
	case ActionSupervise:
		if ev.Reason == "" && ev.Note == "" {
			return d, Invalid("reason_required", "督办须填写督办意见")
		}
	case ActionNote:
		if ev.Note == "" {
			return d, Invalid("note_required", "备注内容不能为空")
		}
	case ActionExtend:
		if err := checkExtend(c, cmd, env, &ev); err != nil {
			return d, err
		}
	case ActionPause:
		if c.Paused {
			return d, Conflict("already_paused", "工单时限已挂起")
		}
		if ev.Reason == "" {
			return d, Invalid("reason_required", "挂起须填写原因（如：等待当事人到场）")
		}
		after.Paused = true
	case ActionResume:
		if !c.Paused {
			return d, Conflict("not_paused", "工单时限没有挂起")
		}
		after.Paused = false
	case ActionApproveExt, ActionRefuseExt:
		stage, err := pendingExtension(c, cmd.Stage)
		if err != nil {
			return d, err
		}
		if cmd.Action == ActionRefuseExt && ev.Reason == "" {
			return d, Invalid("reason_required", "驳回延期须填写理由")
		}
		ev.Details = map[string]any{"stage": stage}
	}

	after.Version = ev.Seq
	after.UpdatedAt = env.Now
	ev.Changes = changes(&c, &after)
	d.Case = after
	d.Event = ev
	return d, nil
}

// dispatch sends the case to a unit: the one named, or the routing's
// suggestion when none is named. After too many returns, the unit the
// center names becomes the first receiver (首接负责) and may not return it.
func (d *Decision) dispatch(c Case, after *Case, cmd Command, actor Actor, refs Refs, env Env, ev *Event) error {
	if cmd.UnitID == nil && (c.Routing == nil || c.Routing.UnitID == nil) {
		return Invalid("unit_required", "请指定承办单位 unit_id（该工单没有路由建议可采纳）")
	}
	if refs.Unit == nil {
		id := cmd.UnitID
		if id == nil {
			id = c.Routing.UnitID
		}
		return Invalid("unknown_unit", "承办单位 %d 不存在", *id)
	}
	after.UnitID = &refs.Unit.ID
	ev.UnitID = &refs.Unit.ID
	ev.Details = map[string]any{"unit_name": refs.Unit.Name}
	if c.Routing != nil && c.Routing.UnitID != nil {
		if *c.Routing.UnitID == refs.Unit.ID {
			ev.Details["routing"] = "accepted"
		} else {
			ev.Details["routing"] = "overridden"
			ev.Details["suggested_unit_id"] = *c.Routing.UnitID
		}
	}
	if c.Returns >= env.returnLimit() {
		after.FirstReceiver = true
		ev.Details["first_receiver"] = true
	}
	return nil
}

// transfer passes the case on with a reason: down to a unit below the one
// holding it (下派), up to one above it (上报), or across (转办). A
// first-receiver unit may only pass it down; the center may always move it.
func transfer(c Case, after *Case, cmd Command, actor Actor, refs Refs, ev *Event) error {
	if err := needUnit(cmd, refs); err != nil {
		return err
	}
	if ev.Reason == "" {
		return Invalid("reason_required", "转办须填写原因")
	}
	if c.UnitID != nil && *c.UnitID == refs.Unit.ID {
		return Invalid("same_unit", "工单已在“%s”，无需转办", refs.Unit.Name)
	}
	direction := "across"
	if refs.Holder != nil {
		switch {
		case refs.Unit.below(refs.Holder):
			direction = "down"
		case refs.Holder.below(refs.Unit):
			direction = "up"
		}
	}
	if c.FirstReceiver && direction != "down" && actor.Role != RoleAdmin && actor.Role != RoleDispatcher {
		return Conflict("first_receiver", "首接负责单位不能把工单转出，只能下派至下属单位；确需调整请由中心改派")
	}
	after.UnitID = &refs.Unit.ID
	ev.UnitID = &refs.Unit.ID
	ev.Details = map[string]any{"unit_name": refs.Unit.Name, "direction": direction, "direction_label": directionLabels[direction]}
	if refs.Holder != nil {
		ev.Details["from_unit_id"] = refs.Holder.ID
		ev.Details["from_unit_name"] = refs.Holder.Name
	}
	return nil
}

var directionLabels = map[string]string{"down": "下派", "up": "上报", "across": "转办"}

func (d *Decision) merge(c Case, after *Case, cmd Command, actor Actor, refs Refs, ev *Event) error {
	if cmd.Into == nil {
		return Invalid("into_required", "合并须指定主工单 into")
	}
	if *cmd.Into == c.ID {
		return Invalid("merge_into_self", "不能把工单合并到它自己")
	}
	master := refs.Into
	if master == nil {
		return Invalid("unknown_case", "主工单 %d 不存在或无权查看", *cmd.Into)
	}
	if !master.Status.Open() {
		return Conflict("master_not_open", "主工单 %s 状态为“%s”，不能并入", master.Number, master.Status.Label())
	}
	after.DuplicateOf = &master.ID
	after.MergedFrom = c.Status
	after.DuplicateCandidates = nil
	ev.Details = map[string]any{"into": master.ID, "into_number": master.Number}
	m, mev := AddDuplicate(*master, c, actor, ev.Note, ev.At)
	d.Master, d.MasterEvent = &m, &mev
	return nil
}

// unmerge undoes a wrong merge: the case gets back the status it had,
// and the master forgets the repeat.
func (d *Decision) unmerge(c Case, after *Case, actor Actor, refs Refs, ev *Event) {
	after.Status = c.MergedFrom
	if !after.Status.Valid() || after.Status == StatusMerged {
		after.Status = StatusReceived
	}
	after.DuplicateOf = nil
	after.MergedFrom = ""
	if refs.Into == nil {
		return
	}
	master := refs.Into
	m := master.Clone()
	if m.Repeats > 0 {
		m.Repeats--
	}
	// The caller the merge added goes with it.
	m.Callers = slices.DeleteFunc(m.Callers, func(p string) bool { return p == c.Reporter.Phone })
	m.Version = master.Version + 1
	m.UpdatedAt = ev.At
	mev := Event{CaseID: master.ID, Seq: m.Version, Action: ActionDuplicateRemoved, At: ev.At,
		ActorID: actor.UserID, Actor: actor.Username, ActorName: actor.Name, UnitID: cloneID(actor.UnitID), Reason: ev.Reason,
		Details: map[string]any{"case_id": c.ID, "number": c.Number}}
	mev.Changes = changes(master, &m)
	ev.Details = map[string]any{"from": master.ID, "from_number": master.Number}
	d.Master, d.MasterEvent = &m, &mev
}

// dismissDuplicates removes one suspected duplicate (into) or all of them
// from the list the dispatcher looked at.
func dismissDuplicates(c Case, after *Case, cmd Command, ev *Event) error {
	if len(c.DuplicateCandidates) == 0 {
		return Conflict("no_candidates", "该工单没有疑似重复件")
	}
	if cmd.Into == nil {
		after.DuplicateCandidates = nil
		ev.Details = map[string]any{"dismissed": len(c.DuplicateCandidates)}
		return nil
	}
	kept := []Candidate{}
	for _, cand := range c.DuplicateCandidates {
		if cand.ID != *cmd.Into {
			kept = append(kept, cand)
		}
	}
	if len(kept) == len(c.DuplicateCandidates) {
		return Invalid("unknown_candidate", "工单 %d 不在疑似重复件中", *cmd.Into)
	}
	after.DuplicateCandidates = kept
	ev.Details = map[string]any{"dismissed": 1, "case_id": *cmd.Into}
	return nil
}

func reclassify(after *Case, cmd Command, env Env) error {
	if cmd.Type == "" && cmd.Police == nil && cmd.Risk == "" {
		return Invalid("type_required", "改类须给出 type（以及可选的 category、police、risk）")
	}
	if cmd.Type != "" {
		cat, err := CheckClassification(env.Types, cmd.Category, cmd.Type)
		if err != nil {
			return err
		}
		after.Category, after.Type = cat, cmd.Type
	}
	if cmd.Police != nil {
		after.Police = *cmd.Police
	}
	if cmd.Risk != "" {
		if !ValidRisk(cmd.Risk) {
			return Invalid("invalid_risk", "风险等级 risk 须为 low、medium 或 high")
		}
		after.Risk = cmd.Risk
	}
	after.Priority = PriorityFor(after.Police, after.Risk)
	return nil
}

// CheckClassification validates a category and type pair given by a
// person; the category may be left out and is then the type's.
func CheckClassification(types TypeChecker, category, typ string) (string, error) {
	if typ == "" {
		return "", Invalid("type_required", "请同时给出纠纷类型 type")
	}
	cat, ok := types.CategoryOf(typ)
	if !ok {
		return "", Invalid("invalid_type", "未知的纠纷类型“%s”", typ)
	}
	if category != "" && category != cat {
		return "", Invalid("type_category_mismatch", "纠纷类型“%s”不属于类别“%s”", typ, category)
	}
	return cat, nil
}

func checkExtend(c Case, cmd Command, env Env, ev *Event) error {
	if strings.TrimSpace(cmd.Stage) == "" {
		return Invalid("stage_required", "延期须指明环节 stage")
	}
	if cmd.Until == nil {
		return Invalid("until_required", "延期须给出新的期限 until（RFC 3339 时间）")
	}
	if !cmd.Until.After(env.Now) {
		return Invalid("until_in_past", "延期期限 until 不能早于当前时间")
	}
	// Whatever the policy allows, a year is the most an extension asks:
	// beyond it the date is a typo (9999-12-31), and the case needs the
	// center's decision, not more time.
	if cmd.Until.After(env.Now.AddDate(1, 0, 0)) {
		return Invalid("until_too_far", "延期期限 until 不能超过一年（%s 之后）", env.Now.AddDate(1, 0, 0).Format("2006-01-02"))
	}
	if ev.Reason == "" {
		return Invalid("reason_required", "延期须填写理由")
	}
	if env.Clocks != nil {
		if err := env.Clocks.CheckExtension(c, cmd.Stage, *cmd.Until, ev.Reason, env.Now); err != nil {
			return err
		}
	}
	ev.Details = map[string]any{"stage": cmd.Stage, "until": cmd.Until.Format(time.RFC3339)}
	return nil
}

// pendingExtension answers the stage whose extension request awaits a
// decision: the one named, or the only one pending.
func pendingExtension(c Case, stage string) (string, error) {
	var pending []string
	for _, d := range c.Deadlines {
		if d.ExtensionPending {
			pending = append(pending, d.Stage)
		}
	}
	if stage == "" && len(pending) == 1 {
		return pending[0], nil
	}
	for _, p := range pending {
		if p == stage {
			return stage, nil
		}
	}
	if stage == "" && len(pending) > 1 {
		return "", Invalid("stage_required", "有多个环节在申请延期，请指明 stage")
	}
	return "", Conflict("no_pending_extension", "该环节没有待审批的延期申请")
}

func needUnit(cmd Command, refs Refs) error {
	if cmd.UnitID == nil {
		return Invalid("unit_required", "请指定承办单位 unit_id")
	}
	if refs.Unit == nil {
		return Invalid("unknown_unit", "承办单位 %d 不存在", *cmd.UnitID)
	}
	return nil
}

// visible answers s trimmed of white space, or "" when nothing in it
// would show on a screen: only control characters, zero-width spaces or
// direction marks.
func visible(s string) string {
	s = strings.TrimSpace(s)
	for _, r := range s {
		if unicode.IsGraphic(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return s
		}
	}
	return ""
}

func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return Invalid("invalid_utf8", "%s 含有非法的 UTF-8 字符", field)
	}
	if utf8.RuneCountInString(s) > MaxTextLen {
		return Invalid("text_too_long", "%s 超过 %d 个字符", field, MaxTextLen)
	}
	return nil
}
