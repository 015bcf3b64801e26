package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/notify"
)

func deadline(r reply, stage string) map[string]any {
	for _, d := range r.body["deadlines"].([]any) {
		if m := d.(map[string]any); m["stage"] == stage {
			return m
		}
	}
	return nil
}

func TestDeadlinesOnTheCase(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", nil)
	path := fmt.Sprintf("/api/v1/cases/%d", id)
	c := z.call("GET", path, "dispatcher", nil).expect(t, 200)
	d := deadline(c, "dispatch")
	if d == nil || d["due_at"] != "2026-11-27T09:02:00+08:00" || d["breached"] != false || d["met_at"] != nil {
		t.Fatalf("dispatch clock %v", d)
	}
	z.now = t0.Add(3 * time.Minute)
	c = z.call("GET", path, "dispatcher", nil).expect(t, 200)
	if d := deadline(c, "dispatch"); d["breached"] != true || d["status"] != "breached" {
		t.Fatalf("after 3 minutes %v", d)
	}
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)
	c = z.call("GET", path, "dispatcher", nil).expect(t, 200)
	if d := deadline(c, "dispatch"); d["met_at"] != "2026-11-27T09:03:00+08:00" || d["status"] != "met_late" {
		t.Fatalf("met late %v", d)
	}
	if d := deadline(c, "accept"); d["status"] != "pending" {
		t.Fatalf("accept %v", d)
	}
	list := z.call("GET", "/api/v1/cases", "dispatcher", nil).expect(t, 200)
	if ds := list.body["items"].([]any)[0].(map[string]any)["deadlines"].([]any); len(ds) != 5 { // the follow-up clock starts at resolution
		t.Fatalf("the list shows %d deadlines", len(ds))
	}
}

// listedAsOnPage checks that the list shows the case's clocks as its page
// does: the list computes them from the few fields of each event the
// clocks read, the page from the whole timeline.
func listedAsOnPage(t *testing.T, z *zone, page reply) {
	t.Helper()
	list := z.call("GET", "/api/v1/cases", "dispatcher", nil).expect(t, 200)
	for _, it := range list.body["items"].([]any) {
		if it := it.(map[string]any); it["id"] == page.body["id"] {
			got, _ := json.Marshal(it["deadlines"])
			want, _ := json.Marshal(page.body["deadlines"])
			if string(got) != string(want) {
				t.Fatalf("the list shows the clocks\n%s\nthe page\n%s", got, want)
			}
			return
		}
	}
	t.Fatalf("case %v not in the list", page.body["id"])
}

func TestPauseResumeAndExtension(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	id := z.newCase("dispatcher", nil)
	path := fmt.Sprintf("/api/v1/cases/%d", id)
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)
	// A handling unit does not stop its own clocks: it asks for an
	// extension; the center pauses.
	z.act(id, "responder", map[string]any{"action": "pause", "reason": "等待当事人到场"}).expect(t, 403, "forbidden")
	z.act(id, "dispatcher", map[string]any{"action": "pause", "reason": "等待当事人到场"}).expect(t, 200)
	z.act(id, "dispatcher", map[string]any{"action": "pause", "reason": "again"}).expect(t, 409, "already_paused")
	z.now = t0.Add(2 * time.Hour)
	c := z.call("GET", path, "dispatcher", nil).expect(t, 200)
	if d := deadline(c, "accept"); d["paused"] != true || d["breached"] != false {
		t.Fatalf("paused accept clock %v", d)
	}
	listedAsOnPage(t, z, c)
	z.act(id, "responder", map[string]any{"action": "resume"}).expect(t, 403, "forbidden")
	z.act(id, "dispatcher", map[string]any{"action": "resume"}).expect(t, 200)
	z.act(id, "dispatcher", map[string]any{"action": "resume"}).expect(t, 409, "not_paused")
	c = z.call("GET", path, "dispatcher", nil).expect(t, 200)
	// Five minutes from creation, moved by the two paused hours.
	if d := deadline(c, "accept"); d["due_at"] != "2026-11-27T11:05:00+08:00" {
		t.Fatalf("resumed accept clock %v", d)
	}
	listedAsOnPage(t, z, c)
	// Extension of the resolve clock: bad requests first.
	ext := func(until, reason string) map[string]any {
		return map[string]any{"action": "extend", "stage": "resolve", "until": until, "reason": reason}
	}
	z.act(id, "responder", ext("2026-11-27T08:00:00+08:00", "需要鉴定")).expect(t, 400, "until_in_past")
	z.act(id, "responder", ext("9999-12-31T00:00:00+08:00", "需要鉴定")).expect(t, 400, "until_too_far")
	z.act(id, "responder", ext("2026-11-30T12:00:00+08:00", "")).expect(t, 400, "reason_required")
	z.act(id, "responder", map[string]any{"action": "extend", "stage": "teleport", "until": "2026-11-30T12:00:00+08:00", "reason": "x"}).expect(t, 400, "unknown_stage")
	z.act(id, "responder", ext("2026-11-30T12:00:00+08:00", "需要等待伤情鉴定")).expect(t, 200)
	c = z.call("GET", path, "dispatcher", nil).expect(t, 200)
	if d := deadline(c, "resolve"); d["extension_pending"] != true || d["extended"] == true {
		t.Fatalf("pending extension %v", d)
	}
	listedAsOnPage(t, z, c)
	z.act(id, "responder", map[string]any{"action": "approve_extension", "stage": "resolve"}).expect(t, 403)
	z.act(id, "leader", map[string]any{"action": "approve_extension", "stage": "resolve", "note": "同意"}).expect(t, 200)
	c = z.call("GET", path, "dispatcher", nil).expect(t, 200)
	if d := deadline(c, "resolve"); d["due_at"] != "2026-11-30T12:00:00+08:00" || d["extended"] != true {
		t.Fatalf("approved extension %v", d)
	}
	listedAsOnPage(t, z, c)
	z.act(id, "leader", map[string]any{"action": "refuse_extension", "stage": "resolve", "reason": "x"}).expect(t, 409, "no_pending_extension")
}

func TestWorkdaysEndpoint(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	r := z.call("GET", "/api/v1/calendar/workdays?from=2026-09-30&add=5", "dispatcher", nil).expect(t, 200)
	if r.str("date") != "2026-10-13" {
		t.Fatalf("2026-09-30 + 5 working days = %s", r.raw)
	}
	for _, q := range []string{"from=2026-02-30&add=1", "from=yesterday&add=1", "from=2026-09-30&add=x", "from=2026-09-30&add=-1", "from=2026-09-30"} {
		z.call("GET", "/api/v1/calendar/workdays?"+q, "dispatcher", nil).expect(t, 400)
	}
	// An administrator marks a local typhoon day off.
	z.call("PUT", "/api/v1/calendar/overrides", "dispatcher", `{"overrides":[]}`).expect(t, 403)
	z.call("PUT", "/api/v1/calendar/overrides", "admin", `{"overrides":[{"date":"2026-10-09","workday":false,"name":"台风停工"}]}`).expect(t, 200)
	// A body that does not name the overrides changes nothing.
	for _, bad := range []string{"", "null", "{}", `{"overides":[]}`, `{"overrides":null}`, `{"overrides":[],"x":1}`} {
		z.call("PUT", "/api/v1/calendar/overrides", "admin", bad).expect(t, 400)
	}
	r = z.call("GET", "/api/v1/calendar/workdays?from=2026-09-30&add=5", "dispatcher", nil).expect(t, 200)
	if r.str("date") != "2026-10-14" {
		t.Fatalf("with the typhoon day off: %s", r.raw)
	}
	cal := z.call("GET", "/api/v1/calendar?from=2026-10-01&to=2026-10-31", "dispatcher", nil).expect(t, 200)
	if n := len(cal.body["days"].([]any)); n < 8 {
		t.Fatalf("October 2026 lists %d special days", n)
	}
	pol := z.call("GET", "/api/v1/sla/policies", "dispatcher", nil).expect(t, 200)
	if !strings.Contains(string(pol.raw), `"name":"12510"`) {
		t.Fatalf("policies %s", pol.raw)
	}
}

// stream opens the live event stream as user, past its ready event.
func (z *zone) stream(user string) (*bufio.Reader, func()) {
	z.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", z.srv.URL+"/api/v1/events/stream?access_token="+z.tokens[user], nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		z.t.Fatalf("stream for %s: %v %v", user, err, resp)
	}
	br := bufio.NewReader(resp.Body)
	line, _ := br.ReadString('\n')
	for line != "\n" {
		line, _ = br.ReadString('\n')
	}
	return br, func() { cancel(); resp.Body.Close() }
}

// nextCase reads the stream's next case message.
func nextCase(t testing.TB, br *bufio.Reader) map[string]any {
	t.Helper()
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			var m map[string]any
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				t.Fatal(err)
			}
			if m["case"] != nil {
				return m
			}
		}
	}
}

// TestEventStreamEndsWithTheSession: a stream opened before a logout does
// not go on sending cases (with phone numbers) after it.
func TestEventStreamEndsWithTheSession(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	br, done := z.stream("labor")
	defer done()
	z.call("POST", "/api/v1/auth/logout", "labor", nil).expect(t, 204)
	ended := make(chan string, 1)
	go func() {
		var seen strings.Builder
		for {
			line, err := br.ReadString('\n')
			seen.WriteString(line)
			if err != nil {
				ended <- seen.String()
				return
			}
		}
	}()
	select {
	case got := <-ended:
		if !strings.Contains(got, "event: expired") {
			t.Fatalf("the stream ended without saying why: %q", got)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the stream outlived the session by 15 s")
	}
}

func TestEventStreamIsScoped(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	open := z.stream
	next := func(br *bufio.Reader) map[string]any { return nextCase(t, br) }
	center, closeCenter := open("dispatcher")
	defer closeCenter()
	labor, closeLabor := open("labor")
	defer closeLabor()
	leader, closeLeader := open("leader")
	defer closeLeader()
	id := z.newCase("dispatcher", map[string]any{"text": "讨薪", "reporter": map[string]any{"phone": "13800005678"}})
	m := next(center)
	if m["event"].(map[string]any)["action"] != "receive" || int64(m["case"].(map[string]any)["id"].(float64)) != id {
		t.Fatalf("center got %v", m)
	}
	if p := next(leader)["case"].(map[string]any)["reporter"].(map[string]any)["phone"]; p != "138****5678" {
		t.Fatalf("leader's stream shows the phone: %v", p)
	}
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["labor"]}).expect(t, 200)
	// Labor saw nothing of the case until it was dispatched to it.
	m = next(labor)
	if m["event"].(map[string]any)["action"] != "dispatch" {
		t.Fatalf("labor's first event %v", m)
	}
	z.call("GET", "/api/v1/events/stream", "", nil).expect(t, 401)
}

// TestWebhooksSurviveAHungUpClient: the events are committed before they
// are published, so a request cancelled meanwhile (the caller hung up, the
// scheduler is stopping) still queues their deliveries.
func TestWebhooksSurviveAHungUpClient(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	wh := z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": "http://127.0.0.1:9/hook", "secret": "a-webhook-secret-of-length"}).expect(t, 201)
	id := z.newCase("dispatcher", nil)
	c, err := z.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	z.api.Publish(gone, c, []casework.Event{{CaseID: id, Seq: 99, Action: casework.ActionNote, At: t0, Actor: "dispatcher"}})
	ds := z.call("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", wh.id()), "admin", nil).expect(t, 200)
	if n := len(ds.body["items"].([]any)); n != 2 {
		t.Fatalf("%d deliveries queued, want the receipt's and the note's", n)
	}
}

// TestAWebhookRedirectIsNoDelivery: a 3xx is retried, not followed (a
// redirect would GET the new address without the body).
func TestAWebhookRedirectIsNoDelivery(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	gets := 0
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets++
			return
		}
		http.Redirect(w, r, "/landing", http.StatusMovedPermanently)
	}))
	defer hook.Close()
	wh := z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": hook.URL + "/in", "secret": "a-webhook-secret-of-length"}).expect(t, 201)
	z.newCase("dispatcher", nil)
	sender := &notify.Webhooks{Outbox: z.st, Log: slog.New(slog.DiscardHandler)}
	if n, err := sender.RunOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("run: %d %v", n, err)
	}
	d := z.call("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", wh.id()), "admin", nil).expect(t, 200).body["items"].([]any)[0].(map[string]any)
	if d["delivered_at"] != nil || gets != 0 || !strings.Contains(d["last_error"].(string), "301") {
		t.Fatalf("a redirect counted as delivered (GETs %d): %v", gets, d)
	}
}

func TestWebhooksAreSignedAndRetried(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	var mu sync.Mutex
	var got []string
	calls := 0
	secret := "a-webhook-secret-of-length"
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls++
		if r.Header.Get("X-Yizhan-Signature") != notify.Sign(secret, body) {
			t.Errorf("bad signature %q", r.Header.Get("X-Yizhan-Signature"))
		}
		if calls == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // the first try fails
			return
		}
		got = append(got, string(body))
	}))
	defer hook.Close()
	z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": hook.URL, "secret": "short"}).expect(t, 400, "weak_secret")
	z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": "ftp://x", "secret": secret}).expect(t, 400, "invalid_url")
	wh := z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": hook.URL, "secret": secret, "events": []string{"dispatch"}}).expect(t, 201)
	id := z.newCase("dispatcher", nil)
	z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)

	now := time.Now()
	sender := &notify.Webhooks{Outbox: z.st, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
	ctx := context.Background()
	if n, err := sender.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("first run: %d %v", n, err)
	}
	if n, _ := sender.RunOnce(ctx); n != 0 {
		t.Fatal("retried before its backoff")
	}
	now = now.Add(2 * time.Second)
	if n, err := sender.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("retry: %d %v", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || !strings.Contains(got[0], `"type":"dispatch"`) {
		t.Fatalf("delivered %v", got)
	}
	ds := z.call("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", wh.id()), "admin", nil).expect(t, 200)
	d := ds.body["items"].([]any)[0].(map[string]any)
	if d["attempts"].(float64) != 2 || d["delivered_at"] == nil {
		t.Fatalf("delivery %v", d)
	}
}
