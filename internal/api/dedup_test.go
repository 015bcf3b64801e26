package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func report(text, phone, address string, lat, lon float64) map[string]any {
	b := map[string]any{"channel": "110", "text": text, "address": address, "reporter": map[string]any{"name": "张某", "phone": phone}}
	if lat != 0 {
		b["location"] = map[string]any{"lat": lat, "lon": lon}
	}
	return b
}

// TestOneIncidentManyCallers: the same gate blocked, told by different
// people in different words, lands on one case; the master counts the
// repeats, gets riskier, and each merge is on both timelines.
func TestOneIncidentManyCallers(t *testing.T) {
	t.Parallel()
	onBackends(t, true, func(t *testing.T, z *zone) {
		live, closeLive := z.stream("dispatcher")
		defer closeLive()
		first := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号某五金制品有限公司门口二十多个工人堵着要工资，说老板欠了三个月没发",
			"13800000101", "科技路88号", 28.8890, 120.0610)).expect(t, 201)
		z.now = t0.Add(12 * time.Minute)
		second := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路那家五金厂门口围了好多人，车都开不出去",
			"13800000102", "科技路88号", 28.8893, 120.0614)).expect(t, 201)
		if second.str("status") != "merged" || int64(second.body["duplicate_of"].(float64)) != first.id() {
			t.Fatalf("second caller not merged: %s", second.raw)
		}
		z.now = t0.Add(20 * time.Minute)
		third := z.call("POST", "/api/v1/cases", "dispatcher", report("某五金制品有限公司的工人还在厂门口堵着讨薪，老板一直没出面",
			"13800000103", "科技路88号", 28.8891, 120.0612)).expect(t, 201)
		if third.str("status") != "merged" {
			t.Fatalf("third caller not merged: %s", third.raw)
		}
		// The desk learns of each merge with the master's clocks, so an
		// overdue master stays marked.
		merges := 0
		for merges < 2 {
			msg := nextCase(t, live)
			if msg["event"].(map[string]any)["action"] != "duplicate_added" {
				continue
			}
			merges++
			if ds, _ := msg["case"].(map[string]any)["deadlines"].([]any); len(ds) == 0 {
				t.Errorf("the merged-into master was published without its clocks: %v", msg["case"])
			}
		}
		m := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", first.id()), "dispatcher", nil).expect(t, 200)
		if m.body["repeats"].(float64) != 2 || m.str("risk") != "high" || len(m.body["callers"].([]any)) != 2 {
			t.Fatalf("master %s", m.raw)
		}
		added := 0
		for _, e := range events(m) {
			if e["action"] == "duplicate_added" {
				added++
			}
		}
		dup := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", second.id()), "dispatcher", nil).expect(t, 200)
		evs := events(dup)
		if added != 2 || evs[len(evs)-1]["action"] != "merge" || evs[len(evs)-1]["actor"] != "system" {
			t.Fatalf("timelines: %d duplicate_added, last event of the duplicate %v", added, evs[len(evs)-1])
		}

		// A wrong merge is undone: the duplicate gets its status back.
		z.act(second.id(), "dispatcher", map[string]any{"action": "unmerge"}).expect(t, 400, "reason_required")
		u := z.act(second.id(), "dispatcher", map[string]any{"action": "unmerge", "reason": "是另一家厂的事"}).expect(t, 200)
		if u.str("status") != "received" || u.body["duplicate_of"] != nil {
			t.Fatalf("unmerged %s", u.raw)
		}
		m = z.call("GET", fmt.Sprintf("/api/v1/cases/%d", first.id()), "dispatcher", nil).expect(t, 200)
		if m.body["repeats"].(float64) != 1 {
			t.Fatalf("master after unmerge %s", m.raw)
		}
		// The caller the merge added left with it.
		if callers := fmt.Sprint(m.body["callers"]); callers != "[13800000103]" {
			t.Fatalf("master's callers after unmerge %s, want only the third caller's", callers)
		}
		z.act(second.id(), "dispatcher", map[string]any{"action": "unmerge", "reason": "again"}).expect(t, 409)
	})
}

func TestDifferentIncidentsAreNotMerged(t *testing.T) {
	t.Parallel()
	z := newZoneWith(t, true)
	gate := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号某五金制品有限公司门口二十多个工人堵着要工资",
		"13800000101", "科技路88号", 28.8890, 120.0610)).expect(t, 201)
	z.now = t0.Add(40 * time.Minute)
	// Same gate, same morning, a traffic scrape: at most a candidate.
	crash := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号门口一辆小货车倒车把停着的电动车撞倒了，没人受伤，双方在争赔偿",
		"13800000104", "科技路88号", 28.8890, 120.0611)).expect(t, 201)
	if crash.str("status") == "merged" {
		t.Fatalf("a different incident at the same gate was merged: %s", crash.raw)
	}
	// The same caller reporting an unrelated matter: not merged.
	other := z.call("POST", "/api/v1/cases", "dispatcher", report("我家楼上邻居装修每天早上七点就开始电钻",
		"13800000101", "幸福小区5幢", 28.8970, 120.0410)).expect(t, 201)
	if other.str("status") == "merged" {
		t.Fatalf("the same caller's unrelated report was merged: %s", other.raw)
	}
	// Reports without phone or location still go through the check.
	z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "有人在厂门口吵架", "address": "科技路"}).expect(t, 201)
	z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "有人在吵架"}).expect(t, 201)
	_ = gate
}

func TestCandidatesCanBeDismissed(t *testing.T) {
	t.Parallel()
	z := newZoneWith(t, true)
	z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号某五金制品有限公司门口二十多个工人堵着要工资",
		"13800000101", "科技路88号", 28.8890, 120.0610)).expect(t, 201)
	z.now = t0.Add(40 * time.Minute)
	c := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号门口一辆小货车倒车把停着的电动车撞倒了，没人受伤",
		"13800000104", "科技路88号", 28.8890, 120.0611)).expect(t, 201)
	cands := c.body["duplicate_candidates"].([]any)
	if len(cands) == 0 {
		t.Fatalf("no candidate shown for a report at the same gate 40 minutes later: %s", c.raw)
	}
	cand := cands[0].(map[string]any)
	if cand["reason"] == "" || cand["score"].(float64) <= 0 {
		t.Fatalf("candidate %v", cand)
	}
	z.act(c.id(), "dispatcher", map[string]any{"action": "dismiss_duplicates", "into": 999}).expect(t, 400, "unknown_candidate")
	d := z.act(c.id(), "dispatcher", map[string]any{"action": "dismiss_duplicates", "into": cand["id"]}).expect(t, 200)
	if n := len(d.body["duplicate_candidates"].([]any)); n != len(cands)-1 {
		t.Fatalf("%d candidates left", n)
	}
}

// TestMergingACandidateClearsIt: once the suspected duplicate a case
// lists is merged into it, the case no longer lists it (the desk would
// show 疑似重复 and offer a merge that answers 409).
func TestMergingACandidateClearsIt(t *testing.T) {
	t.Parallel()
	z := newZoneWith(t, true)
	a := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号某五金制品有限公司门口二十多个工人堵着要工资",
		"13800000101", "科技路88号", 28.8890, 120.0610)).expect(t, 201)
	z.now = t0.Add(40 * time.Minute)
	c := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号门口一辆小货车倒车把停着的电动车撞倒了，没人受伤",
		"13800000104", "科技路88号", 28.8890, 120.0611)).expect(t, 201)
	listed := func() bool {
		r := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", c.id()), "dispatcher", nil).expect(t, 200)
		for _, cand := range r.body["duplicate_candidates"].([]any) {
			if int64(cand.(map[string]any)["id"].(float64)) == a.id() {
				return true
			}
		}
		return false
	}
	if !listed() {
		t.Fatalf("the second report does not list the first as a suspected duplicate: %s", c.raw)
	}
	z.act(a.id(), "dispatcher", map[string]any{"action": "merge", "into": c.id()}).expect(t, 200)
	if listed() {
		t.Fatal("the master still lists the case merged into it as a suspected duplicate")
	}
}

func TestSourceNumberNeverMakesTwoCases(t *testing.T) {
	t.Parallel()
	z := newZoneWith(t, true)
	body := map[string]any{"channel": "110", "text": "两车刮擦", "external_id": "110-20261127-0042"}
	a := z.call("POST", "/api/v1/cases", "dispatcher", body).expect(t, 201)
	body["text"] = "两车刮擦（110 系统重发）"
	b := z.call("POST", "/api/v1/cases", "dispatcher", body).expect(t, 201)
	if a.id() != b.id() || b.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the same 110 number made two cases: %d %d", a.id(), b.id())
	}
	// Another channel may use the same number for something else.
	body["channel"] = "12345"
	c := z.call("POST", "/api/v1/cases", "dispatcher", body).expect(t, 201)
	if c.id() == a.id() {
		t.Fatal("a number is per channel")
	}
}

// TestRepeatDisputeRaisesRisk: the same company's wage dispute back three
// weeks after its case was closed is linked as a repeat dispute.
func TestRepeatDisputeRaisesRisk(t *testing.T) {
	t.Parallel()
	onBackends(t, true, func(t *testing.T, z *zone) {
		old := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号某五金制品有限公司拖欠三名工人工资",
			"13800000101", "科技路88号", 0, 0)).expect(t, 201)
		z.resolveCase(old.id(), "onsite_resolved")
		z.act(old.id(), "dispatcher", map[string]any{"action": "close", "satisfaction": 4}).expect(t, 200)
		z.now = t0.Add(21 * 24 * time.Hour)
		again := z.call("POST", "/api/v1/cases", "dispatcher", report("某五金制品有限公司的工人又来反映，说上次答应的工资到现在还没发",
			"13800000105", "科技路88号", 0, 0)).expect(t, 201)
		if again.body["repeat_of"] == nil || int64(again.body["repeat_of"].(float64)) != old.id() {
			t.Fatalf("not linked as a repeat dispute: %s", again.raw)
		}
		full := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", again.id()), "dispatcher", nil).expect(t, 200)
		evs := events(full)
		last := evs[len(evs)-1]
		if last["action"] != "repeat_linked" || !strings.Contains(fmt.Sprint(last["details"]), old.str("number")) {
			t.Fatalf("history not shown: %v", last)
		}
		if full.str("risk") == "low" {
			t.Fatalf("risk not raised: %s", full.str("risk"))
		}
	})
}

func TestTriageEndpoint(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	r := z.call("POST", "/api/v1/triage", "dispatcher", map[string]any{"text": "讨债的人拿着刀堵在门口说要砍人"}).expect(t, 200)
	if r.body["police"] != true || len(r.body["cues"].([]any)) == 0 || r.str("risk") != "high" {
		t.Fatalf("triage %s", r.raw)
	}
	keys := strings.Split(strings.Trim(string(r.raw), "{}\n"), ",")
	var order []string
	for _, k := range keys[:5] {
		order = append(order, strings.Split(k, ":")[0])
	}
	if fmt.Sprint(order) != `["category" "type" "police" "risk" "confidence"]` {
		t.Fatalf("field order %v", order)
	}
	for _, body := range []string{`{"text": ""}`, `{"text": "  \n "}`, `{}`, `{"text": "` + strings.Repeat("吵", 4001) + `"}`, `{"text": 5}`} {
		z.call("POST", "/api/v1/triage", "dispatcher", body).expect(t, 400)
	}
	z.call("POST", "/api/v1/triage", "dispatcher", map[string]any{"text": "\u0000\u0007控制字符"}).expect(t, 400, "invalid_character")
	for _, text := range []string{"😀😀😀", "مرحبا بالعالم", "\u0007\u001b控制字符", "hello world", strings.Repeat("工资", 2000)} {
		z.call("POST", "/api/v1/triage", "dispatcher", map[string]any{"text": text}).expect(t, 200)
	}
	z.call("POST", "/api/v1/triage", "", map[string]any{"text": "x"}).expect(t, 401)
	// A case without a classification gets triage's.
	c := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "二十多个工人堵在厂门口讨薪，有人拉横幅"}).expect(t, 201)
	if c.str("type") != "wage_arrears" || c.str("risk") != "high" || c.str("priority") != "urgent" {
		t.Fatalf("triaged case %s", c.raw)
	}
}

// TestSimultaneousCallsMeet: two reports of one incident sent at the same
// moment do not both become cases: the write of the second sees the first.
func TestSimultaneousCallsMeet(t *testing.T) {
	t.Parallel()
	onBackends(t, true, func(t *testing.T, z *zone) {
		for round := range 5 {
			text := fmt.Sprintf("科技路%d号某五金制品有限公司门口二十多个工人堵着要工资，说老板欠了三个月没发", 100+round)
			results := make(chan reply, 2)
			for i := range 2 {
				go func() {
					results <- z.call("POST", "/api/v1/cases", "dispatcher", report(text, fmt.Sprintf("1380000%04d", 200+10*round+i),
						fmt.Sprintf("科技路%d号", 100+round), 28.8890+0.01*float64(round), 120.0610))
				}()
			}
			a, b := <-results, <-results
			a.expect(t, 201)
			b.expect(t, 201)
			if (a.str("status") == "merged") == (b.str("status") == "merged") {
				t.Fatalf("round %d: statuses %s and %s, want exactly one merged", round, a.str("status"), b.str("status"))
			}
		}
	})
}

// TestMergedCallerRingsAgain: a caller whose report was merged rings again,
// from elsewhere, in other words, more than the window after the first
// report but within it of the last: the master's callers and the time of
// its last report tie the new call to it, though its own reporter and
// creation time do not.
func TestMergedCallerRingsAgain(t *testing.T) {
	t.Parallel()
	onBackends(t, true, func(t *testing.T, z *zone) {
		first := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路88号某五金制品有限公司门口二十多个工人堵着要工资，说老板欠了三个月没发",
			"13800000301", "科技路88号", 28.8890, 120.0610)).expect(t, 201)
		z.now = t0.Add(50 * time.Minute)
		second := z.call("POST", "/api/v1/cases", "dispatcher", report("科技路那家五金厂门口围了好多人，工人讨薪",
			"13800000302", "科技路88号", 28.8893, 120.0614)).expect(t, 201)
		if second.str("status") != "merged" {
			t.Fatalf("second caller not merged: %s", second.raw)
		}
		z.now = t0.Add(150 * time.Minute) // the window is two hours
		third := z.call("POST", "/api/v1/cases", "dispatcher", report("我刚才打过电话的，厂里工资的事还没人来",
			"13800000302", "", 0, 0)).expect(t, 201)
		if third.str("status") != "merged" || int64(third.body["duplicate_of"].(float64)) != first.id() {
			t.Fatalf("the merged caller's new call is not merged into the master %d: %s", first.id(), third.raw)
		}
	})
}
