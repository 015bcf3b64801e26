package api

import (
	"net/http"
	"strconv"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

var errAdminOnly = casework.Forbidden("forbidden", "只有系统管理员可以执行此操作")

// createUnit adds a unit to the directory (admin).
func (s *Server) createUnit(w http.ResponseWriter, r *http.Request, u account.User) {
	if !casework.CanAdminister(u.Actor()) {
		s.fail(w, r, errAdminOnly)
		return
	}
	var body routing.NewUnit
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := body.Validate(s.directory()); err != nil {
		s.fail(w, r, err)
		return
	}
	unit, err := s.store.CreateUnit(r.Context(), body, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.reloadDirectory(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/units/"+strconv.FormatInt(unit.ID, 10))
	writeJSON(w, http.StatusCreated, unit)
}

type unitList struct {
	Items []routing.Unit `json:"items"`
}

// listUnits answers the whole directory: every account needs it to name
// where a case goes.
func (s *Server) listUnits(w http.ResponseWriter, r *http.Request, _ account.User) {
	units, err := s.store.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unitList{Items: units})
}

// getUnit answers one unit.
func (s *Server) getUnit(w http.ResponseWriter, r *http.Request, _ account.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, casework.NotFound("unit_not_found", "单位不存在"))
		return
	}
	unit, err := s.store.GetUnit(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unit)
}
