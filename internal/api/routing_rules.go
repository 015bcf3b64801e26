package api

import (
	"context"
	"net/http"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

// getRules answers the routing rules in force, in order.
func (s *Server) getRules(w http.ResponseWriter, r *http.Request, _ account.User) {
	writeJSON(w, http.StatusOK, s.rules.Load())
}

// putRules replaces the routing rules (admin), after checking every rule
// against the directory.
func (s *Server) putRules(w http.ResponseWriter, r *http.Request, u account.User) {
	raw, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rules, err := s.SaveRules(r.Context(), raw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rules)
}

// SaveRules validates rules (YAML or JSON) and stores them; `serve
// --routing FILE` uses it too.
func (s *Server) SaveRules(ctx context.Context, raw []byte) (routing.RuleSet, error) {
	rules, err := routing.ParseRules(raw)
	if err != nil {
		return rules, err
	}
	if err := rules.Validate(s.directory(), s.types); err != nil {
		return rules, err
	}
	if err := s.store.SetRoutingRules(ctx, rules, s.now()); err != nil {
		return rules, err
	}
	return rules, s.reloadDirectory(ctx)
}

type previewAnswer struct {
	Routing  *casework.Routing `json:"routing"`
	Category string            `json:"category"`
	Type     string            `json:"type"`
	Police   bool              `json:"police"`
	Risk     string            `json:"risk"`
}

// previewRouting answers where a report would go, without storing it.
func (s *Server) previewRouting(w http.ResponseWriter, r *http.Request, u account.User) {
	var body createCaseBody
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := body.intake()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor := u.Actor()
	if err := in.Validate(actor); err != nil {
		s.fail(w, r, err)
		return
	}
	cls, _, err := s.classify(&in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, _, err := casework.Receive(in, cls, s.types, actor, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rt := s.routingFor(s.directory(), c, actor.UnitID)
	writeJSON(w, http.StatusOK, previewAnswer{Routing: rt, Category: c.Category, Type: c.Type, Police: c.Police, Risk: c.Risk})
}
