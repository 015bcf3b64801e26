package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// found answers the numbers a search finds, as the account sees them.
func (z *zone) found(user, q string) []string {
	z.t.Helper()
	r := z.call("GET", "/api/v1/cases?q="+url.QueryEscape(q), user, nil).expect(z.t, 200)
	var out []string
	for _, it := range r.body["items"].([]any) {
		out = append(out, it.(map[string]any)["number"].(string))
	}
	slices.Sort(out)
	return out
}

func TestSearchFindsPhonesHoweverWrittenAndNumbersInAnyCase(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	a := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "邻居装修噪音扰民",
		"reporter": map[string]any{"name": "王某", "phone": "+86 139-0000-5555"}}).expect(t, 201)
	if p := a.body["reporter"].(map[string]any)["phone"]; p != "13900005555" {
		t.Fatalf("the phone is kept as %v, want 13900005555", p)
	}
	aNum := a.str("number")
	for _, q := range []string{"13900005555", "139 0000 5555", "+86 13900005555", strings.ToLower(aNum)} {
		if got := z.found("dispatcher", q); !slices.Equal(got, []string{aNum}) {
			t.Errorf("q=%q finds %v, want %s", q, got, aNum)
		}
	}

	// A caller merged into a master is found on the master too.
	master := z.newCase("dispatcher", map[string]any{"text": "厂门口工人讨薪", "reporter": map[string]any{"name": "赵某", "phone": "13511112222"}})
	dup := z.newCase("dispatcher", map[string]any{"text": "又有人报厂门口讨薪", "reporter": map[string]any{"name": "钱某", "phone": "137-0000-3333"}})
	z.act(dup, "dispatcher", map[string]any{"action": "merge", "into": master}).expect(t, 200)
	numbers := func(ids ...int64) []string {
		var out []string
		for _, id := range ids {
			out = append(out, z.call("GET", "/api/v1/cases/"+itoa(id), "dispatcher", nil).expect(t, 200).str("number"))
		}
		slices.Sort(out)
		return out
	}
	if got, want := z.found("dispatcher", "13700003333"), numbers(master, dup); !slices.Equal(got, want) {
		t.Errorf("the merged caller's number finds %v, want the master and the duplicate %v", got, want)
	}
	// Short numbers are no caller's: 110 is searched as words only, so a
	// case whose reporter's number is 110 is not found by it, one that
	// says 110 in its text is.
	short := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "报警人未留号码",
		"reporter": map[string]any{"name": "某某", "phone": "110"}}).expect(t, 201).str("number")
	said := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "110 转来的噪音投诉"}).expect(t, 201).str("number")
	if got := z.found("dispatcher", "110"); !slices.Equal(got, []string{said}) || slices.Contains(got, short) {
		t.Errorf("q=110 finds %v, want only %s (its text says 110)", got, said)
	}

	// An account that sees phones masked cannot find who called by
	// trying a number, only by words.
	own := z.call("POST", "/api/v1/cases", "enterprise", map[string]any{"line": "enterprise", "text": "厂区门口道路破损",
		"reporter": map[string]any{"name": "孙某", "phone": "13922223333"}}).expect(t, 201).str("number")
	if got := z.found("enterprise", "13922223333"); len(got) != 0 {
		t.Errorf("the enterprise account finds %v by a phone number", got)
	}
	if got := z.found("enterprise", "道路破损"); !slices.Equal(got, []string{own}) {
		t.Errorf("the enterprise account finds %v by words, want %s", got, own)
	}
	if got := z.found("dispatcher", "13922223333"); !slices.Equal(got, []string{own}) {
		t.Errorf("the dispatcher finds %v by the phone, want %s", got, own)
	}
}

// TestIntakeEdgesOfIntegration: what a source system's gateway meets.
func TestIntakeEdgesOfIntegration(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	// A source number another unit's case carries is refused without
	// showing that case; one the caller may see is replayed.
	g := z.call("POST", "/api/v1/cases", "grid", map[string]any{"text": "停车费纠纷", "external_id": "GRID-0001",
		"reporter": map[string]any{"name": "赵某", "phone": "13812345678"}}).expect(t, 201)
	r := z.call("POST", "/api/v1/cases", "enterprise", map[string]any{"line": "enterprise", "text": "别的事", "channel": "grid", "external_id": "GRID-0001"}).expect(t, 409, "external_id_taken")
	if strings.Contains(string(r.raw), "停车费") || strings.Contains(string(r.raw), "13812345678") {
		t.Fatalf("the refusal shows the other case: %s", r.raw)
	}
	if again := z.call("POST", "/api/v1/cases", "grid", map[string]any{"text": "停车费纠纷（重发）", "external_id": "GRID-0001"}).expect(t, 201); again.id() != g.id() {
		t.Fatalf("the grid's own resend made case %d, want %d", again.id(), g.id())
	}
	// A gateway finds what became of its report by its own number; another
	// unit's number finds nothing it may not see.
	if got := z.call("GET", "/api/v1/cases?channel=grid&external_id=GRID-0001", "grid", nil).expect(t, 200).body["items"].([]any); len(got) != 1 {
		t.Errorf("external_id finds %d cases, want the grid's one", len(got))
	}
	if got := z.call("GET", "/api/v1/cases?external_id=GRID-0001", "enterprise", nil).expect(t, 200).body["items"].([]any); len(got) != 0 {
		t.Errorf("another unit's number finds %d cases", len(got))
	}
	// A retry is the same request however its JSON is spelt.
	a := z.call("POST", "/api/v1/cases", "dispatcher", `{"channel":"110","text":"两车刮擦"}`, "Idempotency-Key", "retry-1").expect(t, 201)
	b := z.call("POST", "/api/v1/cases", "dispatcher", `{ "text": "两车刮擦", "channel": "110" }`, "Idempotency-Key", "retry-1").expect(t, 201)
	if a.id() != b.id() || b.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a re-spelt retry made case %d after %d", b.id(), a.id())
	}
	// A key's length is counted in characters.
	z.call("POST", "/api/v1/cases", "dispatcher", `{"text":"键"}`, "Idempotency-Key", strings.Repeat("键", 200)).expect(t, 201)
	z.call("POST", "/api/v1/cases", "dispatcher", `{"text":"键"}`, "Idempotency-Key", strings.Repeat("键", 201)).expect(t, 400, "invalid_idempotency_key")
	// A compressed body is refused as such.
	z.call("POST", "/api/v1/cases", "dispatcher", `{"text":"x"}`, "Content-Encoding", "gzip").expect(t, 400, "unsupported_content_encoding")
	// The first day of 2000 in the zone is not before 2000.
	z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "旧案补录", "occurred_at": "2000-01-01T00:00:00+08:00"}).expect(t, 201)
	// Deliveries of a webhook that does not exist: 404.
	z.call("GET", "/api/v1/webhooks/999/deliveries", "admin", nil).expect(t, 404, "webhook_not_found")
}
