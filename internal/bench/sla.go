package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"syscall"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/demo"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/sla/scheduler"
	"github.com/yizhan/yizhan/internal/store"
)

// benchPolicy has one clock of 100 seconds: warning at 80 s, breach at
// 100 s, so that firings of many clocks can be watched in a short run.
const benchPolicy = `policies:
  - name: bench
    stages:
      - {stage: respond, stop: first_action, target: 100s}
`

// slaFiring loads open clocks whose warnings and breaches fall due over
// the next minutes, runs the scheduler, and measures how late each firing
// is recorded; and the scheduler's CPU use while nothing is due, against
// the process's idle use without it.
func slaFiring(ctx context.Context, o Options) (map[string]any, error) {
	dir, err := os.MkdirTemp("", "yizhan-bench-sla-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ps, err := sla.ParsePolicies([]byte(benchPolicy))
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, store.Options{DataDir: dir, Location: o.Location, Logger: o.Log,
		Clocks: &casework.Clocks{Policies: ps, Calendar: sla.DefaultCalendar()}})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if _, err := demo.LoadDirectory(ctx, st, o.Location, time.Now()); err != nil {
		return nil, err
	}
	admin, err := st.UserByUsername(ctx, "zhiban")
	if err != nil {
		return nil, err
	}
	// Warnings fall due from 20 s after loading, plus 200 µs a clock for
	// the load itself (reported as clocks_load_s), spread evenly over the
	// window: the window's length sets the firing rate, the clock count
	// the index's size.
	rnd := rand.New(rand.NewPCG(3, 3))
	loaded := time.Now()
	first := loaded.Add(20*time.Second + time.Duration(o.SLAClocks)*200*time.Microsecond)
	var batch []store.BulkCase
	flush := func() error {
		err := st.LoadHistory(ctx, batch, time.Now())
		batch = batch[:0]
		return err
	}
	spread := o.SLAWindow * 4 // most clocks stay open, due after the window
	for i := range o.SLAClocks {
		warnAt := first.Add(time.Duration(rnd.Int64N(int64(spread))))
		created := warnAt.Add(-80 * time.Second)
		in := casework.Intake{Channel: "110", Text: fmt.Sprintf("时限测试工单%d", i)}
		_ = in.Validate(admin.Actor())
		c, ev, err := casework.Receive(in, casework.Classification{Category: "other", Type: "other", Risk: "low"}, casework.ContractTypes{}, admin.Actor(), created)
		if err != nil {
			return nil, err
		}
		batch = append(batch, store.BulkCase{Case: c, Events: []casework.Event{ev}})
		if len(batch) == 5000 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	loadTook := time.Since(loaded)
	if time.Now().After(first.Add(-12 * time.Second)) {
		return nil, fmt.Errorf("loading %d clocks took too long to measure idle use first", o.SLAClocks)
	}

	// Idle: ten seconds without the scheduler, then ten with it, before
	// anything is due.
	idleBase := cpuOver(5 * time.Second)
	s := &scheduler.Scheduler{Store: st, Log: o.Log}
	s.Start(ctx)
	defer s.Stop()
	idleSched := cpuOver(5 * time.Second)

	end := first.Add(o.SLAWindow)
	time.Sleep(time.Until(end.Add(2 * time.Second)))
	s.Stop()

	var lat latencies
	counts := map[string]int{}
	page := ""
	for {
		p, err := st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Limit: 500, Cursor: page,
			From: ptr(first.Add(-80 * time.Second)), To: ptr(end.Add(-80 * time.Second))})
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(p.Items))
		for i, c := range p.Items {
			ids[i] = c.ID
		}
		evs, err := st.EventsOf(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, list := range evs {
			for _, ev := range list {
				if ev.Action != casework.ActionDeadlineWarning && ev.Action != casework.ActionDeadlineBreach {
					continue
				}
				key := "due_at"
				if ev.Action == casework.ActionDeadlineWarning {
					key = "warn_at"
				}
				if due, err := time.Parse(time.RFC3339Nano, fmt.Sprint(ev.Details[key])); err == nil {
					lat.add(ev.At.Sub(due))
				}
				counts[string(ev.Action)]++
			}
		}
		if p.NextCursor == nil {
			break
		}
		page = *p.NextCursor
	}
	return map[string]any{"open_clocks": o.SLAClocks, "clocks_load_s": round(loadTook.Seconds()), "window_s": o.SLAWindow.Seconds(), "warnings": counts["deadline_warning"],
		"breaches": counts["deadline_breach"], "lateness_p50_ms": lat.q(0.5), "lateness_p99_ms": lat.q(0.99), "lateness_max_ms": lat.q(1),
		"idle_cpu_percent_with_scheduler": round(idleSched), "baseline_idle_cpu_percent_without": round(idleBase),
		"what": "open clocks in the database index; warnings (80%) and breaches falling due over the window; lateness = time the event was recorded minus the time it fell due; CPU of this whole process over 5 s while nothing was due"}, nil
}

// cpuOver answers the process's CPU use, in percent of one core, over d.
func cpuOver(d time.Duration) float64 {
	var a, b syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &a)
	t := time.Now()
	time.Sleep(d)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &b)
	used := time.Duration(b.Utime.Nano()+b.Stime.Nano()-a.Utime.Nano()-a.Stime.Nano()) * time.Nanosecond
	return 100 * used.Seconds() / time.Since(t).Seconds()
}
