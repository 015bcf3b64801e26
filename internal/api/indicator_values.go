package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/kpi"
	"github.com/yizhan/yizhan/internal/store"
)

// valuesBody is one figure, or several under items: all are stored or
// none.
type valuesBody struct {
	kpi.ValueInput
	Items []kpi.ValueInput `json:"items"`
}

type valuesAnswer struct {
	Saved int         `json:"saved"`
	Items []kpi.Value `json:"items"`
}

// catalog reads the indicators and zones figures refer to.
func (s *Server) catalog(r *http.Request) (*kpi.Catalog, []kpi.Indicator, []kpi.Zone, error) {
	inds, err := s.store.Indicators(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	zones, err := s.store.IndicatorZones(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	return kpi.NewCatalog(inds, zones), inds, zones, nil
}

// mayReport says whether the account may record these figures: leaders
// and administrators any, a responsible department (责任单位) those of its
// own indicators.
func mayReport(u account.User, cat *kpi.Catalog, vs []kpi.Value) error {
	for _, v := range vs {
		ind, _ := cat.Indicator(v.IndicatorID)
		if !mayReportIndicator(u, ind) {
			return casework.Forbidden("forbidden", "指标 %s 不由本单位负责，只有责任单位、领导或管理员可以报送", ind.Code)
		}
	}
	return nil
}

var errMayReportNothing = casework.Forbidden("forbidden", "本账号没有负责报送的指标：只有责任单位、领导或管理员可以报送")

// mayReportIndicator says whether the account may record the indicator's
// figures.
func mayReportIndicator(u account.User, ind kpi.Indicator) bool {
	return canManageIndicators(u) || u.UnitID != nil && ind.UnitID != nil && *ind.UnitID == *u.UnitID
}

// recordValues stores one figure or a list of them.
func (s *Server) recordValues(w http.ResponseWriter, r *http.Request, u account.User) {
	if u.Role != casework.RoleAdmin && u.Role != casework.RoleLeader && u.UnitID == nil {
		s.fail(w, r, errMayReportNothing)
		return
	}
	var body valuesBody
	if err := decodeReplacement(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	ins := body.Items
	if ins == nil {
		ins = []kpi.ValueInput{body.ValueInput}
	} else if body.ValueInput != (kpi.ValueInput{}) {
		s.fail(w, r, casework.Invalid("invalid_body", "单条数据与 items 不能同时给出"))
		return
	}
	if len(ins) == 0 || len(ins) > 10_000 {
		s.fail(w, r, casework.Invalid("invalid_items", "items 须有 1 至 10000 条"))
		return
	}
	cat, _, _, err := s.catalog(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vs, err := cat.ResolveAll(ins, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveValues(w, r, u, cat, vs, func() { writeJSON(w, http.StatusOK, valuesAnswer{Saved: len(vs), Items: vs}) })
}

func (s *Server) saveValues(w http.ResponseWriter, r *http.Request, u account.User, cat *kpi.Catalog, vs []kpi.Value, answer func()) {
	if err := mayReport(u, cat, vs); err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now()
	by := u.ID
	if err := s.store.SaveIndicatorValues(r.Context(), vs, &by, now); err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range vs {
		vs[i].RecordedBy, vs[i].RecordedAt = &by, now
	}
	answer()
}

// importValues imports a CSV or XLSX sheet of figures: every row is
// checked first; one bad row imports nothing and the answer lists them all.
func (s *Server) importValues(w http.ResponseWriter, r *http.Request, u account.User) {
	// Who may report nothing is refused before the file is read.
	cat, inds, _, err := s.catalog(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(inds, func(ind kpi.Indicator) bool { return mayReportIndicator(u, ind) }) {
		s.fail(w, r, errMayReportNothing)
		return
	}
	rows, err := readTable(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vs, errs := cat.ParseValueRows(rows, s.now())
	if len(errs) > 0 {
		writeRowErrors(w, errs)
		return
	}
	if len(vs) == 0 {
		s.fail(w, r, kpi.ErrNothingToImport)
		return
	}
	s.saveValues(w, r, u, cat, vs, func() { writeJSON(w, http.StatusOK, map[string]int{"imported": len(vs)}) })
}

// valuesTemplate answers a sheet to fill in: a row per active indicator
// the account may report (a department's own, every one for leaders and
// administrators) for this zone and the last period of its cadence that
// has ended. Rows left blank are skipped on import.
func (s *Server) valuesTemplate(w http.ResponseWriter, r *http.Request, u account.User) {
	cat, inds, _, err := s.catalog(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	home, _ := cat.Home()
	today := s.now()
	rows := [][]string{append(kpi.ImportHeaders(), "指标名称")}
	for _, ind := range inds {
		if !ind.Active || !mayReportIndicator(u, ind) {
			continue
		}
		p := kpi.LastEndedBy(ind.Cadence, kpi.Civil(today).AddDate(0, 0, -1))
		rows = append(rows, []string{ind.Code, home.Name, p.String(), "", "", "", ind.Name})
	}
	s.writeTable(w, r, "indicator-values", rows)
}

type valueList struct {
	Items []kpi.Value `json:"items"`
}

// listValues answers one indicator's figures of a year (?year=, default
// this year), every zone, or one with ?zone_id=.
func (s *Server) listValues(w http.ResponseWriter, r *http.Request, _ account.User) {
	id, err := pathID(r, store.ErrIndicatorNotFound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.store.GetIndicator(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	if err := onlyParams(q, "year", "zone_id"); err != nil {
		s.fail(w, r, err)
		return
	}
	year := s.now().Year()
	if v := q.Get("year"); v != "" {
		if year, err = strconv.Atoi(v); err != nil || year < 2000 || year > 2100 {
			s.fail(w, r, casework.Invalid("invalid_year", "year 须为 2000 至 2100 之间的年份"))
			return
		}
	}
	var zone int64
	if v := q.Get("zone_id"); v != "" {
		if zone, err = strconv.ParseInt(v, 10, 64); err != nil {
			s.fail(w, r, casework.Invalid("invalid_zone_id", "zone_id 须为整数"))
			return
		}
	}
	vs, err := s.store.IndicatorValues(r.Context(), id, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []kpi.Value{}
	for _, v := range vs {
		if zone == 0 || v.ZoneID == zone {
			out = append(out, v)
		}
	}
	writeJSON(w, http.StatusOK, valueList{Items: out})
}
