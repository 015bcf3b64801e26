package casework

// Action is something done to a case. Every action becomes an event.
type Action string

// The actions of the contract, and the event that records a case's creation.
const (
	ActionReceive     Action = "receive"            // 受理: the case was created
	ActionDispatch    Action = "dispatch"           // 派单
	ActionAccept      Action = "accept"             // 签收
	ActionArrive      Action = "arrive"             // 到场
	ActionTakeBack    Action = "take_back"          // 带回调处
	ActionResolve     Action = "resolve"            // 处置完毕
	ActionClose       Action = "close"              // 办结
	ActionReopen      Action = "reopen"             // 重办
	ActionReturn      Action = "return"             // 退单: the unit hands the case back
	ActionTransfer    Action = "transfer"           // 转办 / 下派 / 上报
	ActionReferPolice Action = "refer_police"       // 移交公安
	ActionMerge       Action = "merge"              // 合并重复件
	ActionReclassify  Action = "reclassify"         // 改类
	ActionEscalate    Action = "escalate"           // 升级上报
	ActionSupervise   Action = "supervise"          // 督办
	ActionNote        Action = "note"               // 备注
	ActionExtend      Action = "extend"             // 延期申请
	ActionPause       Action = "pause"              // 挂起: stop the clocks, e.g. waiting for the reporter
	ActionResume      Action = "resume"             // 恢复: restart them
	ActionApproveExt  Action = "approve_extension"  // 批准延期
	ActionRefuseExt   Action = "refuse_extension"   // 驳回延期
	ActionUnmerge     Action = "unmerge"            // 撤销合并: undo a wrong merge
	ActionDismissDups Action = "dismiss_duplicates" // 排除疑似重复
	ActionFollowUp    Action = "follow_up"          // 回访评价: the rating of a case closed without one
	// ActionDuplicateAdded is written on the master case when a duplicate
	// report is merged into it: the extra reporter and text.
	ActionDuplicateAdded Action = "duplicate_added"
	// ActionDuplicateRemoved is written on the master when a wrong merge is
	// undone; ActionRepeatLinked on a new case that repeats a settled
	// dispute of the same parties (重复纠纷).
	ActionDuplicateRemoved Action = "duplicate_removed"
	ActionRepeatLinked     Action = "repeat_linked"
	// ActionDeadlineWarning and ActionDeadlineBreach are written by the
	// scheduler when a stage's clock turns yellow (80% used) or red.
	ActionDeadlineWarning Action = "deadline_warning"
	ActionDeadlineBreach  Action = "deadline_breach"
)

// rule is one row of the state machine.
type rule struct {
	label string
	// from lists the statuses the action is allowed from; anyOpen allows
	// every open status instead.
	from    []Status
	anyOpen bool
	// to is the status after the action; empty leaves it unchanged.
	to Status
}

// rules is the state machine of the contract: the single place that says
// which action is allowed from which status.
var rules = map[Action]rule{
	ActionDispatch:    {label: "派单", from: []Status{StatusReceived}, to: StatusDispatched},
	ActionAccept:      {label: "签收", from: []Status{StatusDispatched}, to: StatusAccepted},
	ActionArrive:      {label: "到场", from: []Status{StatusAccepted}, to: StatusOnSite},
	ActionTakeBack:    {label: "带回调处", from: []Status{StatusOnSite}, to: StatusMediating},
	ActionResolve:     {label: "处置完毕", from: []Status{StatusOnSite, StatusMediating}, to: StatusResolved},
	ActionClose:       {label: "办结", from: []Status{StatusResolved}, to: StatusClosed},
	ActionReopen:      {label: "重办", from: []Status{StatusResolved, StatusClosed}, to: StatusReceived},
	ActionReturn:      {label: "退单", from: []Status{StatusDispatched, StatusAccepted}, to: StatusReceived},
	ActionTransfer:    {label: "转办", from: []Status{StatusDispatched, StatusAccepted, StatusOnSite, StatusMediating}, to: StatusDispatched},
	ActionReferPolice: {label: "移交公安", anyOpen: true, to: StatusReferredPolice},
	ActionMerge:       {label: "合并重复件", anyOpen: true, to: StatusMerged},
	ActionReclassify:  {label: "改类", anyOpen: true},
	ActionEscalate:    {label: "升级上报", anyOpen: true},
	ActionSupervise:   {label: "督办", anyOpen: true},
	ActionNote:        {label: "备注", anyOpen: true},
	ActionExtend:      {label: "延期申请", anyOpen: true},
	ActionPause:       {label: "挂起", anyOpen: true},
	ActionResume:      {label: "恢复", anyOpen: true},
	ActionApproveExt:  {label: "批准延期", anyOpen: true},
	ActionRefuseExt:   {label: "驳回延期", anyOpen: true},
	ActionUnmerge:     {label: "撤销合并", from: []Status{StatusMerged}},
	ActionDismissDups: {label: "排除疑似重复", anyOpen: true},
	ActionFollowUp:    {label: "回访评价", from: []Status{StatusClosed}},
}

// Actions lists the actions a client may ask for, in the contract's order.
var Actions = []Action{
	ActionDispatch, ActionAccept, ActionArrive, ActionTakeBack, ActionResolve, ActionClose,
	ActionReopen, ActionReturn, ActionTransfer, ActionReferPolice, ActionMerge,
	ActionReclassify, ActionEscalate, ActionSupervise, ActionNote, ActionExtend,
	ActionPause, ActionResume, ActionApproveExt, ActionRefuseExt, ActionUnmerge, ActionDismissDups,
	ActionFollowUp,
}

var eventLabels = map[Action]string{
	ActionReceive:          "受理",
	ActionDuplicateAdded:   "重复报警并入",
	ActionDuplicateRemoved: "撤销合并移出",
	ActionRepeatLinked:     "关联重复纠纷",
	ActionDeadlineWarning:  "时限预警",
	ActionDeadlineBreach:   "超时",
}

// Known reports whether a client may ask for the action.
func (a Action) Known() bool { _, ok := rules[a]; return ok }

// Label is the Chinese name of the action.
func (a Action) Label() string {
	if r, ok := rules[a]; ok {
		return r.label
	}
	return eventLabels[a]
}

// Allowed reports whether the action may be taken from status s.
func Allowed(a Action, s Status) bool {
	r, ok := rules[a]
	if !ok {
		return false
	}
	if r.anyOpen {
		return s.Open()
	}
	for _, f := range r.from {
		if f == s {
			return true
		}
	}
	return false
}

// next is the status after action a from s, which Allowed has accepted.
// Unmerge is the one action whose target depends on the case: Decide
// restores the status the case had before it was merged.
func next(a Action, s Status) Status {
	if to := rules[a].to; to != "" {
		return to
	}
	return s
}

// Available lists what an account may do to a case now: what the state
// machine allows from its status, what the account may do to this case
// (Permit: its role, and whether its units hold or reported it), and
// what the case's state makes meaningful (resume only when paused, an
// extension decision only when one is pending, unmerge only when merged).
// A console shows only these buttons.
func Available(c *Case, a Actor, s Scope) []Action {
	out := []Action{}
	for _, act := range Actions {
		if !Allowed(act, c.Status) || Permit(a, s, c, Command{Action: act}) != nil {
			continue
		}
		switch act {
		case ActionPause:
			if c.Paused {
				continue
			}
		case ActionResume:
			if !c.Paused {
				continue
			}
		case ActionApproveExt, ActionRefuseExt:
			if !hasPending(c) {
				continue
			}
		case ActionDismissDups:
			if len(c.DuplicateCandidates) == 0 {
				continue
			}
		case ActionReturn:
			if c.FirstReceiver {
				continue
			}
		case ActionTransfer:
			// A first receiver (首接负责) passes the case only down, to a
			// sub-unit: a unit without any has nowhere to send it.
			if c.FirstReceiver && a.Role.Handles() && !s.All && len(s.Units) <= 1 {
				continue
			}
		case ActionFollowUp:
			if c.Satisfaction != nil {
				continue
			}
		}
		out = append(out, act)
	}
	return out
}

func hasPending(c *Case) bool {
	for _, d := range c.Deadlines {
		if d.ExtensionPending {
			return true
		}
	}
	return false
}
