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
	c, evs, err := s.store.CaseWithTimeline(r.Context(), id, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scope := s.directory().ScopeOf(u.Actor())
	if !scope.Sees(&c) {
		s.fail(w, r, casework.ErrCaseNotFound)
		return
	}
	v := viewCase(c, u.Actor(), scope)
	v.Events = viewEvents(evs, u.Role)
	writeJSON(w, http.StatusOK, v)
}
