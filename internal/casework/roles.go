package casework

import "maps"

// Role is what an account does in the zone.
type Role string

// The roles of the contract.
const (
	RoleAdmin      Role = "admin"      // 系统管理员
	RoleLeader     Role = "leader"     // 领导
	RoleDispatcher Role = "dispatcher" // 值班调度员
	RoleResponder  Role = "responder"  // 先期处置队员
	RoleDepartment Role = "department" // 部门承办人
	RoleGrid       Role = "grid"       // 网格员
	RoleEnterprise Role = "enterprise" // 企业联络人
	RoleStation    Role = "station"    // 驿站工作人员
)

var roleLabels = map[Role]string{
	RoleAdmin:      "系统管理员",
	RoleLeader:     "领导",
	RoleDispatcher: "值班调度员",
	RoleResponder:  "先期处置队员",
	RoleDepartment: "部门承办人",
	RoleGrid:       "网格员",
	RoleEnterprise: "企业联络人",
	RoleStation:    "驿站工作人员",
}

// Valid reports whether r is one of the contract's roles.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// Label is the Chinese name of the role.
func (r Role) Label() string { return roleLabels[r] }

// Actor is the account on whose behalf something is done.
type Actor struct {
	UserID   int64
	Username string
	Name     string
	Role     Role
	UnitID   *int64
}

// SystemActor signs what Yizhan does by itself (deadline warnings, automatic merges).
// It acts with an administrator's rights.
var SystemActor = Actor{Username: "system", Name: "系统", Role: RoleAdmin}

// SeesPhones reports whether the role needs reporters' full phone numbers to
// do its work. Leaders read figures; enterprise and station accounts see
// cases they raised and do not call other people's reporters.
func (r Role) SeesPhones() bool {
	switch r {
	case RoleLeader, RoleEnterprise, RoleStation:
		return false
	}
	return true
}

// MaskPhone hides the middle of a phone number: 138****5678.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) < 7 {
		if len(r) <= 2 {
			return p
		}
		return string(r[:1]) + "****" + string(r[len(r)-1:])
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

// MaskEvent answers ev with the phone of the reporter it repeats (a merged
// duplicate's caller) masked; its details are copied, never changed in
// place. A live event holds the reporter as a Reporter, one read back from
// the database as a JSON object.
func MaskEvent(ev Event) Event {
	var masked any
	switch rep := ev.Details["reporter"].(type) {
	case Reporter:
		rep.Phone = MaskPhone(rep.Phone)
		masked = rep
	case map[string]any:
		m := maps.Clone(rep)
		if p, ok := m["phone"].(string); ok {
			m["phone"] = MaskPhone(p)
		}
		masked = m
	default:
		return ev
	}
	d := maps.Clone(ev.Details)
	d["reporter"] = masked
	ev.Details = d
	return ev
}
