package api

import (
	"net/http"
	"strconv"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
)

// caseID reads the {id} of a case path; a malformed id is as unknown as a
// missing case.
func caseID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, casework.ErrCaseNotFound
	}
	return id, nil
}

// getCase answers a case with its whole timeline, if the account may see it.
func (s *Server) getCase(w http.ResponseWriter, r *http.Request, u account.User) {
	id, err := caseID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.store.GetCase(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.directory().ScopeOf(u.Actor()).Sees(&c) {
		s.fail(w, r, casework.ErrCaseNotFound)
		return
	}
	evs, err := s.store.Events(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c.Deadlines, _ = s.store.Clocks().Deadlines(&c, evs, s.now())
	v := viewCase(c, u.Actor())
	v.Events = viewEvents(evs, u.Role)
	writeJSON(w, http.StatusOK, v)
}
