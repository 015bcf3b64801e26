package api

import (
	"net/http"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
)

// getCase answers a case with its whole timeline, if the account may see it.
func (s *Server) getCase(w http.ResponseWriter, r *http.Request, u account.User) {
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
	scope := s.directory().ScopeOf(u.Actor())
	if !scope.Sees(&c) {
		s.fail(w, r, casework.ErrCaseNotFound)
		return
	}
	evs, err := s.store.Events(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c.Deadlines, _ = s.store.Clocks().Deadlines(&c, evs, s.now())
	v := viewCase(c, u.Actor(), scope)
	v.Events = viewEvents(evs, u.Role)
	writeJSON(w, http.StatusOK, v)
}
