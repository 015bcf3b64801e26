package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

// canEditRoster: the administrator and the duty leaders keep the roster.
func canEditRoster(u account.User) bool {
	return u.Role == casework.RoleAdmin || u.Role == casework.RoleLeader
}

type shiftsBody struct {
	Shifts []routing.NewShift `json:"shifts"`
}

type shiftList struct {
	Items []routing.Shift `json:"items"`
}

// createShifts adds one shift, or {"shifts": [...]} all together or none.
func (s *Server) createShifts(w http.ResponseWriter, r *http.Request, u account.User) {
	if !canEditRoster(u) {
		s.fail(w, r, casework.Forbidden("forbidden", "只有管理员或领导可以排班"))
		return
	}
	raw, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body shiftsBody
	if bytes.Contains(raw, []byte(`"shifts"`)) {
		err = jsonUnmarshal(raw, &body)
	} else {
		var one routing.NewShift
		err = jsonUnmarshal(raw, &one)
		body.Shifts = []routing.NewShift{one}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(body.Shifts) == 0 || len(body.Shifts) > 5000 {
		s.fail(w, r, casework.Invalid("invalid_shift", "一次须提交 1 到 5000 个班次"))
		return
	}
	dir := s.directory()
	for i, sh := range body.Shifts {
		p, err := s.store.GetPerson(r.Context(), sh.PersonID)
		if err != nil {
			s.fail(w, r, casework.Invalid("unknown_person", "第 %d 个班次：人员 %d 不存在", i+1, sh.PersonID))
			return
		}
		if err := sh.Validate(dir, p); err != nil {
			e, _ := casework.AsError(err)
			s.fail(w, r, casework.Invalid(e.Code, "第 %d 个班次：%s", i+1, e.Message))
			return
		}
	}
	ids, err := s.store.CreateShifts(r.Context(), body.Shifts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, importAnswer{Imported: len(ids), IDs: ids})
}

// period reads ?from= and ?to=, defaulting to the coming week.
func (s *Server) period(r *http.Request, days int) (time.Time, time.Time, error) {
	q := r.URL.Query()
	from, err := s.parseTime("from", q.Get("from"))
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	start := s.now()
	if from != nil {
		start = *from
	}
	if v := q.Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 62 {
			return start, start, casework.Invalid("invalid_days", "days 须为 1 到 62 的整数")
		}
		days = n
	}
	end := start.AddDate(0, 0, days)
	to, err := s.parseTime("to", q.Get("to"))
	if err != nil {
		return start, end, err
	}
	if to != nil {
		end = *to
	}
	if !end.After(start) {
		return start, end, casework.Invalid("invalid_period", "to 须晚于 from")
	}
	if end.Sub(start) > 62*24*time.Hour {
		return start, end, casework.Invalid("invalid_period", "一次最多查询 62 天")
	}
	return start, end, nil
}

// listShifts answers the shifts of a period (default: the coming week).
func (s *Server) listShifts(w http.ResponseWriter, r *http.Request, _ account.User) {
	from, to, err := s.period(r, 7)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	shifts, err := s.store.Shifts(r.Context(), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, shiftList{Items: shifts})
}

// deleteShift removes a shift.
func (s *Server) deleteShift(w http.ResponseWriter, r *http.Request, u account.User) {
	if !canEditRoster(u) {
		s.fail(w, r, casework.Forbidden("forbidden", "只有管理员或领导可以排班"))
		return
	}
	id, err := pathID(r, casework.NotFound("shift_not_found", "班次不存在"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.DeleteShift(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type dutyPerson struct {
	Person routing.Person `json:"person"`
	Shift  routing.Shift  `json:"shift"`
}

type dutyUnit struct {
	UnitID   int64        `json:"unit_id"`
	UnitName string       `json:"unit_name"`
	People   []dutyPerson `json:"people"`
}

type dutyAnswer struct {
	At      time.Time    `json:"at"`
	Units   []dutyUnit   `json:"units"`
	Leaders []dutyPerson `json:"leaders"` // 带班领导
}

// onDuty answers who is on duty at ?at= (default now), unit by unit, and
// the leaders on duty.
func (s *Server) onDuty(w http.ResponseWriter, r *http.Request, _ account.User) {
	at := s.now()
	if t, err := s.parseTime("at", r.URL.Query().Get("at")); err != nil {
		s.fail(w, r, err)
		return
	} else if t != nil {
		at = *t
	}
	shifts, err := s.store.Shifts(r.Context(), at.Add(-routing.MaxShift), at.Add(time.Second))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.store.People(r.Context(), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byID := map[int64]routing.Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	dir := s.directory()
	out := dutyAnswer{At: at.In(s.loc), Units: []dutyUnit{}, Leaders: []dutyPerson{}}
	index := map[int64]int{}
	for _, sh := range routing.OnDuty(shifts, at) {
		dp := dutyPerson{Person: byID[sh.PersonID], Shift: sh}
		if sh.Leader {
			out.Leaders = append(out.Leaders, dp)
		}
		i, ok := index[sh.UnitID]
		if !ok {
			name := ""
			if u, found := dir.Unit(sh.UnitID); found {
				name = u.Name
			}
			out.Units = append(out.Units, dutyUnit{UnitID: sh.UnitID, UnitName: name})
			i = len(out.Units) - 1
			index[sh.UnitID] = i
		}
		out.Units[i].People = append(out.Units[i].People, dp)
	}
	writeJSON(w, http.StatusOK, out)
}

type gapsAnswer struct {
	From    time.Time     `json:"from"`
	To      time.Time     `json:"to"`
	Covered bool          `json:"covered"`
	Gaps    []routing.Gap `json:"gaps"`
	Warning string        `json:"warning,omitempty"`
}

// rosterGaps answers the stretches of the coming week (or ?from=&days=)
// when a center or a response team has nobody on duty.
func (s *Server) rosterGaps(w http.ResponseWriter, r *http.Request, _ account.User) {
	from, to, err := s.period(r, 7)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ans, err := s.RosterGaps(r.Context(), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ans)
}

// RosterGaps computes the uncovered stretches of a period.
func (s *Server) RosterGaps(ctx context.Context, from, to time.Time) (gapsAnswer, error) {
	shifts, err := s.store.Shifts(ctx, from, to)
	if err != nil {
		return gapsAnswer{}, err
	}
	gaps := routing.Gaps(s.directory(), shifts, from, to)
	ans := gapsAnswer{From: from.In(s.loc), To: to.In(s.loc), Covered: len(gaps) == 0, Gaps: gaps}
	if ans.Gaps == nil {
		ans.Gaps = []routing.Gap{}
	}
	if len(gaps) > 0 {
		hours := 0
		for _, g := range gaps {
			hours += g.Hours
		}
		ans.Warning = "值班表有空档：共 " + strconv.Itoa(len(gaps)) + " 段、" + strconv.Itoa(hours) + " 个小时无人值班，请补排"
	}
	for i := range ans.Gaps {
		ans.Gaps[i].Start, ans.Gaps[i].End = ans.Gaps[i].Start.In(s.loc), ans.Gaps[i].End.In(s.loc)
	}
	return ans, nil
}

type recommendAnswer struct {
	UnitID *int64                   `json:"unit_id"`
	Items  []routing.Recommendation `json:"items"`
}

// recommend answers who could go to a case now: the on-duty members of
// its lead unit (the routing's, else the one holding it), nearest first.
func (s *Server) recommend(w http.ResponseWriter, r *http.Request, u account.User) {
	id, err := pathID(r, casework.ErrCaseNotFound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.store.GetCase(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dir := s.directory()
	if !dir.ScopeOf(u.Actor()).Sees(&c) {
		s.fail(w, r, casework.ErrCaseNotFound)
		return
	}
	unit := c.UnitID
	if unit == nil && c.Routing != nil {
		unit = c.Routing.UnitID
	}
	ans := recommendAnswer{UnitID: unit, Items: []routing.Recommendation{}}
	if unit == nil {
		writeJSON(w, http.StatusOK, ans)
		return
	}
	now := s.now()
	shifts, err := s.store.Shifts(r.Context(), now.Add(-routing.MaxShift), now.Add(time.Second))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.store.People(r.Context(), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if recs := routing.Recommend(dir, *unit, people, shifts, now, c.Location); recs != nil {
		ans.Items = recs
	}
	writeJSON(w, http.StatusOK, ans)
}

// WatchRoster warns in the log, at start and then every few hours, when
// the coming week has hours with nobody on duty at a center or a
// response team.
func (s *Server) WatchRoster(ctx context.Context, every time.Duration) {
	for {
		now := s.now()
		ans, err := s.RosterGaps(ctx, now, now.AddDate(0, 0, 7))
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("roster check", "err", err)
		case err == nil && !ans.Covered:
			first := ans.Gaps[0]
			s.log.Warn(ans.Warning, "first_gap_unit", first.UnitName, "first_gap_start", first.Start.Format(time.RFC3339),
				"first_gap_end", first.End.Format(time.RFC3339))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
