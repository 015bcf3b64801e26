package api_test

import (
	"fmt"
	"testing"
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
