package api

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/problemlist"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/stats"
	"github.com/yizhan/yizhan/internal/store"
)

// recentDays is how far back, by default, the problem list shows settled
// items beside the open ones.
const recentDays = 30

// maxExportRows bounds one export; a larger list is asked to narrow.
const maxExportRows = 20000

// problemFilters are the problem list's filters; the JSON list also pages
// (limit, cursor).
var problemFilters = []string{"from", "to", "recent_days", "enterprise_id", "unit_id", "status", "office_day"}

// problemQuery is a problem-list request: what SQL selects, and the
// states the rows must be in (which depend on the clocks, so are checked
// on the rows).
type problemQuery struct {
	filter store.CaseFilter
	states []string
}

type problemList struct {
	Items      []problemlist.Item `json:"items"`
	NextCursor *string            `json:"next_cursor"`
}

// listProblems answers the problem list (问题清单), newest first, a page
// at a time like /cases.
func (s *Server) listProblems(w http.ResponseWriter, r *http.Request, u account.User) {
	pq, err := s.problemQuery(r.Context(), r.URL.Query(), u, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, next, err := s.problemPage(r.Context(), pq.filter, pq.states, pq.filter.Limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, problemList{Items: items, NextCursor: next})
}

// exportProblems answers the whole problem list of the same filters as a
// workbook: a merged title, Chinese headers, a row per item and the counts
// by state at the bottom.
func (s *Server) exportProblems(w http.ResponseWriter, r *http.Request, u account.User) {
	pq, err := s.problemQuery(r.Context(), r.URL.Query(), u, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, more, err := s.problemPage(r.Context(), pq.filter, pq.states, maxExportRows)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if more != nil {
		s.fail(w, r, casework.Invalid("too_many_rows", "清单超过 %d 条，请缩小期间或加筛选条件", maxExportRows))
		return
	}
	now := s.now()
	var buf bytes.Buffer
	if err := stats.WriteProblemListXLSX(&buf, items, now); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="problem-list-`+now.Format("20060102")+`.xlsx"`)
	_, _ = w.Write(buf.Bytes())
}

// problemQuery reads the list's filters: from/to (created in the period;
// without them or office_day, the open items and those settled in the
// last recent_days days; an office day's list is all its demands, unless
// recent_days is given), enterprise_id, unit_id (lead or co-unit), status (states or loop
// stages, comma separated), office_day, and for the JSON list limit and
// cursor.
func (s *Server) problemQuery(ctx context.Context, q url.Values, u account.User, paged bool) (problemQuery, error) {
	pq := problemQuery{filter: store.CaseFilter{Scope: s.directory().ScopeOf(u.Actor()), Line: casework.LineEnterprise, Limit: 50}}
	f := &pq.filter
	allowed := problemFilters
	if paged {
		allowed = append(slices.Clip(allowed), "limit", "cursor")
	}
	if err := onlyParams(q, allowed...); err != nil {
		return pq, err
	}
	var err error
	if f.From, err = s.parseTime("from", q.Get("from")); err != nil {
		return pq, err
	}
	if f.To, err = s.parseTime("to", q.Get("to")); err != nil {
		return pq, err
	}
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		return pq, casework.Invalid("invalid_period", "from 不能晚于 to")
	}
	days := recentDays
	if v := q.Get("recent_days"); v != "" {
		if days, err = strconv.Atoi(v); err != nil || days < 1 || days > 366 {
			return pq, casework.Invalid("invalid_recent_days", "recent_days 须为 1 到 366 的整数")
		}
	}
	if window := q.Get("recent_days") != "" || f.From == nil && f.To == nil && q.Get("office_day") == ""; window {
		since := s.now().AddDate(0, 0, -days)
		f.ActiveSince = &since
	}
	for name, dst := range map[string]**int64{"enterprise_id": &f.EnterpriseID, "unit_id": &f.InvolvesUnitID} {
		if *dst, err = s.refParam(q, name); err != nil {
			return pq, err
		}
	}
	for _, st := range splitList(q.Get("status")) {
		if !problemlist.ValidFilter(st) {
			return pq, casework.Invalid("invalid_status",
				"未知的清单状态“%s”，应为 in_progress、overdue、done、open、awaiting_follow_up 或 closed", st)
		}
		if !slices.Contains(pq.states, st) {
			pq.states = append(pq.states, st)
		}
	}
	f.Statuses = statusesFor(pq.states)
	if v := q.Get("office_day"); v != "" {
		d, err := sla.ParseDate(v)
		if err != nil {
			return pq, casework.Invalid("invalid_office_day", "office_day 须为 YYYY-MM-DD 日期，收到“%s”", v)
		}
		sched, err := s.officeDays(ctx)
		if err != nil {
			return pq, err
		}
		if _, ok := sched.On(d); !ok {
			return pq, casework.Invalid("not_office_day", "%s 不是现场办公日", d)
		}
		*f = officeDayFilter(*f, d.Start(), d.AddDays(1).Start())
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return pq, casework.Invalid("invalid_limit", "limit 须为 1 到 500 的整数")
		}
		f.Limit = n
	}
	f.Cursor = q.Get("cursor")
	return pq, nil
}

// statusesFor narrows the case statuses SQL selects to those the list
// states can be in; merged cases and those handed to the police are
// never on the list.
func statusesFor(states []string) []casework.Status {
	want := map[casework.Status]bool{}
	for _, st := range casework.Statuses {
		if problemlist.Excluded(st) {
			continue
		}
		settled := st == casework.StatusResolved || st == casework.StatusClosed
		if len(states) == 0 {
			want[st] = true
		}
		for _, f := range states {
			switch f {
			case string(problemlist.StateInProgress), string(problemlist.StateOverdue), string(problemlist.LoopOpen):
				want[st] = want[st] || !settled
			case string(problemlist.StateDone), string(problemlist.LoopAwaitingFollowUp):
				want[st] = want[st] || settled
			case string(problemlist.LoopClosed):
				want[st] = want[st] || st == casework.StatusClosed
			}
		}
	}
	var out []casework.Status
	for _, st := range casework.Statuses {
		if want[st] {
			out = append(out, st)
		}
	}
	return out
}

// problemItems answers every row of a filter.
func (s *Server) problemItems(ctx context.Context, f store.CaseFilter, states []string) ([]problemlist.Item, error) {
	f.Statuses = statusesFor(states)
	items, _, err := s.problemPage(ctx, f, states, 0)
	return items, err
}

// problemPage reads the cases of f in batches, makes their rows and keeps
// those in the states asked, up to limit (0: all). The cursor it answers
// is that of the last row shown, and it is answered only if another row
// follows, so the last page has none.
func (s *Server) problemPage(ctx context.Context, f store.CaseFilter, states []string, limit int) ([]problemlist.Item, *string, error) {
	names := directoryNames{dir: s.directory(), ents: s.ents.Load()}
	clocks, now := s.store.Clocks(), s.now()
	items := []problemlist.Item{}
	var shown []casework.Case
	f.Limit = 200
	for {
		page, err := s.store.ListCases(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		ids := make([]int64, len(page.Items))
		for i, c := range page.Items {
			ids[i] = c.ID
		}
		evs, err := s.store.EventsOf(ctx, ids)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range page.Items {
			if problemlist.Excluded(c.Status) {
				continue
			}
			c.Deadlines, _ = clocks.Deadlines(&c, evs[c.ID], now)
			it := problemlist.Build(c, evs[c.ID], names)
			if !it.Matches(states) {
				continue
			}
			if limit > 0 && len(items) == limit {
				next := store.CursorAfter(shown[limit-1])
				return items, &next, nil
			}
			items, shown = append(items, it), append(shown, c)
		}
		if page.NextCursor == nil {
			return items, nil, nil
		}
		f.Cursor = *page.NextCursor
	}
}

// directoryNames names units and enterprises from the current snapshot.
type directoryNames struct {
	dir  *routing.Directory
	ents *routing.EnterpriseIndex
}

func (n directoryNames) UnitName(id int64) string {
	if u, ok := n.dir.Unit(id); ok {
		return u.Name
	}
	return ""
}

func (n directoryNames) EnterpriseName(id int64) string {
	if e, ok := n.ents.Get(id); ok {
		return e.Name
	}
	return ""
}
