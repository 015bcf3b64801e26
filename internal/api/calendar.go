package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/store"
)

// calendarKey is where the administrator's calendar overrides live.
const calendarKey = "calendar_overrides"

// reloadCalendar applies the stored overrides to the built-in calendar.
func (s *Server) reloadCalendar(ctx context.Context) error {
	raw, err := s.store.Setting(ctx, calendarKey)
	if err != nil {
		return err
	}
	var ovs []sla.Override
	if raw != nil {
		if err := json.Unmarshal(raw, &ovs); err != nil {
			return err
		}
	}
	cur := s.store.Clocks()
	cal, err := sla.DefaultCalendar().WithOverrides(ovs)
	if err != nil {
		return err
	}
	s.store.SetClocks(&casework.Clocks{Policies: cur.Policies, Calendar: cal})
	return nil
}

type workdaysAnswer struct {
	Date sla.Date `json:"date"`
}

// workdays answers the Nth working day after a date (the contract's
// GET /api/v1/calendar/workdays?from=YYYY-MM-DD&add=N).
func (s *Server) workdays(w http.ResponseWriter, r *http.Request, _ account.User) {
	q := r.URL.Query()
	from, err := sla.ParseDate(q.Get("from"))
	if err != nil {
		s.fail(w, r, casework.Invalid("invalid_from", "from 须为 YYYY-MM-DD 日期"))
		return
	}
	n, err := strconv.Atoi(q.Get("add"))
	if err != nil {
		s.fail(w, r, casework.Invalid("invalid_add", "add 须为整数"))
		return
	}
	d, err := s.store.Clocks().Calendar.AddWorkdays(from, n)
	switch {
	case errors.Is(err, sla.ErrNegativeWorkdays):
		s.fail(w, r, casework.Invalid("invalid_add", "add 不能为负数"))
		return
	case errors.Is(err, sla.ErrTooManyWorkdays):
		s.fail(w, r, casework.Invalid("invalid_add", "add 最大为 %d", sla.MaxAddWorkdays))
		return
	case err != nil:
		s.fail(w, r, casework.Invalid("invalid_date", "日期无效：%v", err))
		return
	}
	writeJSON(w, http.StatusOK, workdaysAnswer{Date: d})
}

type calendarAnswer struct {
	From      sla.Date         `json:"from"`
	To        sla.Date         `json:"to"`
	Days      []sla.Day        `json:"days"`
	Years     []sla.YearSource `json:"years"`
	Overrides []sla.Override   `json:"overrides"`
}

// datePeriod reads ?from=&to= as days (YYYY-MM-DD, both included), by
// default this year; a period runs forwards and spans at most three years.
func (s *Server) datePeriod(q url.Values) (from, to sla.Date, err error) {
	today := sla.DateOf(s.now())
	from, to = sla.NewDate(today.Year, 1, 1), sla.NewDate(today.Year, 12, 31)
	if v := q.Get("from"); v != "" {
		if from, err = sla.ParseDate(v); err != nil {
			return from, to, casework.Invalid("invalid_from", "from 须为 YYYY-MM-DD 日期")
		}
	}
	if v := q.Get("to"); v != "" {
		if to, err = sla.ParseDate(v); err != nil {
			return from, to, casework.Invalid("invalid_to", "to 须为 YYYY-MM-DD 日期")
		}
	}
	if to.Before(from) || to.Compare(from.AddDays(3*366)) > 0 {
		return from, to, casework.Invalid("invalid_period", "to 须不早于 from，且跨度不超过三年")
	}
	return from, to, nil
}

// calendarDays lists the holidays, make-up working days and overrides of
// a period (?from=&to=, default this year).
func (s *Server) calendarDays(w http.ResponseWriter, r *http.Request, _ account.User) {
	from, to, err := s.datePeriod(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cal := s.store.Clocks().Calendar
	ans := calendarAnswer{From: from, To: to, Days: cal.Days(from, to), Years: cal.Years(), Overrides: cal.Overrides()}
	if ans.Days == nil {
		ans.Days = []sla.Day{}
	}
	if ans.Overrides == nil {
		ans.Overrides = []sla.Override{}
	}
	writeJSON(w, http.StatusOK, ans)
}

type overridesBody struct {
	// Overrides is required: it replaces the overrides in force, and an
	// empty list (not a missing one) clears them.
	Overrides *[]calendarOverrideInput `json:"overrides"`
}

// calendarOverrideInput is an sla.Override as the administrator writes
// it: the date is read as text, so a wrong or missing one is answered
// naming its item and field.
type calendarOverrideInput struct {
	Date    *string `json:"date"`
	Workday bool    `json:"workday"`
	Name    string  `json:"name"`
}

// putOverrides replaces the administrator's calendar corrections (a
// holiday the built-in data lacks, a 2027 调休 day once the notice is out).
func (s *Server) putOverrides(w http.ResponseWriter, r *http.Request, u account.User) {
	var body overridesBody
	if err := decodeReplacement(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Overrides == nil {
		s.fail(w, r, casework.Invalid("overrides_required", `缺少 overrides 列表；清空日历调整请明确传 {"overrides": []}`))
		return
	}
	overrides := make([]sla.Override, len(*body.Overrides))
	for i, in := range *body.Overrides {
		d, err := overrideDate(i, in.Date)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		overrides[i] = sla.Override{Date: d, Workday: in.Workday, Name: in.Name}
	}
	cal, err := sla.DefaultCalendar().WithOverrides(overrides)
	if err != nil {
		s.fail(w, r, casework.Invalid("invalid_override", "日历调整无效：%v", err))
		return
	}
	// A day off or a working day may move an office day: one that already
	// has demands must stay where it is.
	was, err := s.officeDays(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	will, err := s.officeDaysOver(r.Context(), cal)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	raw, _ := json.Marshal(overrides)
	keep := func(count store.DemandCounter) error { return keepOfficeDays(was, will, count) }
	if err := s.store.SetSettingChecked(r.Context(), calendarKey, raw, s.now(), keep); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.reloadCalendar(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.calendarDays(w, r, u)
}

type policyView struct {
	Name   string      `json:"name"`
	Match  matchView   `json:"match"`
	Stages []stageView `json:"stages"`
}

type matchView struct {
	Line     []string `json:"line,omitempty"`
	Category []string `json:"category,omitempty"`
	Type     []string `json:"type,omitempty"`
	Priority []string `json:"priority,omitempty"`
	Risk     []string `json:"risk,omitempty"`
}

type stageView struct {
	Stage     string            `json:"stage"`
	Label     string            `json:"label"`
	Start     string            `json:"start,omitempty"`
	Stop      string            `json:"stop"`
	Target    string            `json:"target"`
	MaxTarget string            `json:"max_target,omitempty"`
	TargetIf  map[string]string `json:"target_if,omitempty"`
}

// slaPolicies answers the SLA policies in force.
func (s *Server) slaPolicies(w http.ResponseWriter, r *http.Request, _ account.User) {
	out := []policyView{}
	for _, p := range s.store.Clocks().Policies {
		v := policyView{Name: p.Name, Match: matchView(p.Match), Stages: []stageView{}}
		for _, st := range p.Stages {
			sv := stageView{Stage: st.Name, Label: casework.StageLabel(st.Name), Start: st.Start, Stop: st.Stop, Target: st.Target.String()}
			if !st.MaxTarget.IsZero() {
				sv.MaxTarget = st.MaxTarget.String()
			}
			for _, alt := range st.TargetIf {
				if sv.TargetIf == nil {
					sv.TargetIf = map[string]string{}
				}
				sv.TargetIf[alt.Status] = alt.Target.String()
			}
			v.Stages = append(v.Stages, sv)
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"policies": out})
}
