// Package scheduler fires SLA warnings and breaches when they fall due:
// one loop for all cases, reading the due times from an index in the
// database, so that it survives restarts (what fell due while the server
// was down fires at start) and several nodes can run it at once (each
// firing is written once, by whichever node commits first).
package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
)

// Publisher tells the world what the scheduler wrote.
type Publisher interface {
	Publish(ctx context.Context, c casework.Case, evs []casework.Event)
}

// Scheduler is the SLA clock service.
type Scheduler struct {
	Store   *store.Store
	Publish Publisher
	SMS     notify.SMS
	Log     *slog.Logger
	Now     func() time.Time
	// MaxIdle bounds how long the loop sleeps without looking, so that a
	// clock another node scheduled is not missed for long (default 250ms).
	MaxIdle time.Duration
	// Workers fire due cases in parallel so that their writes share
	// commits (default 16).
	Workers int

	stop context.CancelFunc
	done chan struct{}

	lateness prometheus.Histogram
	fired    *prometheus.CounterVec
}

func (s *Scheduler) defaults() {
	s.Log = cmp.Or(s.Log, slog.Default())
	if s.Now == nil {
		s.Now = time.Now
	}
	s.MaxIdle = cmp.Or(s.MaxIdle, 250*time.Millisecond)
	s.Workers = cmp.Or(s.Workers, 16)
	if s.lateness == nil {
		s.lateness = prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "yizhan_sla_firing_lateness_seconds",
			Help:    "Time from a clock falling due to the scheduler recording it.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2, 5, 30},
		})
		s.fired = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "yizhan_sla_events_total",
			Help: "SLA events the scheduler wrote, by kind.",
		}, []string{"action"})
	}
}

// Collectors are the scheduler's metrics.
func (s *Scheduler) Collectors() []prometheus.Collector {
	s.defaults()
	return []prometheus.Collector{s.lateness, s.fired}
}

// Start runs the loop until Stop.
func (s *Scheduler) Start(ctx context.Context) {
	s.defaults()
	ctx, s.stop = context.WithCancel(ctx)
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		for {
			n, err := s.Tick(ctx, s.Now())
			if err != nil && ctx.Err() == nil {
				s.Log.Warn("sla scheduler", "err", err)
			}
			if n > 0 {
				continue // more may be due: look again at once
			}
			wait := s.MaxIdle
			if next, err := s.Store.NextClock(ctx); err == nil && next != nil {
				wait = min(wait, max(time.Until(*next), 0))
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
	}()
}

// Stop ends the loop and waits for the firing in progress.
func (s *Scheduler) Stop() {
	if s.stop != nil {
		s.stop()
		<-s.done
	}
}

// Tick fires every case whose clock is due at now and answers how many it
// looked at. Tests call it with an injected time.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) (int, error) {
	s.defaults()
	ids, err := s.Store.DueClocks(ctx, now, 512)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	leader := s.dutyLeader(ctx, now)
	var wg sync.WaitGroup
	work := make(chan int64)
	errs := make(chan error, len(ids))
	for range min(s.Workers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if err := s.fire(ctx, id, now, leader); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		return len(ids), err
	}
	return len(ids), nil
}

func (s *Scheduler) fire(ctx context.Context, id int64, now time.Time, leader *casework.DutyLeader) error {
	c, evs, err := s.Store.Fire(ctx, id, now, func(c casework.Case, evs []casework.Event) []casework.Event {
		return casework.Alarms(c, evs, now, leader)
	})
	if errors.Is(err, store.ErrConcurrentUpdate) {
		return nil // another node or an action got there first; it rescheduled the case
	}
	if err != nil {
		return fmt.Errorf("fire case %d: %w", id, err)
	}
	if len(evs) == 0 {
		return nil
	}
	for _, ev := range evs {
		s.fired.WithLabelValues(string(ev.Action)).Inc()
		if due, err := time.Parse(time.RFC3339, fmt.Sprint(ev.Details["due_at"])); err == nil && ev.Action == casework.ActionDeadlineBreach {
			s.lateness.Observe(max(s.Now().Sub(due), 0).Seconds())
		}
		if ev.Action == casework.ActionSupervise && leader != nil && leader.Phone != "" && s.SMS != nil {
			text := fmt.Sprintf("【一站】工单%s“%s”环节已超时，系统已自动督办，请督促承办单位落实。", c.Number, ev.Details["stage_label"])
			if err := s.SMS.Send(ctx, leader.Phone, text); err != nil {
				s.Log.Warn("sms to duty leader", "err", err)
			}
		}
	}
	if s.Publish != nil {
		s.Publish.Publish(ctx, c, evs)
	}
	return nil
}

// dutyLeader answers the leader on duty at a center now (带班领导), nil
// when the roster names none.
func (s *Scheduler) dutyLeader(ctx context.Context, now time.Time) *casework.DutyLeader {
	shifts, err := s.Store.Shifts(ctx, now.Add(-routing.MaxShift), now.Add(time.Second))
	if err != nil {
		s.Log.Warn("duty leader", "err", err)
		return nil
	}
	for _, sh := range routing.OnDuty(shifts, now) {
		if !sh.Leader {
			continue
		}
		p, err := s.Store.GetPerson(ctx, sh.PersonID)
		if err != nil {
			continue
		}
		return &casework.DutyLeader{PersonID: p.ID, Name: p.Name, Phone: p.Phone}
	}
	return nil
}
