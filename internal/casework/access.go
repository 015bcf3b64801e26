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

// Holds reports whether the case is the scope's to handle: held by one of
// its units, or, for a center account, waiting at the center.
func (s Scope) Holds(c *Case) bool {
	if s.All {
		return true
	}
	if c.UnitID != nil {
		return s.Units[*c.UnitID]
	}
	return s.Center
}

// Raised reports whether one of the scope's units reported the case (its
// origin unit): the enterprise that raised a demand, the grid that
// reported an incident.
func (s Scope) Raised(c *Case) bool {
	return s.All || c.OriginUnitID != nil && s.Units[*c.OriginUnitID]
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
// stopping the clocks (挂起: a handling unit that needs more time asks for
// an extension, which a leader or the center approves).
var centerActions = map[Action]bool{
	ActionDispatch:    true,
	ActionMerge:       true,
	ActionUnmerge:     true,
	ActionDismissDups: true,
	ActionReclassify:  true,
	ActionReopen:      true,
	ActionPause:       true,
	ActionResume:      true,
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

// Permit says whether the account may take cmd on a case it sees
// (Scope.Sees): the role first (Authorize), then, for the handling roles,
// how its units stand to the case. Only the unit that holds a case handles
// it; a unit that helps on it (co-unit), was told of it or reported it may
// add a note or escalate, so that no one else hands back, settles or
// hands to the police a case another unit holds. The rating (满意度) is
// the reporter's: a handling unit closes without one (the center's
// follow-up call records it), and the unit that reported the case, unless
// it handled the case itself, may close it with its rating or rate it
// afterwards (回访评价). The center's
// roles and leaders act on every case they see, as their roles allow.
func Permit(a Actor, s Scope, c *Case, cmd Command) error {
	if err := Authorize(a, cmd.Action); err != nil {
		return err
	}
	if !a.Role.Handles() {
		return nil
	}
	rating := cmd.Action == ActionFollowUp || cmd.Action == ActionClose && cmd.Satisfaction != nil
	switch {
	case cmd.Action == ActionNote || cmd.Action == ActionEscalate:
		return nil
	case rating && s.Holds(c):
		// Even a unit that reported the case itself (a grid worker's own
		// report, handled by the grid) does not rate its own handling.
		return Forbidden("self_rating", "满意度须由诉求人评价：承办单位办结时请不填满意度，由指挥中心回访录入或由提出诉求的单位评价")
	case rating && s.Raised(c):
		return nil
	case cmd.Action == ActionFollowUp:
		return Forbidden("forbidden", "回访评价由指挥中心或提出诉求的单位录入")
	case !s.Holds(c) && !(cmd.Action == ActionClose && s.Raised(c)):
		return Forbidden("not_holder", "该工单不由本单位承办，本单位只能批注或上报")
	}
	return nil
}

// Handles reports whether the role is a handling unit's (responder,
// department, grid, enterprise, station), which acts only on the cases its
// units hold, rather than the center's or a leader's.
func (r Role) Handles() bool {
	switch r {
	case RoleAdmin, RoleDispatcher, RoleLeader:
		return false
	}
	return true
}

// CanAdminister reports whether the account manages users, units and settings.
func CanAdminister(a Actor) bool { return a.Role == RoleAdmin }
