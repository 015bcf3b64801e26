package casework

// Scope is the part of the zone an account may see: its unit and every
// unit below it. The check lives here, in one place, so that finer
// permissions slot in without touching handlers or queries.
type Scope struct {
	// All is true for accounts that are not tied to a unit (the bootstrap
	// administrator): they see every case.
	All bool
	// Units holds the account's unit and all its sub-units.
	Units map[int64]bool
	// Center is true when the account sits at a command center: cases that
	// have not been dispatched yet wait at the center and are its to see.
	Center bool
}

// Sees reports whether a case is visible in the scope: it is held by one of
// the scope's units, was raised by one of them, names one of them as a
// co-unit or told it as the micro-center of its grid, or waits at the center.
func (s Scope) Sees(c *Case) bool {
	if s.All {
		return true
	}
	if c.UnitID != nil && s.Units[*c.UnitID] {
		return true
	}
	if c.OriginUnitID != nil && s.Units[*c.OriginUnitID] {
		return true
	}
	if c.Routing.Involves(s.Units) {
		return true
	}
	return c.UnitID == nil && s.Center
}

// UnitIDs lists the scope's units, for queries.
func (s Scope) UnitIDs() []int64 {
	out := make([]int64, 0, len(s.Units))
	for id := range s.Units {
		out = append(out, id)
	}
	return out
}

// centerActions are decisions the command center takes: sending a case
// out, merging duplicates, correcting the classification, reopening, and
// recording the follow-up call's rating (回访).
var centerActions = map[Action]bool{
	ActionDispatch:    true,
	ActionMerge:       true,
	ActionUnmerge:     true,
	ActionDismissDups: true,
	ActionReclassify:  true,
	ActionReopen:      true,
	ActionFollowUp:    true,
}

// Authorize says whether the account's role may take the action at all;
// Scope says on which cases. Leaders read and supervise; the center
// dispatches; handling units (response teams, departments, grids,
// enterprise micro-centers, stations) handle what reaches them.
func Authorize(a Actor, act Action) error {
	switch a.Role {
	case RoleAdmin, RoleDispatcher:
		return nil
	case RoleLeader:
		if act == ActionSupervise || act == ActionNote || act == ActionEscalate || act == ActionApproveExt || act == ActionRefuseExt {
			return nil
		}
		return Forbidden("forbidden", "领导账号只能督办、批注、升级或审批延期，不能执行“%s”", act.Label())
	}
	if act == ActionSupervise {
		return Forbidden("forbidden", "只有领导或指挥中心可以督办")
	}
	if act == ActionApproveExt || act == ActionRefuseExt {
		return Forbidden("forbidden", "延期申请由领导或指挥中心审批")
	}
	if centerActions[act] {
		return Forbidden("forbidden", "“%s”由指挥中心执行，%s账号无此权限", act.Label(), a.Role.Label())
	}
	return nil
}

// CanAdminister reports whether the account manages users, units and settings.
func CanAdminister(a Actor) bool { return a.Role == RoleAdmin }
