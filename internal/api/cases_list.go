package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/stats"
	"github.com/yizhan/yizhan/internal/store"
)

type caseList struct {
	Items      []caseView `json:"items"`
	NextCursor *string    `json:"next_cursor"`
}

var listParams = map[string]bool{
	"status": true, "line": true, "channel": true, "category": true, "type": true, "risk": true,
	"unit_id": true, "from": true, "to": true, "q": true, "limit": true, "cursor": true, "external_id": true,
}

// listCases answers the cases the account may see, newest first, a page at
// a time.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request, u account.User) {
	f, err := s.caseFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Scope = s.directory().ScopeOf(u.Actor())
	f.PhonesHidden = !u.Role.SeesPhones()
	page, err := s.store.ListCases(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.WithDeadlines(r.Context(), page.Items, s.now()); err != nil {
		s.fail(w, r, err)
		return
	}
	out := caseList{Items: make([]caseView, len(page.Items)), NextCursor: page.NextCursor}
	for i, c := range page.Items {
		out.Items[i] = viewCase(c, u.Actor(), f.Scope)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) caseFilter(q url.Values) (store.CaseFilter, error) {
	f := store.CaseFilter{Limit: 50}
	for k := range q {
		if !listParams[k] {
			return f, casework.Invalid("unknown_parameter", "未知的查询参数“%s”", k)
		}
	}
	for _, st := range splitList(q.Get("status")) {
		status := casework.Status(st)
		if !status.Valid() {
			return f, casework.Invalid("invalid_status", "未知的状态“%s”", st)
		}
		if !slices.Contains(f.Statuses, status) {
			f.Statuses = append(f.Statuses, status)
		}
	}
	if v := q.Get("line"); v != "" {
		if !casework.Line(v).Valid() {
			return f, casework.Invalid("invalid_line", "未知的业务线“%s”", v)
		}
		f.Line = casework.Line(v)
	}
	if v := q.Get("channel"); v != "" {
		if _, ok := casework.Channels[v]; !ok {
			return f, casework.Invalid("invalid_channel", "未知的来源渠道“%s”", v)
		}
		f.Channel = v
	}
	// The source system's own number: a gateway finds what became of the
	// report it sent (with channel, the one case; without, any channel's).
	f.ExternalID = strings.TrimSpace(q.Get("external_id"))
	if v := q.Get("type"); v != "" {
		cat, ok := s.types.CategoryOf(v)
		if !ok {
			return f, casework.Invalid("invalid_type", "未知的纠纷类型“%s”", v)
		}
		if c := q.Get("category"); c != "" && c != cat {
			return f, casework.Invalid("type_category_mismatch", "纠纷类型“%s”不属于类别“%s”", v, c)
		}
		f.Type = v
	}
	if v := q.Get("category"); v != "" {
		if !casework.ValidCategory(v) {
			return f, casework.Invalid("invalid_category", "未知的纠纷类别“%s”，应为 civil、labor、contract 或 other", v)
		}
		f.Category = v
	}
	if v := q.Get("risk"); v != "" {
		if !casework.ValidRisk(v) {
			return f, casework.Invalid("invalid_risk", "风险等级须为 low、medium 或 high")
		}
		f.Risk = v
	}
	var err error
	if f.UnitID, err = s.refParam(q, "unit_id"); err != nil {
		return f, err
	}
	if f.From, err = s.parseTime("from", q.Get("from")); err != nil {
		return f, err
	}
	if f.To, err = s.parseTime("to", q.Get("to")); err != nil {
		return f, err
	}
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		return f, casework.Invalid("invalid_period", "from 不能晚于 to")
	}
	f.Q = q.Get("q")
	if utf8.RuneCountInString(f.Q) > MaxSearchLen {
		return f, casework.Invalid("q_too_long", "搜索内容最长 %d 个字符", MaxSearchLen)
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return f, casework.Invalid("invalid_limit", "limit 须为 1 到 500 的整数")
		}
		f.Limit = n
	}
	f.Cursor = q.Get("cursor")
	return f, nil
}

// MaxSearchLen bounds a search (q): a pasted sentence fits, a pattern
// too long for the database's LIKE does not.
const MaxSearchLen = 200

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseTime reads a period bound: an RFC 3339 time, or a date taken as
// midnight in the zone's time zone.
func (s *Server) parseTime(name, v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02", v, s.loc)
	}
	if err != nil {
		return nil, casework.Invalid("invalid_"+name, "%s 须为 RFC 3339 时间或 YYYY-MM-DD 日期，收到“%s”", name, v)
	}
	// A period reaches as far as any record could; beyond it a year is a
	// typo, and the zone's time zone has no offset to show it in.
	if !stats.InYears(t) {
		return nil, casework.Invalid("invalid_"+name, "%s 须在 1970 年到 2199 年之间，收到“%s”", name, v)
	}
	return &t, nil
}
