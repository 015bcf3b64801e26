package api_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func events(r reply) []map[string]any {
	var out []map[string]any
	for _, e := range r.body["events"].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}

// TestReturnLimitAndFirstReceiver: two returns, then the center names a
// first-receiver unit that can neither return the case nor pass it across.
func TestReturnLimitAndFirstReceiver(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", nil)
	for i := range 2 {
		z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["market"]}).expect(t, 200)
		z.act(id, "market", map[string]any{"action": "return"}).expect(t, 400, "reason_required")
		z.act(id, "market", map[string]any{"action": "return", "reason": fmt.Sprintf("第%d次：不属于市场监管职责", i+1)}).expect(t, 200)
	}
	d := z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["labor"]}).expect(t, 200)
	if d.body["first_receiver"] != true || d.body["returns"].(float64) != 2 {
		t.Fatalf("after two returns the unit named is first receiver: %s", d.raw)
	}
	z.act(id, "labor", map[string]any{"action": "return", "reason": "还是不归我们"}).expect(t, 409, "return_limit")
	z.act(id, "labor", map[string]any{"action": "accept"}).expect(t, 200)
	z.act(id, "labor", map[string]any{"action": "return", "reason": "还是不归我们"}).expect(t, 409, "return_limit")
	z.act(id, "labor", map[string]any{"action": "transfer", "unit_id": z.units["market"], "reason": "推给市场监管"}).expect(t, 409, "first_receiver")
	// Labor has no sub-unit to pass it down to: neither button is offered.
	if got := z.allowed(id, "labor"); slices.Contains(got, "transfer") || slices.Contains(got, "return") {
		t.Errorf("the first receiver without sub-units is offered %v", got)
	}
	if got := z.allowed(id, "dispatcher"); !slices.Contains(got, "transfer") {
		t.Errorf("the center may still move the case, but is offered %v", got)
	}
	// The center may still move it.
	z.act(id, "dispatcher", map[string]any{"action": "transfer", "unit_id": z.units["team"], "reason": "中心改派处置队"}).expect(t, 200)
	got := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "admin", nil)
	returns := 0
	for _, e := range events(got) {
		if e["action"] == "return" {
			returns++
			if e["reason"] == "" || int64(e["unit_id"].(float64)) != z.units["market"] {
				t.Fatalf("return event %v", e)
			}
		}
	}
	if returns != 2 {
		t.Fatalf("%d return events", returns)
	}
}

// TestTransferDownAndBackUp: the center sends a case down to an
// enterprise grid, the grid down to the enterprise's micro-center, which
// hands it up again; each step is on the timeline with its direction.
func TestTransferDownAndBackUp(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", nil)
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["center"]}).expect(t, 200)
	z.act(id, "dispatcher", map[string]any{"action": "accept"}).expect(t, 200)
	z.act(id, "dispatcher", map[string]any{"action": "transfer", "unit_id": z.units["grid"], "reason": "企业专属网格内的劳资纠纷，下派网格"}).expect(t, 200)
	z.act(id, "grid", map[string]any{"action": "transfer", "unit_id": z.units["ent"], "reason": "本企业员工，交企业微中心调处"}).expect(t, 200)
	z.act(id, "enterprise", map[string]any{"action": "accept"}).expect(t, 200)
	z.act(id, "enterprise", map[string]any{"action": "transfer", "unit_id": z.units["center"], "reason": "涉及二十多人，企业无法化解，上报中心"}).expect(t, 200)
	got := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "dispatcher", nil).expect(t, 200)
	var trail []string
	for _, e := range events(got) {
		if e["action"] == "transfer" {
			d := e["details"].(map[string]any)
			trail = append(trail, fmt.Sprintf("%s:%s->%s", d["direction"], d["from_unit_name"], d["unit_name"]))
		}
	}
	want := "[down:社会治理中心->五金城企业专属网格 down:五金城企业专属网格->某五金制品有限公司微中心 up:某五金制品有限公司微中心->社会治理中心]"
	if fmt.Sprint(trail) != want {
		t.Fatalf("trail %v", trail)
	}
	if got.str("status") != "dispatched" || int64(got.body["unit_id"].(float64)) != z.units["center"] {
		t.Fatalf("back at the center: %s %v", got.str("status"), got.body["unit_id"])
	}
	// The micro-center no longer holds it and so no longer sees it.
	z.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), "enterprise", nil).expect(t, 404)
}

func TestRoutingRulesAndAutoDispatch(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	// Out of the box: a suggestion, never a dispatch.
	c := z.call("POST", "/api/v1/cases", "grid", map[string]any{"text": "网格内两户人家吵架"}).expect(t, 201)
	rt := c.body["routing"].(map[string]any)
	if c.str("status") != "received" || int64(rt["unit_id"].(float64)) != z.units["grid"] || rt["dispatch"] != false {
		t.Fatalf("default routing %s", c.raw)
	}
	z.call("PUT", "/api/v1/routing/rules", "dispatcher", `rules: []`).expect(t, 403)
	z.call("PUT", "/api/v1/routing/rules", "admin", `rules: [{name: x, lead: 不存在}]`).expect(t, 400, "invalid_rule")
	// In YAML a backslash in single quotes is plain text; a NUL byte is refused.
	z.call("PUT", "/api/v1/routing/rules", "admin", "rules: [{name: 'C:\\u0000 目录', lead: 劳动保障监察中队}]").expect(t, 200)
	z.call("PUT", "/api/v1/routing/rules", "admin", "rules: [{name: \"x\x00\", lead: 劳动保障监察中队}]").expect(t, 400, "invalid_character")
	rules := `rules:
  - name: 网格员自报件由本网格处置
    match: {channel: grid}
    lead: reporter_unit
    dispatch: true
  - name: 欠薪由劳动监察主办
    match: {type: wage_arrears}
    lead: 劳动保障监察中队
    co: [政务110先期处置队]
  - name: 其他
    lead: 政务110先期处置队
`
	z.call("PUT", "/api/v1/routing/rules", "admin", rules).expect(t, 200)
	// A body without the rules is refused and leaves them in force: only
	// an explicit empty list clears them.
	for _, bad := range []string{"", "null", "{}", `{"rulez": []}`, `{"rules": null}`} {
		z.call("PUT", "/api/v1/routing/rules", "admin", bad).expect(t, 400)
	}
	got := z.call("GET", "/api/v1/routing/rules", "dispatcher", nil).expect(t, 200)
	if n := len(got.body["rules"].([]any)); n != 3 {
		t.Fatalf("%d rules", n)
	}
	c = z.call("POST", "/api/v1/cases", "grid", map[string]any{"text": "网格内两户人家吵架"}).expect(t, 201)
	if c.str("status") != "dispatched" || int64(c.body["unit_id"].(float64)) != z.units["grid"] {
		t.Fatalf("auto dispatch %s", c.raw)
	}
	full := z.call("GET", fmt.Sprintf("/api/v1/cases/%d", c.id()), "admin", nil)
	evs := events(full)
	if len(evs) != 2 || evs[1]["action"] != "dispatch" || evs[1]["actor"] != "system" {
		t.Fatalf("auto dispatch events %v", evs)
	}
	// A wage case: routing suggests labor; dispatch without a unit accepts it.
	w := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "工人讨薪", "type": "wage_arrears"}).expect(t, 201)
	d := z.act(w.id(), "dispatcher", map[string]any{"action": "dispatch"}).expect(t, 200)
	if int64(d.body["unit_id"].(float64)) != z.units["labor"] || d.body["event"].(map[string]any)["details"].(map[string]any)["routing"] != "accepted" {
		t.Fatalf("accepting the routing: %s", d.raw)
	}
	// The co-unit sees the case too.
	z.call("GET", fmt.Sprintf("/api/v1/cases/%d", w.id()), "responder", nil).expect(t, 200)
	// Overriding it is recorded.
	o := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "工人讨薪", "type": "wage_arrears"}).expect(t, 201)
	d = z.act(o.id(), "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["market"]}).expect(t, 200)
	if d.body["event"].(map[string]any)["details"].(map[string]any)["routing"] != "overridden" {
		t.Fatalf("override not recorded: %s", d.raw)
	}
	p := z.call("POST", "/api/v1/routing/preview", "dispatcher", map[string]any{"text": "讨薪", "type": "wage_arrears"}).expect(t, 200)
	if p.body["routing"].(map[string]any)["rule"] != "欠薪由劳动监察主办" {
		t.Fatalf("preview %s", p.raw)
	}
}

func TestPeopleImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	bad := "姓名,手机号,职务,所属单位,技能\n赵某,13800000101,队员,政务110先期处置队,调解\n钱某,12345,队员,政务110先期处置队,\n"
	r := z.call("POST", "/api/v1/people/import?format=csv", "admin", bad).expect(t, 400, "invalid_rows")
	rows := r.body["rows"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["row"].(float64) != 3 {
		t.Fatalf("row errors %s", r.raw)
	}
	// A person tied to an account that does not exist is bad input.
	for _, uid := range []int64{99999, 0, -1} {
		z.call("POST", "/api/v1/people", "admin", map[string]any{"name": "孙某", "phone": "13800000103", "unit_id": z.units["team"], "user_id": uid}).expect(t, 400, "unknown_user")
	}
	list := z.call("GET", "/api/v1/people", "admin", nil).expect(t, 200)
	if n := len(list.body["items"].([]any)); n != 0 {
		t.Fatalf("a failed import left %d people", n)
	}
	good := "\ufeff姓名,手机号,职务,所属单位,技能\n赵某,13800000101,队员,政务110先期处置队,调解、劳动法\n钱某,13800000102,队员,政务110先期处置队,\n"
	z.call("POST", "/api/v1/people/import", "admin", good).expect(t, 200)
	z.call("POST", "/api/v1/people/import", "admin", good).expect(t, 409, "phone_taken")
	list = z.call("GET", "/api/v1/people", "admin", nil).expect(t, 200)
	if n := len(list.body["items"].([]any)); n != 2 {
		t.Fatalf("%d people after import", n)
	}
	// XLSX export reads back with the same importer.
	x := z.call("GET", "/api/v1/people/export?format=xlsx", "admin", nil).expect(t, 200)
	f, err := excelize.OpenReader(bytes.NewReader(x.raw))
	if err != nil {
		t.Fatal(err)
	}
	rowsX, _ := f.GetRows(f.GetSheetList()[0])
	if len(rowsX) != 3 || rowsX[0][0] != "姓名" || rowsX[1][4] != "调解、劳动法" {
		t.Fatalf("export %v", rowsX)
	}
	z.call("POST", "/api/v1/people/import", "dispatcher", good).expect(t, 403)
}

func TestEnterprisesAndAreas(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	csv := "企业名称,统一社会信用代码,行业,职工人数,所属网格,纬度,经度\n" +
		"某五金制品有限公司,91350100M000100Y43,门业,420,五金城企业专属网格,28.889,120.061\n"
	z.call("POST", "/api/v1/enterprises/import", "admin", csv).expect(t, 200)
	z.call("POST", "/api/v1/enterprises", "admin", map[string]any{"name": "某杯业", "credit_code": "91350100M000100Y42"}).expect(t, 400, "invalid_credit_code")
	list := z.call("GET", "/api/v1/enterprises", "dispatcher", nil).expect(t, 200)
	if n := len(list.body["items"].([]any)); n != 1 {
		t.Fatalf("%d enterprises", n)
	}
	exp := z.call("GET", "/api/v1/enterprises/export", "admin", nil).expect(t, 200)
	if !strings.Contains(string(exp.raw), "91350100M000100Y43") || !strings.Contains(string(exp.raw), "门业") {
		t.Fatalf("export %s", exp.raw)
	}
	areas := `{"type":"FeatureCollection","features":[
	  {"type":"Feature","properties":{"name":"五金城企业专属网格"},"geometry":{"type":"Polygon","coordinates":[[[120.05,28.88],[120.07,28.88],[120.07,28.90],[120.05,28.90],[120.05,28.88]]]}},
	  {"type":"Feature","properties":{"name":"西城网格"},"geometry":{"type":"Polygon","coordinates":[[[120.00,28.88],[120.02,28.88],[120.02,28.90],[120.00,28.90],[120.00,28.88]]]}}]}`
	badAreas := strings.Replace(areas, `"name":"西城网格"`, `"name":""`, 1)
	z.call("POST", "/api/v1/units/areas", "admin", badAreas).expect(t, 400, "invalid_rows")
	units := z.call("GET", "/api/v1/units", "admin", nil)
	before := len(units.body["items"].([]any))
	r := z.call("POST", fmt.Sprintf("/api/v1/units/areas?parent_id=%d", z.units["center"]), "admin", areas).expect(t, 200)
	if r.body["updated"].(float64) != 1 || r.body["created"].(float64) != 1 {
		t.Fatalf("areas %s", r.raw)
	}
	units = z.call("GET", "/api/v1/units", "admin", nil)
	if len(units.body["items"].([]any)) != before+1 {
		t.Fatal("the new grid was not created")
	}
	// A case inside the enterprise grid names the enterprise: its micro-center is told.
	c := z.call("POST", "/api/v1/cases", "dispatcher", map[string]any{"text": "某五金制品有限公司门口有人吵架",
		"location": map[string]any{"lat": 28.889, "lon": 120.061}}).expect(t, 201)
	notify := c.body["routing"].(map[string]any)["notify_unit_ids"].([]any)
	if len(notify) != 1 || int64(notify[0].(float64)) != z.units["ent"] {
		t.Fatalf("micro-center not told: %s", c.raw)
	}
	z.call("GET", fmt.Sprintf("/api/v1/cases/%d", c.id()), "enterprise", nil).expect(t, 200)
}

func TestRosterAPI(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	p := z.call("POST", "/api/v1/people", "admin", map[string]any{"name": "赵某", "phone": "13800000101", "role": "队员", "unit_id": z.units["team"]}).expect(t, 201)
	q := z.call("POST", "/api/v1/people", "admin", map[string]any{"name": "王某", "phone": "13800000102", "role": "值班员", "unit_id": z.units["center"]}).expect(t, 201)
	gaps := z.call("GET", "/api/v1/roster/gaps", "dispatcher", nil).expect(t, 200)
	if gaps.body["covered"] != false || gaps.body["warning"] == "" {
		t.Fatalf("an empty roster has gaps: %s", gaps.raw)
	}
	var shifts []map[string]any
	for d := range 9 {
		for _, who := range []struct {
			person int64
			unit   string
		}{{p.id(), "team"}, {q.id(), "center"}} {
			for h := 0; h < 24; h += 12 {
				start := t0.AddDate(0, 0, d-1).Add(-9 * 60 * 60 * 1e9).Add(time_h(h))
				shifts = append(shifts, map[string]any{"unit_id": z.units[who.unit], "person_id": who.person,
					"start": start.Format("2006-01-02T15:04:05Z07:00"), "end": start.Add(time_h(12)).Format("2006-01-02T15:04:05Z07:00")})
			}
		}
	}
	z.call("POST", "/api/v1/roster/shifts", "dispatcher", map[string]any{"shifts": shifts}).expect(t, 403)
	z.call("POST", "/api/v1/roster/shifts", "admin", map[string]any{"shifts": shifts}).expect(t, 201)
	gaps = z.call("GET", "/api/v1/roster/gaps", "dispatcher", nil).expect(t, 200)
	if gaps.body["covered"] != true {
		t.Fatalf("full roster still has gaps: %s", gaps.raw)
	}
	duty := z.call("GET", "/api/v1/roster/on-duty", "dispatcher", nil).expect(t, 200)
	if n := len(duty.body["units"].([]any)); n != 2 {
		t.Fatalf("on duty: %s", duty.raw)
	}
	// A shift for someone outside the unit is refused and nothing is added.
	wrong := map[string]any{"unit_id": z.units["labor"], "person_id": p.id(), "start": "2026-12-01T08:00:00+08:00", "end": "2026-12-01T16:00:00+08:00"}
	z.call("POST", "/api/v1/roster/shifts", "admin", wrong).expect(t, 400, "person_not_in_unit")
	// Recommend: the on-duty responder for a case routed to the team.
	z.call("POST", fmt.Sprintf("/api/v1/people/%d/location", p.id()), "admin", map[string]any{"lat": 28.89, "lon": 120.05}).expect(t, 200)
	id := z.newCase("dispatcher", map[string]any{"text": "路口刮擦", "location": map[string]any{"lat": 28.891, "lon": 120.051}})
	rec := z.call("GET", fmt.Sprintf("/api/v1/cases/%d/recommend", id), "dispatcher", nil).expect(t, 200)
	items := rec.body["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["distance_m"] == nil {
		t.Fatalf("recommend %s", rec.raw)
	}
}
