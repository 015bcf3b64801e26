package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
)

// clockMarks keeps, per case, the marks its clocks are computed from
// (casework.Marks of its timeline) as they stand at one version of the
// case. They are a handful where the timeline of a mass dispute holds
// hundreds of merged repeat calls, each of which would otherwise read the
// whole timeline again to show the busy case's countdown.
//
// An entry is keyed by the version it was read or written at, and every
// write to a case raises its version, so an entry can be out of date but
// never wrong: a case written since (by this node's writer, another node,
// anything) no longer matches and is read again. Writes put what they
// wrote once their batch committed; reads put what they read.
type clockMarks struct {
	mu   sync.Mutex
	max  int
	byID map[int64]markEntry
}

type markEntry struct {
	version int
	marks   []sla.Mark
}

// maxClockMarks bounds the cases kept: about 1 KiB each with ten marks.
const maxClockMarks = 16384

func newClockMarks(max int) *clockMarks {
	return &clockMarks{max: max, byID: map[int64]markEntry{}}
}

// get answers the marks of case id at version, if kept. The slice is
// shared: callers append to a copy (slices.Clip makes append copy).
func (m *clockMarks) get(id int64, version int) ([]sla.Mark, bool) {
	m.mu.Lock()
	e, ok := m.byID[id]
	m.mu.Unlock()
	if !ok || e.version != version {
		return nil, false
	}
	return slices.Clip(e.marks), true
}

// put keeps the marks of case id at version unless a later version is
// kept. When full it forgets an eighth of the cases, whichever the map
// yields first.
func (m *clockMarks) put(id int64, version int, marks []sla.Mark) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.byID[id]; ok && e.version > version {
		return
	}
	if _, ok := m.byID[id]; !ok && len(m.byID) >= m.max {
		drop := max(m.max/8, 1)
		for k := range m.byID {
			delete(m.byID, k)
			if drop--; drop == 0 {
				break
			}
		}
	}
	m.byID[id] = markEntry{version: version, marks: slices.Clip(marks)}
}

// putAll keeps what a committed batch wrote.
func (m *clockMarks) putAll(written map[int64]markEntry) {
	for id, e := range written {
		m.put(id, e.version, e.marks)
	}
}

// noteMarks records, inside a write, the marks of case id at version, for
// the batch's later requests and, once the batch committed, for the cache.
func (s *Store) noteMarks(ctx context.Context, id int64, version int, marks []sla.Mark) {
	d := deltasFrom(ctx)
	if d == nil {
		return
	}
	if d.marks == nil {
		d.marks = map[int64]markEntry{}
	}
	d.marks[id] = markEntry{version: version, marks: slices.Clip(marks)}
}

// keptMarks answers the marks of case id at version as the batch's
// earlier requests wrote them or the cache holds them.
func (s *Store) keptMarks(ctx context.Context, id int64, version int) ([]sla.Mark, bool) {
	for d := deltasFrom(ctx); d != nil; d = d.prior {
		if e, ok := d.marks[id]; ok {
			if e.version != version {
				return nil, false
			}
			return slices.Clip(e.marks), true
		}
	}
	return s.marks.get(id, version)
}

// marksOf answers the marks of case c's clocks as it stands inside a
// write: kept, or read from its timeline.
func (s *Store) marksOf(ctx context.Context, tx *sql.Tx, c *casework.Case) ([]sla.Mark, error) {
	if m, ok := s.keptMarks(ctx, c.ID, c.Version); ok {
		return m, nil
	}
	rows, err := s.txRows(ctx, tx, "clock_events", c.ID)
	if err != nil {
		return nil, fmt.Errorf("store: clocks of %d: %w", c.ID, err)
	}
	evs, err := s.scanClockEvents(rows)
	if err != nil {
		return nil, err
	}
	m := casework.Marks(upTo(evs, c.Version))
	s.noteMarks(ctx, c.ID, c.Version, m)
	return m, nil
}

// upTo answers the events of a timeline up to version (an event's number
// is the version of the case it made), leaving out those written after
// the case was read.
func upTo(evs []casework.Event, version int) []casework.Event {
	for i, ev := range evs {
		if ev.Seq > version {
			return evs[:i]
		}
	}
	return evs
}

// withMarks answers marks followed by those of evs, in a new slice.
func withMarks(marks []sla.Mark, evs ...casework.Event) []sla.Mark {
	return append(slices.Clip(marks), casework.Marks(evs)...)
}

// WithDeadlines fills the deadlines of cases as they stand at now, from
// the marks kept or, for the cases without, from their timelines read in
// one query.
func (s *Store) WithDeadlines(ctx context.Context, cs []casework.Case, now time.Time) error {
	k := s.clocks.Load()
	var missing []int
	for i := range cs {
		if m, ok := s.marks.get(cs[i].ID, cs[i].Version); ok {
			cs[i].Deadlines, _ = k.DeadlinesOf(&cs[i], m, now)
			continue
		}
		missing = append(missing, i)
	}
	if len(missing) == 0 {
		return nil
	}
	args := make([]any, len(missing))
	for j, i := range missing {
		args[j] = cs[i].ID
	}
	rows, err := s.rdb.QueryContext(ctx, s.rebind(`SELECT `+clockColumns+`
		FROM case_events WHERE case_id IN (`+placeholders(len(args))+`) ORDER BY case_id, seq`), args...)
	if err != nil {
		return fmt.Errorf("store: clocks of %d cases: %w", len(args), err)
	}
	list, err := s.scanClockEvents(rows)
	if err != nil {
		return err
	}
	evs := map[int64][]casework.Event{}
	for _, ev := range list {
		evs[ev.CaseID] = append(evs[ev.CaseID], ev)
	}
	for _, i := range missing {
		c := &cs[i]
		m := casework.Marks(upTo(evs[c.ID], c.Version))
		s.marks.put(c.ID, c.Version, m)
		c.Deadlines, _ = k.DeadlinesOf(c, m, now)
	}
	return nil
}

// clockColumns are what the clocks read of an event (casework.Marks): its
// action, time and actor, the status it set, and an extension's stage and
// date. The rest of its data (a repeat call merged into a busy case keeps
// the caller and the text) is left in the database rather than decoded
// to be dropped.
const clockColumns = `case_id, seq, action, at, actor, ` + eventStatusTo + `, ` + eventStage + `, ` + eventUntil

// The JSON fields the clocks read, as SQLite spells them; rebind turns
// them into PostgreSQL's.
const (
	eventStatusTo   = `json_extract(data, '$.changes.status.to')`
	eventStage      = `json_extract(data, '$.details.stage')`
	eventUntil      = `json_extract(data, '$.details.until')`
	pgEventStatusTo = `data::jsonb #>> '{changes,status,to}'`
	pgEventStage    = `data::jsonb #>> '{details,stage}'`
	pgEventUntil    = `data::jsonb #>> '{details,until}'`
)

// scanClockEvents reads events of clockColumns: each with only what its
// clocks are computed from.
func (s *Store) scanClockEvents(rows *sql.Rows) ([]casework.Event, error) {
	defer rows.Close()
	var out []casework.Event
	for rows.Next() {
		var ev casework.Event
		var at int64
		var action string
		var status, stage, until sql.NullString
		if err := rows.Scan(&ev.CaseID, &ev.Seq, &action, &at, &ev.Actor, &status, &stage, &until); err != nil {
			return nil, fmt.Errorf("store: scan event: %w", err)
		}
		ev.Action = casework.Action(action)
		ev.At = s.fromMicros(at)
		if status.Valid {
			ev.Changes = map[string]casework.Change{"status": {To: status.String}}
		}
		if stage.Valid || until.Valid {
			ev.Details = map[string]any{}
			if stage.Valid {
				ev.Details["stage"] = stage.String
			}
			if until.Valid {
				ev.Details["until"] = until.String
			}
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}
