// Package casework is the case engine: the statuses and actions of a case
// (工单), the state machine that says which action is allowed from which
// status, and the pure decision that turns a command into an event and a new
// projection. It knows nothing of SQL or HTTP.
package casework

// Status is where a case stands in its lifecycle.
type Status string

// The statuses of the contract.
const (
	StatusReceived       Status = "received"        // 受理
	StatusDispatched     Status = "dispatched"      // 已派单
	StatusAccepted       Status = "accepted"        // 已签收
	StatusOnSite         Status = "on_site"         // 已到场
	StatusMediating      Status = "mediating"       // 带回调处中
	StatusResolved       Status = "resolved"        // 处置完毕
	StatusClosed         Status = "closed"          // 办结
	StatusReferredPolice Status = "referred_police" // 移交公安
	StatusMerged         Status = "merged"          // 已合并（重复件）
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{
	StatusReceived, StatusDispatched, StatusAccepted, StatusOnSite, StatusMediating,
	StatusResolved, StatusClosed, StatusReferredPolice, StatusMerged,
}

var statusLabels = map[Status]string{
	StatusReceived:       "已受理",
	StatusDispatched:     "已派单",
	StatusAccepted:       "已签收",
	StatusOnSite:         "已到场",
	StatusMediating:      "带回调处",
	StatusResolved:       "处置完毕",
	StatusClosed:         "已办结",
	StatusReferredPolice: "已移交公安",
	StatusMerged:         "已合并",
}

// Label is the Chinese name a user reads.
func (s Status) Label() string { return statusLabels[s] }

// Valid reports whether s is one of the contract's statuses.
func (s Status) Valid() bool { _, ok := statusLabels[s]; return ok }

// Open reports whether work on the case may still go on. Closed, merged and
// referred cases are finished as far as the center is concerned.
func (s Status) Open() bool {
	return s.Valid() && s != StatusClosed && s != StatusMerged && s != StatusReferredPolice
}

// Line is the line of work a case belongs to.
type Line string

// The three lines that run on the engine.
const (
	LineIncident   Line = "incident"   // 非警务警情
	LineEnterprise Line = "enterprise" // 企业诉求
	LineWorker     Line = "worker"     // 职工诉求
)

// Lines lists the lines in the order reports show them.
var Lines = []Line{LineIncident, LineEnterprise, LineWorker}

var lineInfo = map[Line]struct{ label, prefix string }{
	LineIncident:   {"非警务警情", "FJ"},
	LineEnterprise: {"企业诉求", "QY"},
	LineWorker:     {"职工诉求", "ZG"},
}

// Valid reports whether l is a known line.
func (l Line) Valid() bool { _, ok := lineInfo[l]; return ok }

// Label is the Chinese name of the line.
func (l Line) Label() string { return lineInfo[l].label }

// NumberPrefix starts every case number of the line (FJ for 非警, QY for 企业, ZG for 职工).
func (l Line) NumberPrefix() string { return lineInfo[l].prefix }

// Channels are the ways a report reaches the center.
var Channels = map[string]string{
	"110":        "110分流",
	"12345":      "12345热线",
	"phone":      "电话",
	"walk_in":    "来访",
	"grid":       "网格员上报",
	"enterprise": "企业上报",
	"station":    "驿站",
	"open311":    "Open311",
	// Extension: a demand raised at the monthly office day (现场办公日).
	ChannelOfficeDay: "现场办公日",
}

// ChannelOfficeDay is the channel of enterprise demands raised at the
// monthly office day; such a case is linked to the day by its occurred_at.
const ChannelOfficeDay = "office_day"

// Outcome is how a case ended when it was resolved.
type Outcome string

// The outcomes of the contract.
const (
	OutcomeOnsite     Outcome = "onsite_resolved"     // 现场化解
	OutcomeTakenBack  Outcome = "taken_back_resolved" // 带回化解
	OutcomeReferred   Outcome = "referred"            // 移交仲裁、诉讼等
	OutcomeUnresolved Outcome = "unresolved"          // 未化解
)

var outcomeLabels = map[Outcome]string{
	OutcomeOnsite:     "现场化解",
	OutcomeTakenBack:  "带回化解",
	OutcomeReferred:   "移交仲裁、诉讼等",
	OutcomeUnresolved: "未化解",
}

// Valid reports whether o is one of the contract's outcomes.
func (o Outcome) Valid() bool { _, ok := outcomeLabels[o]; return ok }

// Label is the Chinese name of the outcome.
func (o Outcome) Label() string { return outcomeLabels[o] }

// Success reports whether the outcome counts toward the success rate (成功调处).
func (o Outcome) Success() bool { return o == OutcomeOnsite || o == OutcomeTakenBack }

// Risk levels.
const (
	RiskLow    = "low"
	RiskMedium = "medium"
	RiskHigh   = "high"
)

// ValidRisk reports whether r is a known risk level.
func ValidRisk(r string) bool { return r == RiskLow || r == RiskMedium || r == RiskHigh }

// Priorities, from most to least pressing.
const (
	PriorityUrgent = "urgent" // 紧急
	PriorityHigh   = "high"   // 较急
	PriorityNormal = "normal" // 一般
)

// ValidPriority reports whether p is a known priority.
func ValidPriority(p string) bool {
	return p == PriorityUrgent || p == PriorityHigh || p == PriorityNormal
}

// PriorityFor derives a priority from the triage of a case: what can
// escalate or belongs to the police comes first.
func PriorityFor(police bool, risk string) string {
	switch {
	case police || risk == RiskHigh:
		return PriorityUrgent
	case risk == RiskMedium:
		return PriorityHigh
	default:
		return PriorityNormal
	}
}
