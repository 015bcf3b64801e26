package api_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// allowed answers a case's allowed_actions as the account sees them.
func (z *zone) allowed(id int64, user string) []string {
	z.t.Helper()
	c := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), user, nil).expect(z.t, 200)
	var out []string
	for _, a := range c.body["allowed_actions"].([]any) {
		out = append(out, a.(string))
	}
	return out
}

// status answers a case's status as the dispatcher sees it.
func (z *zone) status(id int64) string {
	z.t.Helper()
	return z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "dispatcher", nil).expect(z.t, 200).str("status")
}

// TestOnlyTheHoldingUnitHandles: a unit that helps on a case (协办), was
// told of it or reported it sees it, but only the unit that holds it hands
// it back, settles it, transfers it or hands it to the police.
func TestOnlyTheHoldingUnitHandles(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	z.call("PUT", "/api/v1/routing/rules", "admin",
		`rules: [{name: 欠薪, match: {category: labor}, lead: 政务110先期处置队, co: [劳动保障监察中队]}]`).expect(t, 200)
	id := z.newCase("enterprise", map[string]any{"line": "enterprise", "channel": "enterprise",
		"text": "我公司有工人反映被拖欠工资三个月，希望协调", "category": "labor", "type": "wage_arrears"})
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)

	// The co-unit and the reporting enterprise see the case and may add a
	// note or escalate, nothing more.
	for _, who := range []string{"labor", "enterprise"} {
		if got := z.allowed(id, who); !slices.Equal(got, []string{"escalate", "note"}) && !slices.Equal(got, []string{"note", "escalate"}) {
			t.Errorf("%s may %v, want only note and escalate", who, got)
		}
		for _, act := range []map[string]any{
			{"action": "return", "reason": "不是我们的"},
			{"action": "accept"},
			{"action": "transfer", "unit_id": z.units["market"], "reason": "转市场监管"},
			{"action": "refer_police", "reason": "移交公安"},
			{"action": "extend", "stage": "resolve", "until": "2026-12-30T12:00:00+08:00", "reason": "需要时间"},
		} {
			z.act(id, who, act).expect(t, 403, "not_holder")
		}
		z.act(id, who, map[string]any{"action": "note", "note": who + " 已知悉"}).expect(t, 200)
	}
	if st := z.status(id); st != "dispatched" {
		t.Fatalf("after the refusals the case is %s, want dispatched", st)
	}
	// Another department does not even see it.
	z.act(id, "market", map[string]any{"action": "note", "note": "x"}).expect(t, 404)

	// The holder handles it, and closes it without rating its own work.
	for _, a := range []string{"accept", "arrive"} {
		z.act(id, "responder", map[string]any{"action": a}).expect(t, 200)
	}
	z.act(id, "responder", map[string]any{"action": "resolve", "outcome": "onsite_resolved", "note": "已协调企业补发"}).expect(t, 200)
	if got := z.allowed(id, "responder"); !slices.Contains(got, "close") || slices.Contains(got, "follow_up") {
		t.Errorf("the holder of a resolved case may %v", got)
	}
	z.act(id, "responder", map[string]any{"action": "close", "satisfaction": 5, "note": "企业满意"}).expect(t, 403, "self_rating")
	if st := z.status(id); st != "resolved" {
		t.Fatalf("after a refused self-rating the case is %s, want resolved", st)
	}
	for who, want := range map[string]bool{"responder": false, "enterprise": true, "dispatcher": true, "labor": false} {
		if got := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), who, nil).expect(t, 200).body["can_rate"]; got != want {
			t.Errorf("%s: can_rate %v, want %v", who, got, want)
		}
	}
	// The enterprise that raised it closes it with its own rating: 销号.
	if got := z.allowed(id, "enterprise"); !slices.Contains(got, "close") {
		t.Errorf("the reporting enterprise of a resolved case may %v, want close among them", got)
	}
	c := z.act(id, "enterprise", map[string]any{"action": "close", "satisfaction": 4, "note": "问题已解决"}).expect(t, 200)
	if c.body["satisfaction"] != float64(4) || c.str("status") != "closed" {
		t.Fatalf("closed by the enterprise: %s", c.raw)
	}
}

// TestTheRatingIsTheReporters: a handling unit closes without a rating;
// the center's follow-up call (回访) or the reporting unit rates.
func TestTheRatingIsTheReporters(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	settle := func(reporter string) int64 {
		id := z.newCase(reporter, nil)
		z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["labor"]}).expect(t, 200)
		for _, a := range []string{"accept", "arrive"} {
			z.act(id, "labor", map[string]any{"action": a}).expect(t, 200)
		}
		z.act(id, "labor", map[string]any{"action": "resolve", "outcome": "onsite_resolved"}).expect(t, 200)
		z.act(id, "labor", map[string]any{"action": "close", "note": "已答复"}).expect(t, 200)
		return id
	}
	id := settle("dispatcher")
	if got := z.allowed(id, "labor"); slices.Contains(got, "follow_up") {
		t.Errorf("the handling department may %v on its closed case", got)
	}
	z.act(id, "labor", map[string]any{"action": "follow_up", "satisfaction": 5}).expect(t, 403, "self_rating")
	z.act(id, "dispatcher", map[string]any{"action": "follow_up", "satisfaction": 3, "note": "电话回访"}).expect(t, 200)
	if got := z.allowed(id, "dispatcher"); slices.Contains(got, "follow_up") {
		t.Errorf("a rated case still offers follow_up: %v", got)
	}

	// A grid worker's report handled by the grid itself is not the grid's
	// to rate: the center's follow-up rates it.
	own := z.newCase("grid", nil)
	z.act(own, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["grid"]}).expect(t, 200)
	for _, a := range []string{"accept", "arrive"} {
		z.act(own, "grid", map[string]any{"action": a}).expect(t, 200)
	}
	z.act(own, "grid", map[string]any{"action": "resolve", "outcome": "onsite_resolved"}).expect(t, 200)
	z.act(own, "grid", map[string]any{"action": "close", "satisfaction": 5}).expect(t, 403, "self_rating")
	z.act(own, "grid", map[string]any{"action": "close"}).expect(t, 200)
	z.act(own, "grid", map[string]any{"action": "follow_up", "satisfaction": 5}).expect(t, 403, "self_rating")

	// A grid worker's report handled by a department, rated by the grid
	// afterwards.
	id = settle("grid")
	if got := z.allowed(id, "grid"); !slices.Contains(got, "follow_up") {
		t.Errorf("the reporting grid may %v on the closed case, want follow_up among them", got)
	}
	z.act(id, "grid", map[string]any{"action": "follow_up", "satisfaction": 4}).expect(t, 200)
}

// TestAHandedBackCaseOffersNothing: the answer to a return (退单) is the
// case as it left the unit, which no longer sees it, so it offers no
// actions (each would answer 404).
func TestAHandedBackCaseOffersNothing(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", nil)
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)
	r := z.act(id, "responder", map[string]any{"action": "return", "reason": "不属于本队职责"}).expect(t, 200)
	if got := r.body["allowed_actions"].([]any); len(got) != 0 {
		t.Fatalf("after the return the responder is offered %v", got)
	}
}

// TestAnEnterpriseAccountSpeaksForItsOwnEnterprise: a demand an
// enterprise account raises is its own enterprise's (the one whose
// micro-center is the account's unit), and naming another is refused.
func TestAnEnterpriseAccountSpeaksForItsOwnEnterprise(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		z := newZoneOn(t, st, false)
		own := z.addEnterprise(1, "某五金制品有限公司")
		other := z.addEnterprise(2, "某厨具制造有限公司")
		first := fmt.Sprintf("91330784MA2H%05d", 1)
		check, _ := routing.CreditCodeCheck(first)
		link := map[string]any{"name": "某五金制品有限公司", "credit_code": first + string(check), "micro_center": z.units["ent"]}
		z.call("POST", "/api/v1/enterprises", "admin", link).expect(t, 201)
		// One micro-center speaks for one enterprise.
		second := fmt.Sprintf("91330784MA2H%05d", 2)
		check2, _ := routing.CreditCodeCheck(second)
		z.call("POST", "/api/v1/enterprises", "admin", map[string]any{"name": "某厨具制造有限公司", "credit_code": second + string(check2),
			"micro_center": z.units["ent"]}).expect(t, 409, "micro_center_taken")
		z.call("POST", "/api/v1/enterprises", "admin", map[string]any{"name": "某厨具制造有限公司", "credit_code": second + string(check2),
			"micro_center": z.units["grid"]}).expect(t, 400, "invalid_micro_center")
		// Updating without micro_center keeps the link.
		z.call("POST", "/api/v1/enterprises", "admin", map[string]any{"name": "某五金制品有限公司", "credit_code": first + string(check), "headcount": 120}).expect(t, 201)

		c := z.call("POST", "/api/v1/cases", "enterprise", map[string]any{"line": "enterprise", "text": "我公司新厂房消防验收迟迟排不上号"}).expect(t, 201)
		if got := c.body["enterprise_id"]; got != float64(own) {
			t.Fatalf("the enterprise account's demand is about enterprise %v, want its own %d", got, own)
		}
		before := z.count("/api/v1/cases")
		z.call("POST", "/api/v1/cases", "enterprise", map[string]any{"line": "enterprise", "text": "替别的企业反映问题",
			"enterprise_id": other}).expect(t, 403, "not_own_enterprise")
		if after := z.count("/api/v1/cases"); after != before {
			t.Fatalf("a refused demand was stored: %d cases, then %d", before, after)
		}
		// A dispatcher names any enterprise.
		d := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"line": "enterprise", "text": "企业反映道路破损",
			"enterprise_id": other}).expect(t, 201)
		if d.body["enterprise_id"] != float64(other) {
			t.Fatalf("the dispatcher's demand is about %v, want %d", d.body["enterprise_id"], other)
		}
	})
}
