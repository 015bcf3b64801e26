package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

var (
	zone  = storetest.Zone
	t0    = time.Date(2026, 11, 27, 9, 0, 0, 0, zone)
	admin = casework.Actor{UserID: 1, Username: "zhiban", Name: "值班员", Role: casework.RoleDispatcher}
	quiet = slog.New(slog.DiscardHandler)
)

type recorder struct {
	mu  sync.Mutex
	evs []casework.Event
	sms []string
}

func (r *recorder) Publish(_ context.Context, _ casework.Case, evs []casework.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, evs...)
}

func (r *recorder) Send(_ context.Context, phone, text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sms = append(r.sms, phone+" "+text)
	return nil
}

func newCase(t *testing.T, st *store.Store, at time.Time) casework.Case {
	t.Helper()
	in := casework.Intake{Channel: "110", Text: "厂门口工人讨薪"}
	if err := in.Validate(admin); err != nil {
		t.Fatal(err)
	}
	c, ev, err := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, at)
	if err != nil {
		t.Fatal(err)
	}
	created, err := st.CreateCase(context.Background(), store.NewCase{Case: c, Events: []casework.Event{ev}})
	if err != nil {
		t.Fatal(err)
	}
	return created.Case
}

func timeline(t *testing.T, st *store.Store, id int64) []string {
	t.Helper()
	evs, err := st.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		s := string(ev.Action)
		if stage, ok := ev.Details["stage"]; ok {
			s += ":" + fmt.Sprint(stage)
		}
		out = append(out, s)
	}
	return out
}

// leaderOnDuty puts a leader on the roster around t0.
func leaderOnDuty(t *testing.T, st *store.Store) {
	ctx := context.Background()
	center, err := st.CreateUnit(ctx, routing.NewUnit{Name: "中心", Kind: routing.KindCenter}, t0)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := st.CreatePeople(ctx, []routing.NewPerson{{Name: "李某", Phone: "13800000099", Role: "带班领导", UnitID: center.ID}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateShifts(ctx, []routing.NewShift{{UnitID: center.ID, PersonID: ids[0], Start: t0.Add(-time.Hour), End: t0.Add(23 * time.Hour), Leader: true}}); err != nil {
		t.Fatal(err)
	}
}

func TestWarningsAndBreachesFireOnce(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		leaderOnDuty(t, st)
		rec := &recorder{}
		s := &Scheduler{Store: st, Publish: rec, SMS: rec, Log: quiet}
		c := newCase(t, st, t0)
		ctx := context.Background()

		// Nothing is due before 80% of the one-minute response clock.
		if n, err := s.Tick(ctx, t0.Add(47*time.Second)); err != nil || n != 0 {
			t.Fatalf("early tick: %d %v", n, err)
		}
		if _, err := s.Tick(ctx, t0.Add(48*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(timeline(t, st, c.ID)); got != "[receive deadline_warning:respond]" {
			t.Fatalf("after 48s: %s", got)
		}
		// Ticking again at the same moment writes nothing twice.
		if _, err := s.Tick(ctx, t0.Add(48*time.Second)); err != nil {
			t.Fatal(err)
		}
		next, _ := st.NextClock(ctx)
		if next == nil || !next.Equal(t0.Add(time.Minute)) {
			t.Fatalf("next firing %v, want the respond breach at t0+1m", next)
		}
		// At 2m: respond breached (with automatic supervision), dispatch breached too.
		if _, err := s.Tick(ctx, t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(timeline(t, st, c.ID))
		// One supervision for both late stages, not one each.
		want := "[receive deadline_warning:respond deadline_breach:respond deadline_breach:dispatch supervise:respond]"
		if got != want {
			t.Fatalf("after 2m:\n got %s\nwant %s", got, want)
		}
		evs, _ := st.Events(ctx, c.ID)
		if evs[4].Details["leader_name"] != "李某" || evs[4].Actor != "system" || !strings.Contains(evs[4].Reason, "“派单”") {
			t.Fatalf("supervision not addressed to the duty leader: %+v", evs[4])
		}
		if len(rec.sms) != 1 || len(rec.evs) != 4 {
			t.Fatalf("published %d events, %d sms", len(rec.evs), len(rec.sms))
		}
		// A dispatcher's first action stops nothing already breached but
		// the system's own events never counted as a response.
		got2, _ := st.GetCase(ctx, c.ID)
		ds, _ := st.Clocks().Deadlines(&got2, evs, t0.Add(2*time.Minute))
		for _, d := range ds {
			if d.Stage == "respond" && (d.MetAt != nil || !d.Breached) {
				t.Fatalf("system events counted as a response: %+v", d)
			}
		}
	})
}

func TestOverdueClocksFireAfterRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	open := func() *store.Store {
		st, err := store.Open(context.Background(), store.Options{DataDir: dir, Location: zone, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	c := newCase(t, st, t0)
	st.Close()
	// The server was down for an hour; at start everything overdue fires.
	st = open()
	defer st.Close()
	s := &Scheduler{Store: st, Log: quiet}
	if _, err := s.Tick(context.Background(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(timeline(t, st, c.ID))
	for _, stage := range []string{"respond", "dispatch", "accept", "arrive"} {
		if !strings.Contains(got, "deadline_breach:"+stage) {
			t.Fatalf("%s not fired after restart: %s", stage, got)
		}
	}
	if strings.Contains(got, "deadline_breach:resolve") {
		t.Fatalf("resolve is not due for 24h: %s", got)
	}
}

func TestPausedClocksDoNotFire(t *testing.T) {
	t.Parallel()
	st := storetest.SQLite(t)
	ctx := context.Background()
	c := newCase(t, st, t0)
	cmd := casework.Command{Action: casework.ActionPause, Reason: "等待报警人回电"}
	at := t0.Add(10 * time.Second)
	_, err := st.Act(ctx, store.ActRequest{CaseID: c.ID, Scope: casework.Scope{All: true}, Command: cmd, Now: at,
		Decide: func(c casework.Case, r casework.Refs) (casework.Decision, error) {
			return casework.Decide(c, cmd, admin, r, casework.Env{Now: at, Types: casework.ContractTypes{}})
		}})
	if err != nil {
		t.Fatal(err)
	}
	if next, _ := st.NextClock(ctx); next != nil {
		t.Fatalf("a paused case has a firing at %v", next)
	}
	s := &Scheduler{Store: st, Log: quiet}
	if n, _ := s.Tick(ctx, t0.Add(time.Hour)); n != 0 {
		t.Fatalf("fired %d paused cases", n)
	}
}

func TestConcurrentSchedulersWriteOnce(t *testing.T) {
	t.Parallel()
	// Two nodes: two stores (each with its own writer) on one database.
	tg := storetest.FreshPostgres(t)
	st, _ := tg.Open(t)
	other, _ := tg.Open(t)
	ctx := context.Background()
	var ids []int64
	for range 20 {
		ids = append(ids, newCase(t, st, t0).ID)
	}
	// Two nodes tick at the same moment; neither may fail on the other's
	// events.
	var wg sync.WaitGroup
	for _, node := range []*store.Store{st, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &Scheduler{Store: node, Log: quiet, Workers: 4}
			if _, err := s.Tick(ctx, t0.Add(50*time.Second)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if got := fmt.Sprint(timeline(t, st, id)); got != "[receive deadline_warning:respond]" {
			t.Fatalf("case %d: %s", id, got)
		}
	}
}

func TestSecondScaleTargets(t *testing.T) {
	t.Parallel()
	ps, err := sla.ParsePolicies([]byte("policies:\n  - name: fast\n    stages:\n      - {stage: dispatch, stop: dispatched, target: 3s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir(), Location: zone, Logger: quiet,
		Clocks: &casework.Clocks{Policies: ps, Calendar: sla.DefaultCalendar()}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := newCase(t, st, t0)
	s := &Scheduler{Store: st, Log: quiet}
	for _, at := range []time.Duration{2400 * time.Millisecond, 3 * time.Second} {
		if _, err := s.Tick(context.Background(), t0.Add(at)); err != nil {
			t.Fatal(err)
		}
	}
	if got := fmt.Sprint(timeline(t, st, c.ID)); got != "[receive deadline_warning:dispatch deadline_breach:dispatch supervise:dispatch]" {
		t.Fatalf("a 3s target, ticked at 2.4s and 3s: %s", got)
	}
}
