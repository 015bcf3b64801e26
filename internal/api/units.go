package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

var errAdminOnly = casework.Forbidden("forbidden", "只有系统管理员可以执行此操作")

// createUnit adds a unit to the directory (admin).
func (s *Server) createUnit(w http.ResponseWriter, r *http.Request, u account.User) {
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

type unitPatch struct {
	Name     *string         `json:"name"`
	ParentID *int64          `json:"parent_id"`
	Area     json.RawMessage `json:"area"`
}

// updateUnit renames a unit, moves it or sets its area (admin).
func (s *Server) updateUnit(w http.ResponseWriter, r *http.Request, u account.User) {
	id, err := pathID(r, casework.NotFound("unit_not_found", "单位不存在"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body unitPatch
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	dir := s.directory()
	unit, ok := dir.Unit(id)
	if !ok {
		s.fail(w, r, casework.NotFound("unit_not_found", "单位 %d 不存在", id))
		return
	}
	if body.Name != nil {
		unit.Name = strings.TrimSpace(*body.Name)
	}
	if body.ParentID != nil {
		if _, ok := dir.Unit(*body.ParentID); !ok {
			s.fail(w, r, casework.Invalid("unknown_parent", "上级单位 %d 不存在", *body.ParentID))
			return
		}
		if dir.IsAncestor(id, *body.ParentID) {
			s.fail(w, r, casework.Invalid("parent_cycle", "不能把单位移到它自己或它的下级之下"))
			return
		}
		unit.ParentID = body.ParentID
	}
	if body.Area != nil {
		if _, err := routing.ParseArea(body.Area); err != nil {
			s.fail(w, r, err)
			return
		}
		unit.Area = body.Area
	}
	if body.Name != nil || body.ParentID != nil {
		if err := dir.CheckRename(unit); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := s.store.UpdateUnit(r.Context(), unit, s.now()); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.reloadDirectory(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.getUnit(w, r, u)
}

type areasAnswer struct {
	Updated int `json:"updated"`
	Created int `json:"created"`
}

// importAreas reads a GeoJSON FeatureCollection of grid areas (admin):
// each feature named like an existing unit sets its area, others create a
// grid under ?parent_id=; one bad feature imports nothing.
func (s *Server) importAreas(w http.ResponseWriter, r *http.Request, u account.User) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUpload))
	if err != nil {
		s.fail(w, r, errUploadTooLarge)
		return
	}
	if nulEscape(body) {
		s.fail(w, r, errNUL)
		return
	}
	var parent *int64
	if v := r.URL.Query().Get("parent_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if _, ok := s.directory().Unit(id); err != nil || !ok {
			s.fail(w, r, casework.Invalid("unknown_parent", "上级单位 %s 不存在", v))
			return
		}
		parent = &id
	}
	imp, errs := routing.ParseAreaImport(body, s.directory(), parent)
	if len(errs) > 0 {
		writeRowErrors(w, errs)
		return
	}
	if err := s.store.ApplyAreas(r.Context(), imp.Updates, imp.Creates, s.now()); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.reloadDirectory(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, areasAnswer{Updated: len(imp.Updates), Created: len(imp.Creates)})
}
