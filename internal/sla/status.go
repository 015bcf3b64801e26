package sla

// Case statuses, as the contract names them. They are repeated here rather
// than imported so that this package depends on nothing else in Yizhan.
const (
	StatusReceived       = "received"        // 受理
	StatusDispatched     = "dispatched"      // 派单
	StatusAccepted       = "accepted"        // 签收
	StatusOnSite         = "on_site"         // 到场
	StatusMediating      = "mediating"       // 带回调处
	StatusResolved       = "resolved"        // 处置完毕
	StatusClosed         = "closed"          // 办结
	StatusReferredPolice = "referred_police" // 移交公安
	StatusMerged         = "merged"          // 合并重复件
)

// StopFirstAction is the stop condition met by the first user action on a
// case (the "respond" of the 12510 clock), whatever that action is.
const StopFirstAction = "first_action"

// pathRank places a status on the normal path of a case. A clock that stops
// at a status also stops when the case jumps past it (received straight to
// on_site stops the dispatch and accept clocks too), so stops compare ranks.
// merged and referred_police are off the path: they end a case sideways.
func pathRank(status string) (rank int, onPath bool) {
	switch status {
	case StatusReceived:
		return 0, true
	case StatusDispatched:
		return 1, true
	case StatusAccepted:
		return 2, true
	case StatusOnSite:
		return 3, true
	case StatusMediating:
		return 4, true
	case StatusResolved:
		return 5, true
	case StatusClosed:
		return 6, true
	}
	return -1, false
}

// IsStatus reports whether s is one of the contract's case statuses.
func IsStatus(s string) bool {
	_, onPath := pathRank(s)
	return onPath || s == StatusReferredPolice || s == StatusMerged
}

// IsTerminal reports whether s ends a case: closed, merged or referred to
// the police. Clocks still running when a case reaches one are cancelled
// rather than breached (closed is left only by a reopen).
func IsTerminal(s string) bool {
	return s == StatusClosed || s == StatusMerged || s == StatusReferredPolice
}

// reached reports whether a case now in status cur has reached target for
// the purpose of starting or stopping a clock: cur is target, or cur lies
// further along the normal path. Off-path statuses are only reached exactly.
func reached(cur, target string) bool {
	if cur == target {
		return true
	}
	cr, cOn := pathRank(cur)
	tr, tOn := pathRank(target)
	return cOn && tOn && cr >= tr
}

// isReopen reports whether moving from prev to next takes a resolved or
// closed case back to handling (重办).
func isReopen(prev, next string) bool {
	pr, pOn := pathRank(prev)
	nr, nOn := pathRank(next)
	res, _ := pathRank(StatusResolved)
	return pOn && nOn && pr >= res && nr < res
}
