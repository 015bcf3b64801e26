package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
)

type actionBody struct {
	Action       string  `json:"action"`
	UnitID       *int64  `json:"unit_id"`
	Outcome      string  `json:"outcome"`
	Note         string  `json:"note"`
	Reason       string  `json:"reason"`
	Satisfaction *int    `json:"satisfaction"`
	Into         *int64  `json:"into"`
	IntoNumber   string  `json:"into_number"`
	Category     string  `json:"category"`
	Type         string  `json:"type"`
	Police       *bool   `json:"police"`
	Risk         string  `json:"risk"`
	Stage        string  `json:"stage"`
	Until        *string `json:"until"`
}

type actionAnswer struct {
	caseView
	Event casework.Event `json:"event"`
}

// actOnCase takes an action on a case: the state machine decides inside
// the write transaction; a refusal answers 409 and writes nothing.
func (s *Server) actOnCase(w http.ResponseWriter, r *http.Request, u account.User) {
	id, err := pathID(r, casework.ErrCaseNotFound)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body actionBody
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	cmd, err := body.command()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if cmd.Into == nil && body.IntoNumber != "" {
		// The dispatcher names the master by its number, as it is written
		// on the call sheet.
		target, err := s.store.CaseByNumber(r.Context(), body.IntoNumber)
		if err != nil {
			s.fail(w, r, casework.Invalid("unknown_case", "没有编号为 %s 的工单", body.IntoNumber))
			return
		}
		cmd.Into = &target.ID
	}
	actor := u.Actor()
	dir := s.directory()
	scope := dir.ScopeOf(actor)
	env := s.env()
	d, err := s.store.Act(r.Context(), store.ActRequest{
		CaseID: id, Scope: scope, Command: cmd, Unit: dir.Ref, Now: env.Now,
		Decide: func(c casework.Case, refs casework.Refs) (casework.Decision, error) {
			// Whether this account may act on this case is decided on the
			// case as the transaction read it.
			if err := casework.Permit(actor, scope, &c, cmd); err != nil {
				return casework.Decision{}, err
			}
			return casework.Decide(c, cmd, actor, refs, env)
		},
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Publish(r.Context(), d.Case, []casework.Event{d.Event})
	if cmd.Action == casework.ActionReclassify {
		s.triage.Corrected()
	}
	if d.Master != nil {
		s.Publish(r.Context(), *d.Master, []casework.Event{*d.MasterEvent})
	}
	writeJSON(w, http.StatusOK, actionAnswer{caseView: viewCase(d.Case, actor, scope), Event: d.Event})
}

func (b actionBody) command() (casework.Command, error) {
	cmd := casework.Command{
		Action:       casework.Action(strings.TrimSpace(b.Action)),
		UnitID:       b.UnitID,
		Outcome:      casework.Outcome(strings.TrimSpace(b.Outcome)),
		Note:         b.Note,
		Reason:       b.Reason,
		Satisfaction: b.Satisfaction,
		Into:         b.Into,
		Category:     strings.TrimSpace(b.Category),
		Type:         strings.TrimSpace(b.Type),
		Police:       b.Police,
		Risk:         strings.TrimSpace(b.Risk),
		Stage:        strings.TrimSpace(b.Stage),
	}
	if cmd.Action == "" {
		return cmd, casework.Invalid("action_required", "缺少操作 action")
	}
	if !cmd.Action.Known() {
		return cmd, casework.Invalid("unknown_action", "未知的操作“%s”", cmd.Action)
	}
	if b.Until != nil && *b.Until != "" {
		t, err := time.Parse(time.RFC3339, *b.Until)
		if err != nil {
			return cmd, casework.Invalid("invalid_until", "until 须为带时区的 RFC 3339 时间")
		}
		cmd.Until = &t
	}
	return cmd, nil
}
