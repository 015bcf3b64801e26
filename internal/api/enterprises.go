package api

import (
	"errors"
	"net/http"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
)

var errEnterpriseNotFound = casework.NotFound("enterprise_not_found", "企业不存在")

// createEnterprise adds (or, for a known credit code, updates) an
// enterprise (admin).
func (s *Server) createEnterprise(w http.ResponseWriter, r *http.Request, u account.User) {
	var body routing.NewEnterprise
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := body.Validate(s.directory()); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.GridWorker != nil {
		if _, err := s.store.GetPerson(r.Context(), *body.GridWorker); errors.Is(err, store.ErrPersonNotFound) {
			s.fail(w, r, casework.Invalid("unknown_person", "网格员 grid_worker=%d 不在通讯录中", *body.GridWorker))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if body.MicroCenter != nil && *body.MicroCenter != 0 {
		// One micro-center speaks for one enterprise.
		if other, ok := s.ents.Load().OfMicroCenter(*body.MicroCenter); ok && other.CreditCode != body.CreditCode {
			s.fail(w, r, casework.Conflict("micro_center_taken", "单位 %d 已是“%s”的微中心", *body.MicroCenter, other.Name))
			return
		}
	}
	ids, err := s.store.CreateEnterprises(r.Context(), []routing.NewEnterprise{body}, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.reloadDirectory(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.store.GetEnterprise(r.Context(), ids[0])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

type enterpriseList struct {
	Items []routing.Enterprise `json:"items"`
}

// listEnterprises answers every enterprise of the zone.
func (s *Server) listEnterprises(w http.ResponseWriter, r *http.Request, _ account.User) {
	es, err := s.store.Enterprises(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, enterpriseList{Items: es})
}

// getEnterprise answers one enterprise.
func (s *Server) getEnterprise(w http.ResponseWriter, r *http.Request, _ account.User) {
	id, err := pathID(r, errEnterpriseNotFound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.store.GetEnterprise(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// importEnterprises imports a CSV or XLSX sheet of enterprises (admin),
// all rows or none.
func (s *Server) importEnterprises(w http.ResponseWriter, r *http.Request, u account.User) {
	rows, err := readTable(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.store.People(r.Context(), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	es, errs := routing.ParseEnterprises(rows, s.directory(), people)
	if len(errs) > 0 {
		writeRowErrors(w, errs)
		return
	}
	ids, err := s.store.CreateEnterprises(r.Context(), es, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.reloadDirectory(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, importAnswer{Imported: len(ids), IDs: ids})
}

// exportEnterprises answers the enterprises as CSV or XLSX.
func (s *Server) exportEnterprises(w http.ResponseWriter, r *http.Request, _ account.User) {
	es, err := s.store.Enterprises(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.store.People(r.Context(), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeTable(w, r, "enterprises", routing.EnterpriseRows(es, s.directory(), people))
}
