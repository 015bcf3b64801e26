package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

var (
	zone    = storetest.Zone
	t0      = time.Date(2026, 11, 27, 9, 30, 0, 0, zone)
	admin   = casework.Actor{UserID: 1, Username: "admin", Name: "管理员", Role: casework.RoleAdmin}
	allSeen = casework.Scope{All: true}
)

// TestSuite runs the same checks on every backend.
func TestSuite(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			for name, fn := range suite {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					fn(t, b.Open(t))
				})
			}
		})
	}
}

var suite = map[string]func(t *testing.T, st *store.Store){
	"create numbers and reads back":      testCreate,
	"idempotency key":                    testIdempotency,
	"act writes event and projection":    testAct,
	"refused action writes nothing":      testRefusal,
	"merge updates both cases":           testMerge,
	"list pages, filters and scopes":     testList,
	"concurrent creates share commits":   testConcurrentCreates,
	"status counts follow transitions":   testStatusCounts,
	"units users and tokens":             testAccounts,
	"migrations are idempotent on reuse": testSchemaVersion,
	"clocks from the fields they read":   testClockFields,
}

func newCase(t *testing.T, st *store.Store, at time.Time, text string) casework.Case {
	t.Helper()
	return storetest.Receive(t, st, admin, at, text, "13800000001")
}

func act(st *store.Store, id int64, cmd casework.Command, at time.Time, refs func(int64) *casework.UnitRef) (casework.Decision, error) {
	if refs == nil {
		return storetest.Act(st, admin, id, cmd, at)
	}
	return st.Act(context.Background(), store.ActRequest{CaseID: id, Scope: allSeen, Command: cmd, Unit: refs, Now: at,
		Decide: func(c casework.Case, r casework.Refs) (casework.Decision, error) {
			return casework.Decide(c, cmd, admin, r, casework.Env{Now: at, Types: casework.ContractTypes{}})
		}})
}

func testCreate(t *testing.T, st *store.Store) {
	a := newCase(t, st, t0, "厂里拖欠工资")
	b := newCase(t, st, t0.Add(time.Minute), "又一起欠薪")
	c := newCase(t, st, t0.Add(24*time.Hour), "第二天的报警")
	if a.Number != "FJ20261127-0001" || b.Number != "FJ20261127-0002" || c.Number != "FJ20261128-0001" {
		t.Fatalf("numbers %s %s %s", a.Number, b.Number, c.Number)
	}
	got, err := st.GetCase(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "厂里拖欠工资" || got.Status != casework.StatusReceived || got.Category != "labor" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("read back %+v", got)
	}
	evs, err := st.Events(context.Background(), a.ID)
	if err != nil || len(evs) != 1 || evs[0].Action != casework.ActionReceive || evs[0].Changes["status"].To != "received" {
		t.Fatalf("events %+v %v", evs, err)
	}
	if _, err := st.GetCase(context.Background(), 9999); !errors.Is(err, casework.ErrCaseNotFound) {
		t.Fatalf("missing case: %v", err)
	}
}

func testIdempotency(t *testing.T, st *store.Store) {
	ctx := context.Background()
	in := casework.Intake{Channel: "110", Text: "重试的请求"}
	_ = in.Validate(admin)
	c, ev, _ := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, t0)
	first, err := st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}, IdempotencyKey: "k1", RequestHash: "h1"})
	if err != nil || first.Replayed {
		t.Fatalf("first: %v %v", err, first.Replayed)
	}
	again, err := st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}, IdempotencyKey: "k1", RequestHash: "h1"})
	if err != nil || !again.Replayed || again.Case.ID != first.Case.ID {
		t.Fatalf("replay: %v %v %d/%d", err, again.Replayed, again.Case.ID, first.Case.ID)
	}
	_, err = st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}, IdempotencyKey: "k1", RequestHash: "other"})
	if !errors.Is(err, store.ErrIdempotencyMismatch) {
		t.Fatalf("mismatch: %v", err)
	}
	page, _ := st.ListCases(ctx, store.CaseFilter{Scope: allSeen, Limit: 10})
	if len(page.Items) != 1 {
		t.Fatalf("%d cases after retries, want 1", len(page.Items))
	}
}

func testAct(t *testing.T, st *store.Store) {
	c := newCase(t, st, t0, "邻里纠纷")
	unit := int64(3)
	d, err := act(st, c.ID, casework.Command{Action: casework.ActionDispatch, UnitID: &unit}, t0.Add(time.Minute), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Case.Status != casework.StatusDispatched || *d.Case.UnitID != 3 || d.Event.Seq != 2 {
		t.Fatalf("decision %+v", d)
	}
	got, _ := st.GetCase(context.Background(), c.ID)
	if got.Status != casework.StatusDispatched || got.UnitID == nil || *got.UnitID != 3 || got.Version != 2 {
		t.Fatalf("projection %+v", got)
	}
	evs, _ := st.Events(context.Background(), c.ID)
	if len(evs) != 2 || evs[1].Action != casework.ActionDispatch || evs[1].UnitID == nil || *evs[1].UnitID != 3 {
		t.Fatalf("events %+v", evs)
	}
	if evs[1].Details["unit_name"] != "单位3" {
		t.Fatalf("details %+v", evs[1].Details)
	}
}

// testClockFields checks that the clocks computed from the few fields of
// the events they read (a list's, and a write's) are those of the whole
// timeline (the case page's), through a pause and an extension.
func testClockFields(t *testing.T, st *store.Store) {
	c := newCase(t, st, t0, "车间欠薪三个月")
	unit := int64(3)
	until := t0.Add(72 * time.Hour)
	steps := []casework.Command{
		{Action: casework.ActionDispatch, UnitID: &unit},
		{Action: casework.ActionPause, Reason: "等待当事人到场"},
		{Action: casework.ActionResume},
		{Action: casework.ActionExtend, Stage: "resolve", Until: &until, Reason: "需要鉴定"},
		{Action: casework.ActionApproveExt, Stage: "resolve"},
	}
	for i, cmd := range steps {
		at := t0.Add(time.Duration(i+1) * 30 * time.Minute)
		d, err := act(st, c.ID, cmd, at, nil)
		if err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
		got, want := clocksListedAndPaged(t, st, c.ID, at)
		if got != want {
			t.Fatalf("after %s the list's clocks\n%s\nthe page's\n%s", cmd.Action, got, want)
		}
		if got := fmt.Sprint(d.Case.Deadlines); got != want {
			t.Fatalf("after %s the write's clocks\n%s\nthe page's\n%s", cmd.Action, got, want)
		}
	}
	if len(c.Deadlines) == 0 {
		t.Fatal("the case has no clocks to compare")
	}
}

func testRefusal(t *testing.T, st *store.Store) {
	c := newCase(t, st, t0, "拒绝的操作")
	_, err := act(st, c.ID, casework.Command{Action: casework.ActionClose}, t0, nil)
	if e, ok := casework.AsError(err); !ok || e.Kind != casework.KindConflict {
		t.Fatalf("close from received: %v", err)
	}
	got, _ := st.GetCase(context.Background(), c.ID)
	evs, _ := st.Events(context.Background(), c.ID)
	if got.Version != 1 || got.Status != casework.StatusReceived || len(evs) != 1 {
		t.Fatalf("refusal changed the case: %+v, %d events", got, len(evs))
	}
	if _, err := st.Act(context.Background(), store.ActRequest{CaseID: 12345, Scope: allSeen, Command: casework.Command{Action: casework.ActionNote, Note: "x"}}); !errors.Is(err, casework.ErrCaseNotFound) {
		t.Fatalf("unknown case: %v", err)
	}
	// A case outside the scope is as unknown as a missing one.
	other := casework.Scope{Units: map[int64]bool{42: true}}
	_, err = st.Act(context.Background(), store.ActRequest{CaseID: c.ID, Scope: other, Command: casework.Command{Action: casework.ActionNote, Note: "x"}})
	if !errors.Is(err, casework.ErrCaseNotFound) {
		t.Fatalf("out of scope: %v", err)
	}
}

func testMerge(t *testing.T, st *store.Store) {
	master := newCase(t, st, t0, "工人堵门讨薪")
	dup := newCase(t, st, t0.Add(time.Minute), "厂门口围了好多工人")
	_, err := act(st, dup.ID, casework.Command{Action: casework.ActionMerge, Into: &master.ID}, t0.Add(2*time.Minute), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := st.GetCase(context.Background(), master.ID)
	d, _ := st.GetCase(context.Background(), dup.ID)
	if m.Repeats != 1 || m.Version != 2 || d.Status != casework.StatusMerged || *d.DuplicateOf != master.ID {
		t.Fatalf("master %+v dup %+v", m, d)
	}
	evs, _ := st.Events(context.Background(), master.ID)
	if len(evs) != 2 || evs[1].Action != casework.ActionDuplicateAdded {
		t.Fatalf("master events %+v", evs)
	}
	third := newCase(t, st, t0.Add(3*time.Minute), "第三个电话")
	_, err = act(st, third.ID, casework.Command{Action: casework.ActionMerge, Into: &dup.ID}, t0.Add(4*time.Minute), nil)
	if e, ok := casework.AsError(err); !ok || e.Kind != casework.KindConflict {
		t.Fatalf("merge into a merged case: %v", err)
	}
}

func testList(t *testing.T, st *store.Store) {
	ctx := context.Background()
	var ids []int64
	for i := range 25 {
		c := newCase(t, st, t0.Add(time.Duration(i)*time.Minute), fmt.Sprintf("第%d起 五金厂欠薪", i))
		ids = append(ids, c.ID)
	}
	unit := int64(5)
	if _, err := act(st, ids[3], casework.Command{Action: casework.ActionDispatch, UnitID: &unit}, t0.Add(time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	var seen []int64
	cursor := ""
	for {
		page, err := st.ListCases(ctx, store.CaseFilter{Scope: allSeen, Limit: 10, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			seen = append(seen, c.ID)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if len(seen) != 25 || seen[0] != ids[24] || seen[24] != ids[0] {
		t.Fatalf("paging saw %v", seen)
	}
	page, _ := st.ListCases(ctx, store.CaseFilter{Scope: allSeen, Limit: 50, Statuses: []casework.Status{casework.StatusDispatched}})
	if len(page.Items) != 1 || page.Items[0].ID != ids[3] {
		t.Fatalf("status filter: %d", len(page.Items))
	}
	from, to := t0.Add(5*time.Minute), t0.Add(10*time.Minute)
	page, _ = st.ListCases(ctx, store.CaseFilter{Scope: allSeen, Limit: 50, From: &from, To: &to})
	if len(page.Items) != 5 {
		t.Fatalf("period filter: %d", len(page.Items))
	}
	page, _ = st.ListCases(ctx, store.CaseFilter{Scope: allSeen, Limit: 50, Q: "第7起"})
	if len(page.Items) != 1 {
		t.Fatalf("text search: %d", len(page.Items))
	}
	page, _ = st.ListCases(ctx, store.CaseFilter{Scope: allSeen, Limit: 50, Q: "100%"})
	if len(page.Items) != 0 {
		t.Fatalf("LIKE wildcards must be literal: %d", len(page.Items))
	}
	scoped := casework.Scope{Units: map[int64]bool{5: true}}
	page, _ = st.ListCases(ctx, store.CaseFilter{Scope: scoped, Limit: 50})
	if len(page.Items) != 1 || page.Items[0].ID != ids[3] {
		t.Fatalf("scope: %d", len(page.Items))
	}
	if _, err := st.ListCases(ctx, store.CaseFilter{Scope: allSeen, Limit: 5, Cursor: "!!"}); !errors.Is(err, store.ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func testConcurrentCreates(t *testing.T, st *store.Store) {
	const n = 200
	var wg sync.WaitGroup
	numbers := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := casework.Intake{Channel: "110", Text: fmt.Sprintf("并发报警 %d", i)}
			_ = in.Validate(admin)
			c, ev, _ := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, t0)
			got, err := st.CreateCase(context.Background(), store.NewCase{Case: c, Events: []casework.Event{ev}, IdempotencyKey: fmt.Sprintf("k%d", i%150), RequestHash: fmt.Sprintf("h%d", i%150)})
			if err != nil {
				errs <- err
				return
			}
			numbers <- got.Case.Number
		}()
	}
	wg.Wait()
	close(numbers)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for num := range numbers {
		distinct[num] = true
	}
	if len(distinct) != 150 {
		t.Fatalf("%d distinct cases, want 150 (50 retries share a key)", len(distinct))
	}
	// A batch counts its creations in case_counters once: the numbers
	// still run without a gap (a retry's rolled-back number is taken
	// again), and the next creation counts on from the last.
	prefix := newCase(t, st, t0, "并发之后").Number
	prefix = prefix[:len(prefix)-4]
	for i := 1; i <= 150; i++ {
		if want := fmt.Sprintf("%s%04d", prefix, i); !distinct[want] {
			t.Fatalf("no case numbered %s", want)
		}
	}
	if next := newCase(t, st, t0, "再一件").Number; next != prefix+"0152" {
		t.Fatalf("next number %s, want %s0152", next, prefix)
	}
}

func testStatusCounts(t *testing.T, st *store.Store) {
	a := newCase(t, st, t0, "一")
	newCase(t, st, t0, "二")
	unit := int64(2)
	if _, err := act(st, a.ID, casework.Command{Action: casework.ActionDispatch, UnitID: &unit}, t0, nil); err != nil {
		t.Fatal(err)
	}
	counts, err := st.StatusCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[casework.Status]int64{}
	for _, c := range counts {
		got[c.Status] += c.N
	}
	if got[casework.StatusReceived] != 1 || got[casework.StatusDispatched] != 1 {
		t.Fatalf("counts %v", got)
	}
}

func testAccounts(t *testing.T, st *store.Store) {
	ctx := context.Background()
	center, err := st.CreateUnit(ctx, routing.NewUnit{Name: "中心", Kind: routing.KindCenter}, t0)
	if err != nil {
		t.Fatal(err)
	}
	team, err := st.CreateUnit(ctx, routing.NewUnit{Name: "处置队", Kind: routing.KindResponseTeam, ParentID: &center.ID}, t0)
	if err != nil || *team.ParentID != center.ID {
		t.Fatalf("unit: %+v %v", team, err)
	}
	units, _ := st.Units(ctx)
	if len(units) != 2 {
		t.Fatalf("units %d", len(units))
	}
	u, err := st.CreateUser(ctx, account.NewUser{Username: "zhao", Name: "赵某", Role: casework.RoleResponder, UnitID: &team.ID}, "", false, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, account.NewUser{Username: "zhao", Name: "另一个", Role: casework.RoleGrid}, "", false, t0); !errors.Is(err, store.ErrUsernameTaken) {
		t.Fatalf("duplicate username: %v", err)
	}
	token := account.NewToken()
	if _, err := st.CreateToken(ctx, u.ID, account.HashToken(token), account.TokenAPI, "", t0, nil); err != nil {
		t.Fatal(err)
	}
	got, err := st.UserByToken(ctx, account.HashToken(token), t0)
	if err != nil || got.Username != "zhao" || *got.UnitID != team.ID {
		t.Fatalf("by token: %+v %v", got, err)
	}
	exp := t0.Add(time.Hour)
	session := account.NewToken()
	_, _ = st.CreateToken(ctx, u.ID, account.HashToken(session), account.TokenSession, "", t0, &exp)
	if _, err := st.UserByToken(ctx, account.HashToken(session), t0.Add(2*time.Hour)); !errors.Is(err, store.ErrBadToken) {
		t.Fatalf("expired session: %v", err)
	}
	if _, err := st.UserByToken(ctx, account.HashToken("nope"), t0); !errors.Is(err, store.ErrBadToken) {
		t.Fatalf("unknown token: %v", err)
	}
	if err := st.EnsureToken(ctx, u.ID, account.HashToken("fixed-admin-token-1"), "env", t0); err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureToken(ctx, u.ID, account.HashToken("fixed-admin-token-1"), "env", t0); err != nil {
		t.Fatalf("ensure twice: %v", err)
	}
}

func testSchemaVersion(t *testing.T, st *store.Store) {
	v, err := st.SchemaVersion(context.Background())
	if err != nil || v < 1 {
		t.Fatalf("schema version %d %v", v, err)
	}
}

// TestWritePanicFailsOnlyItsRequest: a panic inside one write answers that
// request with an error and leaves the writer serving the others.
func TestWritePanicFailsOnlyItsRequest(t *testing.T) {
	t.Parallel()
	st := storetest.SQLite(t)
	_, err := st.Act(context.Background(), store.ActRequest{CaseID: newCase(t, st, t0, "一").ID, Scope: allSeen,
		Command: casework.Command{Action: casework.ActionNote, Note: "x"}, Unit: func(int64) *casework.UnitRef { return nil },
		Decide: func(casework.Case, casework.Refs) (casework.Decision, error) { panic("boom") }})
	if err == nil {
		t.Fatal("a panicking write succeeded")
	}
	if c := newCase(t, st, t0, "二"); c.ID == 0 {
		t.Fatal("the writer stopped after a panic")
	}
}

// TestKeptClocksFollowAnotherNode checks the clock marks a node keeps
// against writes it did not make: another node's actions on the same
// database show on the first node's lists and writes as they would on a
// node that kept nothing.
func TestKeptClocksFollowAnotherNode(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		a, _ := tg.Open(t)
		b, _ := tg.Open(t)
		c := newCase(t, a, t0, "车间欠薪三个月")
		same := func(when string, at time.Time) {
			t.Helper()
			for _, st := range []*store.Store{a, b} {
				if g, w := clocksListedAndPaged(t, st, c.ID, at); g != w {
					t.Fatalf("%s: a node's list shows the clocks\n%s\nthe timeline\n%s", when, g, w)
				}
			}
		}
		same("created", t0.Add(time.Minute))
		unit := int64(3)
		steps := []struct {
			on  *store.Store
			cmd casework.Command
		}{
			{b, casework.Command{Action: casework.ActionDispatch, UnitID: &unit}},
			{b, casework.Command{Action: casework.ActionPause, Reason: "等待当事人到场"}},
			{a, casework.Command{Action: casework.ActionResume}},
			{b, casework.Command{Action: casework.ActionNote, Note: "已联系企业负责人"}},
		}
		for i, s := range steps {
			at := t0.Add(time.Duration(i+1) * 40 * time.Minute)
			if _, err := act(s.on, c.ID, s.cmd, at, nil); err != nil {
				t.Fatalf("%s: %v", s.cmd.Action, err)
			}
			same(string(s.cmd.Action), at.Add(time.Minute))
		}
	})
}

// TestClocksOfAnEventWithTheNULEscape: an event whose data spells U+0000
// (\u0000, which the API now refuses but older rows may hold) does not
// stop its case's clocks from being read: PostgreSQL cannot read such
// text as JSON, so its data is decoded here.
func TestClocksOfAnEventWithTheNULEscape(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		ctx := context.Background()
		a, _ := tg.Open(t)
		c := newCase(t, a, t0, "车间欠薪三个月")
		if _, err := act(a, c.ID, casework.Command{Action: casework.ActionPause, Reason: "等待\x00当事人"}, t0.Add(time.Minute), nil); err != nil {
			t.Fatal(err)
		}
		b, _ := tg.Open(t) // keeps nothing: reads the timeline
		got, err := b.GetCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		listed := []casework.Case{got}
		if err := b.WithDeadlines(ctx, listed, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if len(listed[0].Deadlines) == 0 || !listed[0].Deadlines[2].Paused {
			t.Fatalf("the paused case's clocks: %+v", listed[0].Deadlines)
		}
		if _, err := act(b, c.ID, casework.Command{Action: casework.ActionResume}, t0.Add(time.Hour), nil); err != nil {
			t.Fatal(err)
		}
	})
}

// TestKeptClocksAreTheStoredOnes: an action timed finer than the database
// keeps (a microsecond) shows the same clocks kept from the write as read
// back from the timeline.
func TestKeptClocksAreTheStoredOnes(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		c := newCase(t, st, t0, "车间欠薪三个月")
		unit := int64(3)
		at := t0.Add(10*time.Minute + 1500*time.Nanosecond).UTC()
		if _, err := act(st, c.ID, casework.Command{Action: casework.ActionDispatch, UnitID: &unit}, at, nil); err != nil {
			t.Fatal(err)
		}
		if g, w := clocksListedAndPaged(t, st, c.ID, at.Add(time.Hour)); g != w {
			t.Fatalf("kept clocks\n%s\nthe timeline's\n%s", g, w)
		}
	})
}

// TestRepeatCallsOnTwoNodesReadOnlyWhatIsNew: repeat calls of one
// incident reaching two PostgreSQL nodes in turn (a load balancer's round
// robin) each find the master at a version the other node made. The
// writer reads only the events since the version it kept, not the
// master's whole timeline on every call.
func TestRepeatCallsOnTwoNodesReadOnlyWhatIsNew(t *testing.T) {
	t.Parallel()
	tg := storetest.FreshPostgres(t)
	ctx := context.Background()
	a, _ := tg.Open(t)
	const key = "phone:13800000001"
	report := func(st *store.Store, i int) store.Created {
		t.Helper()
		at := t0.Add(time.Duration(i) * time.Second)
		c, ev := storetest.Received(t, casework.Intake{Channel: "110", Text: "某五金制品有限公司门口工人聚集讨薪", Type: "wage_arrears",
			Reporter: casework.Reporter{Name: "张某", Phone: fmt.Sprintf("1380000%04d", i+1)}}, admin, at)
		check := &store.DuplicateCheck{Lookups: []store.KeyLookup{{Key: key, Since: at.Add(-time.Hour)}}, Index: []string{key},
			Decide: func(c casework.Case, evs []casework.Event, found []casework.Case) store.DuplicateOutcome {
				out := store.DuplicateOutcome{Case: c, Events: evs}
				for _, f := range found {
					if f.Status != casework.StatusMerged {
						out.Case, out.Events = casework.MergeOnReceipt(c, evs, f, casework.DuplicateMatch{ID: f.ID, Number: f.Number}, at)
						out.Master = &f
						out.Update = func(m, dup casework.Case) (casework.Case, casework.Event) {
							return casework.AddDuplicate(m, dup, casework.SystemActor, "合并", at)
						}
						break
					}
				}
				return out
			}}
		created, err := st.CreateCase(ctx, store.NewCase{Case: c, Events: []casework.Event{ev}, Duplicates: check})
		if err != nil {
			t.Fatal(err)
		}
		return created
	}
	const busy = 60
	for i := range busy {
		report(a, i)
	}
	b, _ := tg.Open(t)
	read := func() float64 { return clockEventsRead(t, a) + clockEventsRead(t, b) }
	before := read()
	var master *casework.Case
	for i := busy; i < busy+20; i++ {
		created := report([]*store.Store{a, b}[i%2], i)
		if master = created.Master; master == nil {
			t.Fatalf("call %d was not merged", i)
		}
	}
	// b reads the master's timeline once (60 events and more); after that
	// every call reads the one or two events the other node wrote.
	if n := read() - before; n > 2*busy {
		t.Fatalf("20 calls alternating between two nodes read %.0f events to compute the master's clocks", n)
	}
	for _, st := range []*store.Store{a, b} {
		if g, w := clocksListedAndPaged(t, st, master.ID, t0.Add(time.Hour)); g != w || w == "[]" {
			t.Fatalf("a node's clocks of the master\n%s\nthe timeline's\n%s", g, w)
		}
	}
}

// clockEventsRead is the store's count of events read for clocks.
func clockEventsRead(t *testing.T, st *store.Store) float64 {
	t.Helper()
	for _, c := range st.Collectors() {
		ch := make(chan *prometheus.Desc, 1)
		c.Describe(ch)
		if strings.Contains((<-ch).String(), "yizhan_store_clock_events_read_total") {
			return testutil.ToFloat64(c)
		}
	}
	t.Fatal("no yizhan_store_clock_events_read_total")
	return 0
}

// clocksListedAndPaged answers a case's clocks at at as a list computes
// them (WithDeadlines: from the marks kept, or the few fields of the
// events the clocks read) and as its page does (the whole timeline),
// printed for comparison.
func clocksListedAndPaged(t *testing.T, st *store.Store, id int64, at time.Time) (listed, paged string) {
	t.Helper()
	ctx := context.Background()
	c, err := st.GetCase(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	cs := []casework.Case{c}
	if err := st.WithDeadlines(ctx, cs, at); err != nil {
		t.Fatal(err)
	}
	page, _, err := st.CaseWithTimeline(ctx, id, at)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(cs[0].Deadlines), fmt.Sprint(page.Deadlines)
}
