package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/officeday"
	"github.com/yizhan/yizhan/internal/problemlist"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/store"
)

// officeDayKey is where the administrator's office-day overrides live.
const officeDayKey = "office_day_overrides"

// officeDays is the schedule as it stands: the working-day calendar in
// force and the stored overrides. It is read for each request that needs
// it, so every node sees an override at once.
func (s *Server) officeDays(ctx context.Context) (*officeday.Schedule, error) {
	return s.officeDaysOver(ctx, s.store.Clocks().Calendar)
}

// officeDaysOver is the schedule the stored overrides give over a
// calendar: a calendar about to be saved is checked against it.
func (s *Server) officeDaysOver(ctx context.Context, cal *sla.Calendar) (*officeday.Schedule, error) {
	raw, err := s.store.Setting(ctx, officeDayKey)
	if err != nil {
		return nil, err
	}
	var ovs []officeday.Override
	if raw != nil {
		if err := json.Unmarshal(raw, &ovs); err != nil {
			return nil, err
		}
	}
	return officeday.New(cal, ovs)
}

// linkOfficeDay ties a demand of channel office_day to its office day:
// the date given (or today) must be a scheduled office day, not one to
// come, and the demand's occurred_at falls on it. office_day on another
// channel is refused rather than ignored.
func (s *Server) linkOfficeDay(ctx context.Context, in *casework.Intake, raw *string) error {
	if in.Channel != casework.ChannelOfficeDay {
		if raw != nil {
			return casework.Invalid("office_day_channel", "office_day 只用于现场办公日登记的诉求（channel 为 office_day）")
		}
		return nil
	}
	var requested *sla.Date
	if raw != nil {
		d, err := sla.ParseDate(*raw)
		if err != nil {
			return casework.Invalid("invalid_office_day", "office_day 须为 YYYY-MM-DD 日期，收到“%s”", *raw)
		}
		requested = &d
	}
	sched, err := s.officeDays(ctx)
	if err != nil {
		return err
	}
	_, at, err := sched.Link(requested, in.OccurredAt, s.now())
	if err != nil {
		return err
	}
	at = at.In(s.loc)
	in.OccurredAt = &at
	return nil
}

// officeDayView is one office day with the demands raised at it.
type officeDayView struct {
	officeday.Day
	Past    bool               `json:"past"`
	Counts  problemlist.Counts `json:"counts"`
	Demands []problemlist.Item `json:"demands"`
}

// listOfficeDays answers the office days of a period (?from=&to=, dates;
// default this year), each with its place and the demands raised there
// that the account may see, and their state.
func (s *Server) listOfficeDays(w http.ResponseWriter, r *http.Request, u account.User) {
	q := r.URL.Query()
	if err := onlyParams(q, "from", "to"); err != nil {
		s.fail(w, r, err)
		return
	}
	from, to, err := s.datePeriod(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sched, err := s.officeDays(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	start, end := from.Start(), to.AddDays(1).Start()
	items, err := s.problemItems(r.Context(), officeDayFilter(store.CaseFilter{
		Scope: s.directory().ScopeOf(u.Actor()), Line: casework.LineEnterprise}, start, end), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byDay := map[sla.Date][]problemlist.Item{}
	for _, it := range items {
		byDay[*it.OfficeDay] = append(byDay[*it.OfficeDay], it)
	}
	out, today := []officeDayView{}, sla.DateOf(s.now())
	for _, d := range sched.Between(from, to) {
		demands := byDay[d.Date]
		if demands == nil {
			demands = []problemlist.Item{}
		}
		out = append(out, officeDayView{Day: d, Past: !d.Date.After(today), Counts: problemlist.Count(demands), Demands: demands})
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "items": out, "overrides": sched.Overrides()})
}

type officeDayOverridesBody struct {
	Overrides *[]officeDayOverrideInput `json:"overrides"`
}

// officeDayOverrideInput is an officeday.Override as the administrator
// writes it: the date is read as text, so a wrong one is answered naming
// its item and field.
type officeDayOverrideInput struct {
	Month string  `json:"month"`
	Date  *string `json:"date"`
	Place string  `json:"place"`
	Note  string  `json:"note"`
}

// putOfficeDayOverrides replaces the administrator's changes to office
// days (another date within the month, another place). A month whose date
// would move away from a day that already has demands is refused: the
// demands are linked to their day by date.
func (s *Server) putOfficeDayOverrides(w http.ResponseWriter, r *http.Request, u account.User) {
	var body officeDayOverridesBody
	if err := decodeReplacement(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Overrides == nil {
		s.fail(w, r, casework.Invalid("overrides_required", `缺少 overrides 列表；清空请明确传 {"overrides": []}`))
		return
	}
	ovs := make([]officeday.Override, len(*body.Overrides))
	for i, in := range *body.Overrides {
		ovs[i] = officeday.Override{Month: in.Month, Place: in.Place, Note: in.Note}
		if in.Date != nil {
			d, err := overrideDate(i, in.Date)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			ovs[i].Date = &d
		}
	}
	next, err := officeday.New(s.store.Clocks().Calendar, ovs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cur, err := s.officeDays(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	raw, _ := json.Marshal(ovs)
	keep := func(count store.DemandCounter) error { return keepOfficeDays(cur, next, count) }
	if err := s.store.SetSettingChecked(r.Context(), officeDayKey, raw, s.now(), keep); err != nil {
		s.fail(w, r, err)
		return
	}
	r.URL.RawQuery = ""
	s.listOfficeDays(w, r, u)
}

// keepOfficeDays refuses a change of schedule, by an office-day override
// or a calendar override, that would move an office day which already has
// demands: the demands are linked to their day by date, so they would be
// left on a day that is no longer an office day. Both override endpoints
// call it in the transaction that saves the change.
func keepOfficeDays(was, will *officeday.Schedule, count store.DemandCounter) error {
	for _, m := range officeday.Moves(was, will) {
		n, err := count(m.From.Start(), m.From.AddDays(1).Start())
		if err != nil {
			return err
		}
		if n > 0 {
			return casework.Conflict("office_day_has_demands",
				"%s 的现场办公日（%s）已登记 %d 件诉求，此项调整会将其改至 %s，不能保存", m.Month, m.From, n, m.To)
		}
	}
	return nil
}

// officeDayFilter narrows f to the demands raised at the office days held
// in [start, end): channel office_day, occurred then. None was created
// before its day (an occurred_at may lie at most MaxClockSkew ahead of its
// creation), so the creation time bounds the search too, which the
// cases_line index (line, created_at) serves.
func officeDayFilter(f store.CaseFilter, start, end time.Time) store.CaseFilter {
	f.Channel, f.OccurredFrom, f.OccurredTo = casework.ChannelOfficeDay, &start, &end
	if lower := start.Add(-casework.MaxClockSkew); f.From == nil || f.From.Before(lower) {
		f.From = &lower
	}
	return f
}
