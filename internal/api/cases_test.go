package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/yizhan/yizhan/internal/casework"
)

// reach brings a new case to a status through the API and answers its id.
func (z *zone) reach(status string) int64 {
	z.t.Helper()
	id := z.newCase("dispatcher", nil)
	team := z.units["team"]
	path := map[string][]map[string]any{
		"received":        {},
		"dispatched":      {{"action": "dispatch", "unit_id": team}},
		"accepted":        {{"action": "dispatch", "unit_id": team}, {"action": "accept"}},
		"on_site":         {{"action": "dispatch", "unit_id": team}, {"action": "accept"}, {"action": "arrive"}},
		"mediating":       {{"action": "dispatch", "unit_id": team}, {"action": "accept"}, {"action": "arrive"}, {"action": "take_back"}},
		"resolved":        {{"action": "dispatch", "unit_id": team}, {"action": "accept"}, {"action": "arrive"}, {"action": "resolve", "outcome": "onsite_resolved"}},
		"closed":          {{"action": "dispatch", "unit_id": team}, {"action": "accept"}, {"action": "arrive"}, {"action": "resolve", "outcome": "onsite_resolved"}, {"action": "close"}},
		"referred_police": {{"action": "refer_police", "reason": "持刀威胁"}},
		"merged":          {{"action": "merge", "into": z.newCase("dispatcher", nil)}},
	}[status]
	for _, body := range path {
		z.act(id, "dispatcher", body).expect(z.t, 200)
	}
	return id
}

// The contract's action table, row by row: from which statuses each
// action is allowed, and to which status it leads.
var actionTable = []struct {
	action string
	from   []string
	to     string
}{
	{"dispatch", []string{"received"}, "dispatched"},
	{"accept", []string{"dispatched"}, "accepted"},
	{"arrive", []string{"accepted"}, "on_site"},
	{"take_back", []string{"on_site"}, "mediating"},
	{"resolve", []string{"on_site", "mediating"}, "resolved"},
	{"close", []string{"resolved"}, "closed"},
	{"reopen", []string{"resolved", "closed"}, "received"},
	{"return", []string{"dispatched", "accepted"}, "received"},
	{"transfer", []string{"dispatched", "accepted", "on_site", "mediating"}, "dispatched"},
	{"refer_police", open, "referred_police"},
	{"merge", open, "merged"},
	{"reclassify", open, ""},
	{"escalate", open, ""},
	{"supervise", open, ""},
	{"note", open, ""},
	{"extend", open, ""},
}

var open = []string{"received", "dispatched", "accepted", "on_site", "mediating", "resolved"}
var allStatuses = []string{"received", "dispatched", "accepted", "on_site", "mediating", "resolved", "closed", "referred_police", "merged"}

func (z *zone) fullBody(action string) map[string]any {
	return map[string]any{
		"action": action, "unit_id": z.units["labor"], "outcome": "taken_back_resolved", "note": "处理情况",
		"reason": "理由", "satisfaction": 5, "into": z.newCase("dispatcher", nil), "category": "labor", "type": "wage_arrears",
		"stage": "resolve", "until": "2027-01-01T00:00:00+08:00",
	}
}

// TestEveryTransitionBothWays covers each row of the contract's action
// table from every status: allowed ones answer 200 and move the case,
// refused ones answer 409 and leave it exactly as it was.
func TestEveryTransitionBothWays(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	for _, row := range actionTable {
		allowed := map[string]bool{}
		for _, s := range row.from {
			allowed[s] = true
		}
		for _, from := range allStatuses {
			name := fmt.Sprintf("%s from %s", row.action, from)
			t.Run(name, func(t *testing.T) {
				id := z.reach(from)
				before := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "admin", nil).expect(t, 200)
				body := z.fullBody(row.action)
				if from == "resolved" {
					body["stage"] = "follow_up" // the resolve clock has stopped; the follow-up call's runs
				}
				r := z.act(id, "admin", body)
				after := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "admin", nil).expect(t, 200)
				events := len(after.body["events"].([]any))
				if !allowed[from] {
					r.expect(t, 409, "action_not_allowed")
					if string(before.raw) != string(after.raw) {
						t.Fatalf("a refused action changed the case:\n%s\n%s", before.raw, after.raw)
					}
					return
				}
				r.expect(t, 200)
				want := row.to
				if want == "" {
					want = from
				}
				if got := after.str("status"); got != want {
					t.Fatalf("status %s, want %s", got, want)
				}
				if events != len(before.body["events"].([]any))+1 {
					t.Fatalf("no event written")
				}
				last := after.body["events"].([]any)[events-1].(map[string]any)
				if last["action"] != row.action || last["actor"] != "admin" {
					t.Fatalf("last event %v", last)
				}
			})
		}
	}
}

func TestCreateCase(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	r := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{
		"channel": "110", "text": "五金城门口两辆车刮擦，双方争吵", "reporter": map[string]any{"name": "李某", "phone": "13800000002"},
		"address": "五金城科技路", "location": map[string]any{"lat": 28.89, "lon": 120.06}, "external_id": "110-20261127-0001",
		"occurred_at": "2026-11-27T08:40:00+08:00",
	}).expect(t, 201)
	if r.str("number") != "FJ20261127-0001" || r.str("status") != "received" || r.str("line") != "incident" {
		t.Fatalf("case %s", r.raw)
	}
	for _, k := range []string{"id", "number", "line", "channel", "status", "category", "type", "police", "risk", "priority",
		"unit_id", "duplicate_of", "duplicate_candidates", "outcome", "deadlines", "created_at", "updated_at"} {
		if _, ok := r.body[k]; !ok {
			t.Errorf("case lacks %q", k)
		}
	}
	if r.header.Get("Location") != fmt.Sprintf("/api/v1/cases/%d", r.id()) {
		t.Errorf("Location %q", r.header.Get("Location"))
	}
	if r.str("created_at") != "2026-11-27T09:00:00+08:00" {
		t.Errorf("created_at %s", r.str("created_at"))
	}
	// A time given in UTC comes back in the zone's time, as every other.
	utc := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "门口有人吵架", "occurred_at": "2026-11-27T00:40:00Z"}).expect(t, 201)
	if utc.str("occurred_at") != "2026-11-27T08:40:00+08:00" {
		t.Errorf("occurred_at %s", utc.str("occurred_at"))
	}
	ent := z.call("POST", "/api/v1/cases", "enterprise", map[string]any{"line": "enterprise", "text": "厂区门口道路破损，希望修复"}).expect(t, 201)
	if !strings.HasPrefix(ent.str("number"), "QY20261127-") || ent.str("channel") != "enterprise" {
		t.Fatalf("enterprise case %s", ent.raw)
	}
	// The enterprise that raised it sees it; explicit classification wins.
	z.call("GET", fmt.Sprintf("/api/v1/cases/%d", ent.id()), "enterprise", nil).expect(t, 200)
	c := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "欠薪", "type": "wage_arrears"}).expect(t, 201)
	if c.str("category") != "labor" || c.str("type") != "wage_arrears" {
		t.Fatalf("classification %s", c.raw)
	}
	// A category alone is kept; triage picks the type within it, even
	// where it would have read the report under another category.
	for _, k := range []struct{ text, category, want string }{
		{"工地老板拖欠我们三个月工资", "labor", "wage_arrears"},
		{"在冲床上压伤了手指，厂里不肯赔", "labor", "work_injury"},
		{"两车刮擦对赔偿有争议", "contract", ""},
		{"？？？", "civil", ""},
	} {
		c := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": k.text, "category": k.category}).expect(t, 201)
		cat, ok := casework.ContractTypes{}.CategoryOf(c.str("type"))
		if c.str("category") != k.category || !ok || cat != k.category || k.want != "" && c.str("type") != k.want {
			t.Fatalf("category %s alone: %s", k.category, c.raw)
		}
	}
	z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "欠薪", "category": "bogus"}).expect(t, 400, "invalid_category")
	z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "欠薪", "category": "civil", "type": "wage_arrears"}).expect(t, 400, "type_category_mismatch")
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	body := map[string]any{"channel": "12345", "text": "重复提交的工单"}
	a := z.call("POST", "/api/v1/cases", "dispatcher", body, "Idempotency-Key", "abc-1").expect(t, 201)
	b := z.call("POST", "/api/v1/cases", "dispatcher", body, "Idempotency-Key", "abc-1").expect(t, 201)
	if a.id() != b.id() || b.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay gave %d (first %d)", b.id(), a.id())
	}
	z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "另一件事"}, "Idempotency-Key", "abc-1").expect(t, 409, "idempotency_key_reused")
	// Keys belong to an account: another account's same key is a new case.
	c := z.call("POST", "/api/v1/cases", "admin", body, "Idempotency-Key", "abc-1").expect(t, 201)
	if c.id() == a.id() {
		t.Fatal("keys must be per account")
	}
	list := z.call("GET", "/api/v1/cases", "admin", nil).expect(t, 200)
	if n := len(list.body["items"].([]any)); n != 2 {
		t.Fatalf("%d cases, want 2", n)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", nil)
	actions := fmt.Sprintf("/api/v1/cases/%d/actions", id)
	long := strings.Repeat("欠", 4001)
	cases := []struct {
		name, method, path, user string
		body                     any
		status                   int
		code                     string
	}{
		{"malformed JSON", "POST", "/api/v1/cases", "dispatcher", `{"text": "没写完`, 400, "invalid_json"},
		{"not an object", "POST", "/api/v1/cases", "dispatcher", `["text"]`, 400, "invalid_json"},
		{"wrong type", "POST", "/api/v1/cases", "dispatcher", `{"text": 42}`, 400, "invalid_field"},
		{"wrong nested type", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "location": {"lat": "北纬"}}`, 400, "invalid_field"},
		{"missing text", "POST", "/api/v1/cases", "dispatcher", `{"channel": "110"}`, 400, "text_required"},
		{"blank text", "POST", "/api/v1/cases", "dispatcher", `{"text": "  \n\t "}`, 400, "text_required"},
		{"text too long", "POST", "/api/v1/cases", "dispatcher", map[string]any{"text": long}, 400, "text_too_long"},
		{"invalid UTF-8", "POST", "/api/v1/cases", "dispatcher", []byte("{\"text\": \"\xff\xfe\"}"), 400, "invalid_utf8"},
		{"body over 1 MiB", "POST", "/api/v1/cases", "dispatcher", `{"text": "` + strings.Repeat("a", 1<<20) + `"}`, 413, "body_too_large"},
		{"empty body", "POST", "/api/v1/cases", "dispatcher", ``, 400, "empty_body"},
		{"unknown line", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "line": "tax"}`, 400, "invalid_line"},
		{"unknown channel", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "channel": "fax"}`, 400, "invalid_channel"},
		{"latitude out of range", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "location": {"lat": 95, "lon": 120}}`, 400, "invalid_location"},
		{"half a location", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "location": {"lat": 29}}`, 400, "invalid_location"},
		{"bad occurred_at", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "occurred_at": "昨天"}`, 400, "invalid_occurred_at"},
		{"occurred_at in the future", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "occurred_at": "2099-01-01T00:00:00+08:00"}`, 400, "occurred_at_in_future"},
		{"occurred_at in year 0", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "occurred_at": "0000-01-01T00:00:00+09:00"}`, 400, "occurred_at_too_early"},
		{"occurred_at in 1900", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "occurred_at": "1900-01-01T00:00:00Z"}`, 400, "occurred_at_too_early"},
		{"text of control characters", "POST", "/api/v1/cases", "dispatcher", `{"text": "\u0001\u0007"}`, 400, "text_required"},
		{"text of NUL characters", "POST", "/api/v1/cases", "dispatcher", `{"text": "\u0000\u0000"}`, 400, "invalid_character"},
		{"text of invisible marks", "POST", "/api/v1/cases", "dispatcher", `{"text": "\u202e\u200b "}`, 400, "text_required"},
		{"note of a control character", "POST", actions, "dispatcher", `{"action": "note", "note": "\u0001"}`, 400, "note_required"},
		{"list from year 1", "GET", "/api/v1/cases?from=0001-01-01", "dispatcher", nil, 400, "invalid_from"},
		{"list to year 9999", "GET", "/api/v1/cases?to=9999-12-31T23:59:59-10:00", "dispatcher", nil, 400, "invalid_to"},
		{"trend from year 1", "GET", "/api/v1/stats/trend?from=0001-01-01&to=2026-01-01", "dispatcher", nil, 400, "invalid_from"},
		{"bad phone", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "reporter": {"phone": "打不通"}}`, 400, "invalid_phone"},
		{"unknown type", "POST", "/api/v1/cases", "dispatcher", `{"text": "x", "type": "alien"}`, 400, "invalid_type"},
		{"no token", "POST", "/api/v1/cases", "", `{"text": "x"}`, 401, "unauthorized"},
		{"unknown action", "POST", actions, "dispatcher", `{"action": "teleport"}`, 400, "unknown_action"},
		{"missing action", "POST", actions, "dispatcher", `{}`, 400, "action_required"},
		{"unknown case", "POST", "/api/v1/cases/999999/actions", "dispatcher", `{"action": "note", "note": "x"}`, 404, "case_not_found"},
		{"non-numeric case", "GET", "/api/v1/cases/abc", "dispatcher", nil, 404, "case_not_found"},
		{"unknown case get", "GET", "/api/v1/cases/999999", "dispatcher", nil, 404, "case_not_found"},
		{"satisfaction wrong type", "POST", actions, "dispatcher", `{"action": "close", "satisfaction": "很满意"}`, 400, "invalid_field"},
		{"dispatch to unknown unit", "POST", actions, "dispatcher", `{"action": "dispatch", "unit_id": 4242}`, 400, "unknown_unit"},
		{"transfer without unit", "POST", actions, "dispatcher", `{"action": "transfer", "reason": "x"}`, 409, "action_not_allowed"},
		{"unknown list filter", "GET", "/api/v1/cases?colour=red", "dispatcher", nil, 400, "unknown_parameter"},
		{"bad status filter", "GET", "/api/v1/cases?status=lost", "dispatcher", nil, 400, "invalid_status"},
		{"from after to", "GET", "/api/v1/cases?from=2026-11-28&to=2026-11-01", "dispatcher", nil, 400, "invalid_period"},
		{"bad date", "GET", "/api/v1/cases?from=yesterday", "dispatcher", nil, 400, "invalid_from"},
		{"bad limit", "GET", "/api/v1/cases?limit=0", "dispatcher", nil, 400, "invalid_limit"},
		{"bad cursor", "GET", "/api/v1/cases?cursor=zzz", "dispatcher", nil, 400, "invalid_cursor"},
		{"unknown endpoint", "GET", "/api/v1/nothing", "dispatcher", nil, 404, "not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			z.call(tc.method, tc.path, tc.user, tc.body).expect(t, tc.status, tc.code)
		})
	}
	// A type error says what was wanted and what came, in Chinese.
	bad := z.call("POST", actions, "dispatcher", `{"action": "close", "satisfaction": 4.5}`).expect(t, 400, "invalid_field")
	if msg := bad.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "应为 整数") || !strings.Contains(msg, "数值 4.5") {
		t.Errorf("satisfaction 4.5: %q", msg)
	}
	// A bad token is refused as such.
	z.tokens["ghost"] = "yz_not-a-real-token"
	z.call("GET", "/api/v1/cases", "ghost", nil).expect(t, http.StatusUnauthorized, "invalid_token")
	// None of the above created or changed anything.
	list := z.call("GET", "/api/v1/cases", "admin", nil).expect(t, 200)
	if n := len(list.body["items"].([]any)); n != 1 {
		t.Fatalf("%d cases after bad input, want 1", n)
	}
	got := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "admin", nil)
	if n := len(got.body["events"].([]any)); n != 1 {
		t.Fatalf("%d events after bad input, want 1", n)
	}
	// 4,000 characters exactly is fine.
	z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": long[:len(long)-len("欠")]}).expect(t, 201)
}

func TestUnitScoping(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", nil)
	path := fmt.Sprintf("/api/v1/cases/%d", id)
	// Waiting at the center: the center sees it, units do not.
	z.call("GET", path, "dispatcher", nil).expect(t, 200)
	z.call("GET", path, "responder", nil).expect(t, 404, "case_not_found")
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)
	z.call("GET", path, "responder", nil).expect(t, 200)
	z.call("GET", path, "labor", nil).expect(t, 404)
	z.act(id, "labor", map[string]any{"action": "accept"}).expect(t, 404)
	z.act(id, "responder", map[string]any{"action": "accept"}).expect(t, 200)
	// A transfer down to an enterprise micro-center: its grid (the parent) sees it too.
	z.act(id, "responder", map[string]any{"action": "transfer", "unit_id": z.units["ent"], "reason": "企业内部员工纠纷，下派企业微中心"}).expect(t, 200)
	z.call("GET", path, "enterprise", nil).expect(t, 200)
	z.call("GET", path, "grid", nil).expect(t, 200)
	z.call("GET", path, "responder", nil).expect(t, 404)
	list := z.call("GET", "/api/v1/cases", "grid", nil).expect(t, 200)
	if n := len(list.body["items"].([]any)); n != 1 {
		t.Fatalf("grid lists %d cases, want 1", n)
	}
	list = z.call("GET", "/api/v1/cases", "labor", nil).expect(t, 200)
	if n := len(list.body["items"].([]any)); n != 0 {
		t.Fatalf("labor lists %d cases, want 0", n)
	}
	// The transfer's event names the receiving unit.
	got := z.call("GET", path, "admin", nil)
	evs := got.body["events"].([]any)
	last := evs[len(evs)-1].(map[string]any)
	if last["action"] != "transfer" || int64(last["unit_id"].(float64)) != z.units["ent"] || last["reason"] == "" {
		t.Fatalf("transfer event %v", last)
	}
}

func TestRolePermissions(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", nil)
	z.act(id, "leader", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 403, "forbidden")
	z.act(id, "leader", map[string]any{"action": "supervise", "reason": "请加快处置"}).expect(t, 200)
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)
	z.act(id, "responder", map[string]any{"action": "supervise", "reason": "x"}).expect(t, 403)
	z.act(id, "responder", map[string]any{"action": "reclassify", "type": "neighbor"}).expect(t, 403)
}

func TestPhoneMasking(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", map[string]any{"text": "工资纠纷", "reporter": map[string]any{"name": "张某", "phone": "13800005678"}})
	path := fmt.Sprintf("/api/v1/cases/%d", id)
	full := z.call("GET", path, "dispatcher", nil).expect(t, 200)
	if full.body["reporter"].(map[string]any)["phone"] != "13800005678" {
		t.Fatalf("dispatcher sees %v", full.body["reporter"])
	}
	masked := z.call("GET", path, "leader", nil).expect(t, 200)
	if masked.body["reporter"].(map[string]any)["phone"] != "138****5678" {
		t.Fatalf("leader sees %v", masked.body["reporter"])
	}
}

func TestListPaging(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	for i := range 7 {
		z.newCase("dispatcher", map[string]any{"text": fmt.Sprintf("第%d件", i)})
	}
	var seen []string
	path := "/api/v1/cases?limit=3"
	for {
		r := z.call("GET", path, "dispatcher", nil).expect(t, 200)
		for _, it := range r.body["items"].([]any) {
			seen = append(seen, it.(map[string]any)["text"].(string))
		}
		next, ok := r.body["next_cursor"].(string)
		if !ok {
			if r.body["next_cursor"] != nil {
				t.Fatalf("next_cursor %v", r.body["next_cursor"])
			}
			break
		}
		path = "/api/v1/cases?limit=3&cursor=" + next
	}
	if len(seen) != 7 || seen[0] != "第6件" || seen[6] != "第0件" {
		t.Fatalf("saw %v", seen)
	}
}

// TestFollowUpRatesACaseClosedWithoutOne: a case closed before the
// reporter could be reached takes its rating once, from the center, and
// counts in the satisfaction figures from then on.
func TestFollowUpRatesACaseClosedWithoutOne(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.reach("closed")
	z.act(id, "dispatcher", map[string]any{"action": "follow_up"}).expect(t, 400, "satisfaction_required")
	z.act(id, "dispatcher", map[string]any{"action": "follow_up", "satisfaction": 9}).expect(t, 400, "invalid_satisfaction")
	z.act(id, "responder", map[string]any{"action": "follow_up", "satisfaction": 5}).expect(t, 403)
	r := z.act(id, "dispatcher", map[string]any{"action": "follow_up", "satisfaction": 4, "note": "电话回访，报警人表示满意"}).expect(t, 200)
	if r.body["status"] != "closed" || r.body["satisfaction"] != float64(4) {
		t.Fatalf("after the follow-up: %s", r.raw)
	}
	z.act(id, "dispatcher", map[string]any{"action": "follow_up", "satisfaction": 5}).expect(t, 409, "already_rated")
	z.act(z.reach("resolved"), "dispatcher", map[string]any{"action": "follow_up", "satisfaction": 5}).expect(t, 409, "action_not_allowed")
	full := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "dispatcher", nil).expect(t, 200)
	evs := events(full)
	if last := evs[len(evs)-1]; last["action"] != "follow_up" {
		t.Fatalf("timeline ends with %v", last)
	}
}
