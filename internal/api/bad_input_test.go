package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// TestTheNULCharacterIsRefused: U+0000 in any text (a report, a note, a
// reason, a search, an imported cell) answers 400 invalid_character and
// changes nothing, on both backends; PostgreSQL cannot store or compare
// it, and answered 500 before. A backslash followed by the letters u0000
// is ordinary text.
func TestTheNULCharacterIsRefused(t *testing.T) {
	t.Parallel()
	onBackends(t, false, func(t *testing.T, z *zone) {
		report := map[string]any{"channel": "110", "text": "工厂\u0000欠薪", "reporter": map[string]any{"name": "张某", "phone": "13800000001"}}
		z.call("POST", "/api/v1/cases", "dispatcher", report).expect(t, 400, "invalid_character")
		id := z.newCase("dispatcher", nil)
		path := fmt.Sprintf("/api/v1/cases/%d", id)
		before := z.call("GET", path, "dispatcher", nil).expect(t, 200)
		z.act(id, "dispatcher", map[string]any{"action": "note", "note": "等待\u0000当事人"}).expect(t, 400, "invalid_character")
		z.act(id, "dispatcher", map[string]any{"action": "pause", "reason": "等待\u0000当事人"}).expect(t, 400, "invalid_character")
		z.call("GET", "/api/v1/cases?q=%00", "dispatcher", nil).expect(t, 400, "invalid_character")
		z.call("GET", "/api/v1/cases?q=%E5%B7%A5%00", "dispatcher", nil).expect(t, 400, "invalid_character")
		z.call("POST", "/api/v1/users/1/tokens", "admin", `{"name": "网关\u0000"}`).expect(t, 400, "invalid_character")
		z.call("POST", "/api/v1/people/import?format=csv", "admin",
			"姓名,手机号,职务,所属单位,技能\n赵\x00某,13800000101,队员,政务110先期处置队,调解\n").expect(t, 400, "invalid_character")
		if after := z.call("GET", path, "dispatcher", nil).expect(t, 200); after.body["version"] != before.body["version"] {
			t.Fatalf("a refused request changed the case: version %v → %v", before.body["version"], after.body["version"])
		}
		if list := z.call("GET", "/api/v1/cases", "dispatcher", nil).expect(t, 200); len(list.body["items"].([]any)) != 1 {
			t.Fatalf("a refused report was stored: %s", list.raw)
		}
		z.act(id, "dispatcher", map[string]any{"action": "note", "note": `路径 C:\u0000 不是空字符`}).expect(t, 200)
		z.call("GET", "/api/v1/cases?q=%25", "dispatcher", nil).expect(t, 200)
	})
}

// TestQueriesTheDatabasesWouldRefuse: what one backend's database would
// refuse or read differently is settled before it: text that is not
// UTF-8 in a query (PostgreSQL refused it: 500), a search longer than a
// LIKE pattern may be (SQLite: 500), a status named thousands of times
// (more parameters than either database takes), an unknown grid worker
// (a foreign key: 500 on both), and a search's Latin letters, which
// match without case on both.
func TestQueriesTheDatabasesWouldRefuse(t *testing.T) {
	t.Parallel()
	onBackends(t, false, func(t *testing.T, z *zone) {
		z.newCase("dispatcher", map[string]any{"channel": "110", "text": "ABC Road 有工人讨薪", "reporter": map[string]any{"name": "张某", "phone": "13800000001"}})
		for _, q := range []string{"q=%FF", "q=%E5%B7", "external_id=%FF", "%FF=1"} {
			z.call("GET", "/api/v1/cases?"+q, "dispatcher", nil).expect(t, 400, "invalid_utf8")
		}
		z.call("GET", "/api/v1/cases/%FF", "dispatcher", nil).expect(t, 400, "invalid_utf8")
		z.call("GET", "/api/v1/cases?q="+strings.Repeat("a", 60000), "dispatcher", nil).expect(t, 400, "q_too_long")
		z.call("GET", "/api/v1/cases?q="+strings.Repeat("工", 200), "dispatcher", nil).expect(t, 200)
		statuses := strings.TrimSuffix(strings.Repeat("received,", 70000), ",")
		if r := z.call("GET", "/api/v1/cases?status="+statuses, "dispatcher", nil).expect(t, 200); len(r.body["items"].([]any)) != 1 {
			t.Fatalf("a status named 70,000 times: %s", r.raw)
		}
		for _, q := range []string{"abc", "ABC", "road"} {
			if r := z.call("GET", "/api/v1/cases?q="+q, "dispatcher", nil).expect(t, 200); len(r.body["items"].([]any)) != 1 {
				t.Fatalf("q=%s found %s", q, r.raw)
			}
		}
		first := "91330784MA2H00001"
		check, _ := routing.CreditCodeCheck(first)
		z.call("POST", "/api/v1/enterprises", "admin", map[string]any{"name": "某五金制品有限公司", "credit_code": first + string(check),
			"grid_worker": 999999}).expect(t, 400, "unknown_person")
	})
}

// TestQueriesFromTheFirstDayOf1970: the zone's midnight of 1970-01-01
// (1969 in UTC) is a time a query may name, as a report may.
func TestQueriesFromTheFirstDayOf1970(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	z.call("GET", "/api/v1/cases?from=1970-01-01", "dispatcher", nil).expect(t, 200)
	z.call("GET", "/api/v1/cases?from=1969-12-31", "dispatcher", nil).expect(t, 400, "invalid_from")
	z.call("GET", "/api/v1/cases?to=2199-12-31", "dispatcher", nil).expect(t, 200)
	z.call("GET", "/api/v1/cases?to=2200-01-01", "dispatcher", nil).expect(t, 400, "invalid_to")
}

// TestFreeTextHasBounds: the free text of directory records has a length,
// so that a pasted page lands as a clear 400 rather than a record no
// table or export can show.
func TestFreeTextHasBounds(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	long := strings.Repeat("长", 201)
	first := "91330784MA2H00002"
	check, _ := routing.CreditCodeCheck(first)
	z.call("POST", "/api/v1/enterprises", "admin", map[string]any{"name": "某五金制品有限公司", "credit_code": first + string(check),
		"address": long}).expect(t, 400, "invalid_address")
	person := map[string]any{"name": "赵某", "phone": "13800000101", "unit_id": z.units["team"]}
	person["role"] = strings.Repeat("职", 51)
	z.call("POST", "/api/v1/people", "admin", person).expect(t, 400, "invalid_role")
	person["role"], person["skills"] = "队员", []string{strings.Repeat("技", 51)}
	z.call("POST", "/api/v1/people", "admin", person).expect(t, 400, "invalid_skills")
	z.call("POST", "/api/v1/users/1/tokens", "admin", map[string]any{"name": long}).expect(t, 400, "invalid_name")
	z.call("POST", "/api/v1/users", "admin", map[string]any{"username": "zhao", "role": "dispatcher", "phone": strings.Repeat("1", 21)}).expect(t, 400, "invalid_phone")
	z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": "https://example.invalid/" + strings.Repeat("a", 2048),
		"secret": "0123456789abcdef"}).expect(t, 400, "invalid_url")
	z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": "https://example.invalid/hook",
		"secret": strings.Repeat("s", 257)}).expect(t, 400, "invalid_secret")
	delete(person, "skills")
	pid := z.call("POST", "/api/v1/people", "admin", person).expect(t, 201).id()
	z.call("POST", "/api/v1/roster/shifts", "admin", map[string]any{"unit_id": z.units["team"], "person_id": pid,
		"start": "2026-11-27T08:00:00+08:00", "end": "2026-11-27T20:00:00+08:00", "note": long}).expect(t, 400, "note_too_long")
}

// TestConsoleLinksAreTheConsoles: a console link with a query that is not
// UTF-8 (a hand-edited or GBK-encoded link) gets the console's page, whose
// script reads the query; only the API refuses such text.
func TestConsoleLinksAreTheConsoles(t *testing.T) {
	t.Parallel()
	console := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("console")) })
	z := newZoneOn(t, storetest.SQLite(t), false, func(d *api.Deps) { d.Console = console })
	for _, path := range []string{"/?q=%FF", "/?q=%00", "/cases/1?x=%E5%B7"} {
		if r := z.call("GET", path, "", nil).expect(t, 200); string(r.raw) != "console" {
			t.Fatalf("GET %s: %s", path, r.raw)
		}
	}
	z.call("GET", "/api/v1/cases?q=%FF", "dispatcher", nil).expect(t, 400, "invalid_utf8")
}
