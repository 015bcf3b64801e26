package api

import (
	"net/http"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/triage"
)

// Triager reads reports: the case engine's classifier, the full triage
// answer, and the hook that tells it a dispatcher corrected one.
type Triager interface {
	casework.Classifier
	casework.TypeChecker
	Triage(text string, repeats int) triage.Result
	Corrected()
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
