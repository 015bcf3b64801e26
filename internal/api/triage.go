package api

import (
	"net/http"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/triage"
)

// Triager reads reports: the case engine's classifier, the full triage
// answer, and the hook that tells it a dispatcher corrected one.
type Triager interface {
	casework.Classifier
	casework.TypeChecker
	// ClassifyWithin classifies a report whose category a person gave
	// without a type: the type is triage's best within that category.
	ClassifyWithin(text, category string) casework.Classification
	Triage(text string, repeats int) triage.Result
	Corrected()
	// Types lists the types with their categories and labels.
	Types() []triage.TypeInfo
}

type taxonomyAnswer struct {
	Categories []categoryInfo    `json:"categories"`
	Types      []triage.TypeInfo `json:"types"`
	Statuses   map[string]string `json:"statuses"`
	Actions    map[string]string `json:"actions"`
	Channels   map[string]string `json:"channels"`
	Stages     map[string]string `json:"stages"`
	Lines      map[string]string `json:"lines"`
	Risks      map[string]string `json:"risks"`
	Priorities map[string]string `json:"priorities"`
	Outcomes   map[string]string `json:"outcomes"`
	Roles      map[string]string `json:"roles"`
	UnitKinds  map[string]string `json:"unit_kinds"`
	Industries map[string]string `json:"industries"`
	Directions map[string]string `json:"directions"`
}

type categoryInfo struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// taxonomy answers the classification in force and the labels of the
// codes clients show: categories and types (a --taxonomy file's too),
// statuses, actions and channels.
func (s *Server) taxonomy(w http.ResponseWriter, r *http.Request, _ account.User) {
	ans := taxonomyAnswer{Types: s.triage.Types(), Statuses: map[string]string{}, Actions: map[string]string{}, Channels: casework.Channels,
		Stages: map[string]string{}, Lines: map[string]string{}, Outcomes: map[string]string{}, Roles: map[string]string{},
		UnitKinds: map[string]string{}, Industries: map[string]string{},
		Risks:      map[string]string{"low": "低风险", "medium": "中风险", "high": "高风险"},
		Priorities: map[string]string{"urgent": "紧急", "high": "较急", "normal": "一般"},
		Directions: map[string]string{"down": "下派", "up": "上报", "across": "转办"},
	}
	for _, p := range s.store.Clocks().Policies {
		for _, st := range p.Stages {
			ans.Stages[st.Name] = casework.StageLabel(st.Name)
		}
	}
	for _, l := range casework.Lines {
		ans.Lines[string(l)] = l.Label()
	}
	for _, o := range []casework.Outcome{casework.OutcomeOnsite, casework.OutcomeTakenBack, casework.OutcomeReferred, casework.OutcomeUnresolved} {
		ans.Outcomes[string(o)] = o.Label()
	}
	for _, r := range []casework.Role{casework.RoleAdmin, casework.RoleLeader, casework.RoleDispatcher, casework.RoleResponder,
		casework.RoleDepartment, casework.RoleGrid, casework.RoleEnterprise, casework.RoleStation} {
		ans.Roles[string(r)] = r.Label()
	}
	for _, k := range []routing.Kind{routing.KindCenter, routing.KindResponseTeam, routing.KindDepartment, routing.KindGrid,
		routing.KindEnterprise, routing.KindStation} {
		ans.UnitKinds[string(k)] = k.Label()
	}
	for code, label := range routing.Industries {
		ans.Industries[string(code)] = label
	}
	seen := map[string]bool{}
	for _, t := range ans.Types {
		if !seen[t.Category] {
			seen[t.Category] = true
			ans.Categories = append(ans.Categories, categoryInfo{Code: t.Category, Label: t.CategoryLabel})
		}
	}
	for _, st := range casework.Statuses {
		ans.Statuses[string(st)] = st.Label()
	}
	for _, a := range casework.Actions {
		ans.Actions[string(a)] = a.Label()
	}
	for _, a := range []casework.Action{casework.ActionReceive, casework.ActionDuplicateAdded, casework.ActionDuplicateRemoved,
		casework.ActionRepeatLinked, casework.ActionDeadlineWarning, casework.ActionDeadlineBreach} {
		ans.Actions[string(a)] = a.Label()
	}
	writeJSON(w, http.StatusOK, ans)
}

type triageBody struct {
	Text *string `json:"text"`
}

// triageText answers the triage of a text without storing anything: the
// contract's category, type, police, risk and confidence, then the cues
// that made it a police matter and the reasons for the risk.
func (s *Server) triageText(w http.ResponseWriter, r *http.Request, _ account.User) {
	var body triageBody
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Text == nil || triage.Validate(*body.Text) != nil {
		s.fail(w, r, casework.Invalid("text_required", "text 不能为空"))
		return
	}
	if n := utf8.RuneCountInString(*body.Text); n > casework.MaxTextLen {
		s.fail(w, r, casework.Invalid("text_too_long", "text 共 %d 字，超过上限 %d 字", n, casework.MaxTextLen))
		return
	}
	writeJSON(w, http.StatusOK, s.triage.Triage(*body.Text, 0))
}
