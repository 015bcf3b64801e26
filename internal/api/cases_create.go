package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
)

type createCaseBody struct {
	Line       string             `json:"line"`
	Channel    string             `json:"channel"`
	Text       *string            `json:"text"`
	Reporter   *casework.Reporter `json:"reporter"`
	Address    string             `json:"address"`
	Location   *locationBody      `json:"location"`
	OccurredAt *string            `json:"occurred_at"`
	ExternalID string             `json:"external_id"`
	Category   string             `json:"category"`
	Type       string             `json:"type"`
	Priority   string             `json:"priority"`
	// OfficeDay (extension) links a demand of channel office_day to a past
	// office day (YYYY-MM-DD); without it, to today's.
	OfficeDay *string `json:"office_day"`
	// EnterpriseID (extension) names the enterprise the report is about,
	// rather than leaving it to the names in the text.
	EnterpriseID *int64 `json:"enterprise_id"`
}

type locationBody struct {
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
}

// createCase receives a report (受理): validate, classify, store durably,
// answer 201 only once the case is on disk.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request, u account.User) {
	var body createCaseBody
	raw, err := decodeJSON(w, r, &body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if !utf8.ValidString(key) || utf8.RuneCountInString(key) > 200 {
		s.fail(w, r, casework.Invalid("invalid_idempotency_key", "Idempotency-Key 最长 200 个字符"))
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
	if err := s.linkOfficeDay(r.Context(), &in, body.OfficeDay); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.EnterpriseID != nil {
		if _, ok := s.ents.Load().Get(*body.EnterpriseID); !ok {
			s.fail(w, r, casework.Invalid("unknown_enterprise", "企业 enterprise_id=%d 不存在", *body.EnterpriseID))
			return
		}
	}
	if body.EnterpriseID, err = s.ownEnterprise(actor, body.EnterpriseID); err != nil {
		s.fail(w, r, err)
		return
	}
	cls, conf, err := s.classify(&in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ev, err := casework.Receive(in, cls, s.types, actor, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c.EnterpriseID = body.EnterpriseID
	c, evs, err := s.route(c, ev, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A retry is the same request however its JSON is spelt (keys in
	// another order, other spacing): the hash is of the body as read.
	canon, err := json.Marshal(body)
	if err != nil {
		canon = raw
	}
	sum, legacy := sha256.Sum256(canon), sha256.Sum256(raw)
	created, err := s.store.CreateCase(r.Context(), store.NewCase{
		Case: c, Events: evs, IdempotencyKey: key, RequestHash: hex.EncodeToString(sum[:]), LegacyHash: hex.EncodeToString(legacy[:]),
		Duplicates: s.duplicateCheck(c, conf),
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scope := s.directory().ScopeOf(u.Actor())
	if created.Replayed && !scope.Sees(&created.Case) {
		// The source number is another unit's case: say so, show nothing
		// of it.
		s.fail(w, r, casework.Conflict("external_id_taken", "来源编号 external_id“%s”已被本账号无权查看的另一工单使用，请核对编号", body.ExternalID))
		return
	}
	c, evs = created.Case, created.Events
	if created.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
		if evs, err = s.store.Events(r.Context(), c.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	// Live consoles get the case with its clocks, as the 201 does: a row
	// without them would show no countdown until a reload.
	c.Deadlines, _ = s.store.Clocks().Deadlines(&c, evs, s.now())
	if !created.Replayed {
		s.Publish(r.Context(), c, created.Events)
		if created.Master != nil {
			s.Publish(r.Context(), s.withDeadlines(r.Context(), *created.Master), []casework.Event{*created.MasterEvent})
		}
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, viewCase(c, u.Actor(), scope))
}

// withDeadlines answers c with its clocks read from its timeline; the
// merged-into master of a report comes back from the write without them,
// and an overdue case must stay marked on the desk when a repeat call
// joins it. Without its timeline it is answered as it is.
func (s *Server) withDeadlines(ctx context.Context, c casework.Case) casework.Case {
	cs := []casework.Case{c}
	if err := s.store.WithDeadlines(ctx, cs, s.now()); err != nil {
		s.log.Warn("read the timeline of a merged-into case", "case", c.ID, "err", err)
		return c
	}
	return cs[0]
}

// ownEnterprise is the enterprise a report is about when an enterprise
// account raises it: its own, the enterprise whose micro-center is the
// account's unit, whatever the text names; naming another is refused. For
// other accounts the named enterprise stands.
func (s *Server) ownEnterprise(actor casework.Actor, named *int64) (*int64, error) {
	if actor.Role != casework.RoleEnterprise {
		return named, nil
	}
	var own routing.Enterprise
	ok := actor.UnitID != nil
	if ok {
		own, ok = s.ents.Load().OfMicroCenter(*actor.UnitID)
	}
	switch {
	case ok && (named == nil || *named == own.ID):
		return &own.ID, nil
	case named != nil:
		return nil, casework.Forbidden("not_own_enterprise", "企业账号只能以本企业名义提出诉求")
	}
	return nil, nil
}

// route asks the routing rules where a new case goes and, when an
// administrator's rule says so, dispatches it at once in the same write.
func (s *Server) route(c casework.Case, ev casework.Event, actor casework.Actor) (casework.Case, []casework.Event, error) {
	dir := s.directory()
	c.Routing = s.routingFor(dir, c, actor.UnitID)
	if c.Location != nil {
		if g, ok := dir.UnitAt(*c.Location, routing.KindGrid); ok {
			c.GridID = &g.ID
		}
	}
	if e := s.ents.Load().Find(c.Text); e != nil && c.EnterpriseID == nil {
		c.EnterpriseID = &e.ID
	}
	evs := []casework.Event{ev}
	if !c.Routing.Dispatch || c.Routing.UnitID == nil {
		return c, evs, nil
	}
	d, err := casework.Decide(c, casework.Command{Action: casework.ActionDispatch, Note: "路由规则“" + c.Routing.Rule + "”自动派单"},
		casework.SystemActor, casework.Refs{Unit: dir.Ref(*c.Routing.UnitID)}, s.env())
	if err != nil {
		return c, nil, err
	}
	return d.Case, append(evs, d.Event), nil
}

// routingFor evaluates the routing rules for a case.
func (s *Server) routingFor(dir *routing.Directory, c casework.Case, reporterUnit *int64) *casework.Routing {
	rt := s.rules.Load().Route(dir, s.ents.Load(), c, reporterUnit, s.loc)
	return &rt
}

// typeConfidence is how sure the case's type is: certain when the
// dispatcher gave it, triage's confidence otherwise.
// classify triages a report and says how sure its type is: 1 for a type a
// person gave. A category given without a type is kept, and triage picks
// the type within it (its confidence is triage's); in.Type is set to it.
func (s *Server) classify(in *casework.Intake) (cls casework.Classification, typeConfidence float64, err error) {
	switch {
	case in.Type != "":
		return s.triage.Classify(in.Text), 1, nil
	case in.Category == "":
		cls = s.triage.Classify(in.Text)
		return cls, cls.Confidence, nil
	}
	if !s.knownCategory(in.Category) {
		return cls, 0, casework.Invalid("invalid_category", "未知的纠纷类别“%s”，应为 civil、labor、contract 或 other", in.Category)
	}
	cls = s.triage.ClassifyWithin(in.Text, in.Category)
	in.Type = cls.Type
	return cls, cls.Confidence, nil
}

// knownCategory says whether the taxonomy in use has types in category.
func (s *Server) knownCategory(category string) bool {
	for _, t := range s.triage.Types() {
		if t.Category == category {
			return true
		}
	}
	return false
}

// env is what the case engine needs to decide now.
func (s *Server) env() casework.Env {
	return casework.Env{Now: s.now(), Types: s.types, ReturnLimit: s.returns, Clocks: s.store.Clocks()}
}

func (b createCaseBody) intake() (casework.Intake, error) {
	in := casework.Intake{
		Line:       casework.Line(strings.TrimSpace(b.Line)),
		Channel:    strings.TrimSpace(b.Channel),
		Address:    b.Address,
		ExternalID: b.ExternalID,
		Category:   strings.TrimSpace(b.Category),
		Type:       strings.TrimSpace(b.Type),
		Priority:   strings.TrimSpace(b.Priority),
	}
	if b.Text == nil {
		return in, casework.Invalid("text_required", "缺少诉求内容 text")
	}
	in.Text = *b.Text
	if b.Reporter != nil {
		in.Reporter = *b.Reporter
	}
	if b.Location != nil {
		if b.Location.Lat == nil || b.Location.Lon == nil {
			return in, casework.Invalid("invalid_location", "location 须同时给出 lat 和 lon")
		}
		in.Location = &casework.Location{Lat: *b.Location.Lat, Lon: *b.Location.Lon}
	}
	if b.OccurredAt != nil && *b.OccurredAt != "" {
		t, err := time.Parse(time.RFC3339, *b.OccurredAt)
		if err != nil {
			return in, casework.Invalid("invalid_occurred_at", "occurred_at 须为带时区的 RFC 3339 时间，如 2026-11-27T08:30:00+08:00")
		}
		in.OccurredAt = &t
	}
	return in, nil
}
