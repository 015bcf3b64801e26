package api

import (
	"net/http"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/kpi"
	"github.com/yizhan/yizhan/internal/store"
)

// The development indicators (高质量发展指标): administrators and leaders
// keep the catalogue and the zones compared; every account reads them.

var errIndicatorsForbidden = casework.Forbidden("forbidden", "指标目录和比拼区域由管理员或领导维护")

// canManageIndicators: the catalogue and every zone's figures are the
// leaders' (and the administrators').
func canManageIndicators(u account.User) bool {
	return u.Role == casework.RoleAdmin || u.Role == casework.RoleLeader
}

// managersOnly lets only administrators and leaders through.
func (s *Server) managersOnly(h authHandler) authHandler {
	return func(w http.ResponseWriter, r *http.Request, u account.User) {
		if !canManageIndicators(u) {
			s.fail(w, r, errIndicatorsForbidden)
			return
		}
		h(w, r, u)
	}
}

func (s *Server) unitExists(id int64) bool {
	_, ok := s.directory().Unit(id)
	return ok
}

type indicatorList struct {
	Items []kpi.Indicator `json:"items"`
}

// listIndicators answers the catalogue in the report's order; ?group=
// keeps one dimension, ?active=true the indicators in use, ?active=false
// those out of use (without ?active, all).
func (s *Server) listIndicators(w http.ResponseWriter, r *http.Request, _ account.User) {
	inds, err := s.store.Indicators(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	if err := onlyParams(q, "group", "active"); err != nil {
		s.fail(w, r, err)
		return
	}
	active := q.Get("active")
	if active != "" && active != "true" && active != "false" {
		s.fail(w, r, casework.Invalid("invalid_active", "active 须为 true 或 false"))
		return
	}
	out := []kpi.Indicator{}
	for _, ind := range inds {
		if g := q.Get("group"); g != "" && ind.Group != g {
			continue
		}
		if active != "" && ind.Active != (active == "true") {
			continue
		}
		out = append(out, ind)
	}
	writeJSON(w, http.StatusOK, indicatorList{Items: out})
}

// createIndicator adds an indicator to the catalogue.
func (s *Server) createIndicator(w http.ResponseWriter, r *http.Request, _ account.User) {
	var in kpi.IndicatorInput
	if err := decodeReplacement(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	ind, err := in.Apply(kpi.Indicator{Active: true}, s.unitExists)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ind, err = s.store.CreateIndicator(r.Context(), ind, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ind)
}

// getIndicator answers one indicator.
func (s *Server) getIndicator(w http.ResponseWriter, r *http.Request, _ account.User) {
	id, err := pathID(r, store.ErrIndicatorNotFound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ind, err := s.store.GetIndicator(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ind)
}

// updateIndicator changes the fields the body names.
func (s *Server) updateIndicator(w http.ResponseWriter, r *http.Request, _ account.User) {
	id, err := pathID(r, store.ErrIndicatorNotFound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in kpi.IndicatorInput
	if err := decodeReplacement(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	ind, err := s.store.GetIndicator(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ind, err = in.Apply(ind, s.unitExists); err != nil {
		s.fail(w, r, err)
		return
	}
	ind, err = s.store.UpdateIndicator(r.Context(), ind, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ind)
}

type zoneList struct {
	Items []kpi.Zone `json:"items"`
}

// listIndicatorZones answers the zones compared, this zone first.
func (s *Server) listIndicatorZones(w http.ResponseWriter, r *http.Request, _ account.User) {
	zs, err := s.store.IndicatorZones(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, zoneList{Items: zs})
}

// createIndicatorZone adds a zone: this zone (home) once, then the
// city's other zones.
func (s *Server) createIndicatorZone(w http.ResponseWriter, r *http.Request, _ account.User) {
	var in kpi.NewZone
	if err := decodeReplacement(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := in.Validate(); err != nil {
		s.fail(w, r, err)
		return
	}
	z, err := s.store.CreateIndicatorZone(r.Context(), in, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, z)
}
