package store

import (
	"container/list"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
)

// clockMarks keeps, per case, the marks its clocks are computed from
// (casework.Marks of its timeline) as they stand at its latest versions
// known here. They are a handful where the timeline of a mass dispute holds
// hundreds of merged repeat calls, each of which would otherwise read the
// whole timeline again to show the busy case's countdown.
//
// An entry holds the versions its marks stand for, and every write to a
// case raises its version, so an entry can be out of date but never
// wrong: a case written since (by this node's writer, another node,
// anything) is past its range, and what was written since is read and
// its marks appended. Writes put what they wrote once their batch
// committed; reads put what they read.
type clockMarks struct {
	// read counts the events read to compute clocks: what the marks kept
	// did not spare.
	read prometheus.Counter

	mu    sync.Mutex
	max   int
	order *list.List // of *markEntry, the most recently used first
	byID  map[int64]*list.Element
}

// markEntry is the marks of a case at versions since to version: the
// events between them left the clocks as they were (repeat calls merged
// in), so the marks are the same at each.
type markEntry struct {
	id             int64
	since, version int
	marks          []sla.Mark
}

func (e *markEntry) holds(version int) bool { return e.since <= version && version <= e.version }

// maxClockMarks bounds the cases kept: about 1 KiB each with ten marks.
// Every new case is put, most never read again; the cases in use (a busy
// master, a desk's list) stay as the least recently used are forgotten.
const maxClockMarks = 16384

func newClockMarks(max int) *clockMarks {
	return &clockMarks{max: max, order: list.New(), byID: map[int64]*list.Element{},
		read: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "yizhan_store_clock_events_read_total",
			Help: "Events read from the database to compute SLA clocks; the marks kept per case spare the rest.",
		})}
}

// get answers the marks of case id at version, if kept.
func (m *clockMarks) get(id int64, version int) (markEntry, bool) {
	e, ok := m.latest(id)
	if !ok || !e.holds(version) {
		return markEntry{}, false
	}
	return e, true
}

// latest answers what is kept of case id, at whatever version. The slice
// is shared: callers append to a copy (slices.Clip makes append copy).
func (m *clockMarks) latest(id int64) (markEntry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.byID[id]
	if !ok {
		return markEntry{}, false
	}
	m.order.MoveToFront(el)
	out := *el.Value.(*markEntry)
	out.marks = slices.Clip(out.marks)
	return out, true
}

// put keeps e unless a later version of the case is kept, forgetting the
// least recently used case when full.
func (m *clockMarks) put(e markEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e.marks = slices.Clip(e.marks)
	if el, ok := m.byID[e.id]; ok {
		kept := el.Value.(*markEntry)
		switch {
		case kept.version > e.version:
			return
		case kept.version == e.version:
			e.since = min(e.since, kept.since)
		}
		*kept = e
		m.order.MoveToFront(el)
		return
	}
	m.byID[e.id] = m.order.PushFront(&e)
	for m.order.Len() > m.max {
		old := m.order.Back()
		m.order.Remove(old)
		delete(m.byID, old.Value.(*markEntry).id)
	}
}

// putAll keeps what a committed batch wrote.
func (m *clockMarks) putAll(written map[int64]markEntry) {
	for _, e := range written {
		m.put(e)
	}
}

// noteMarks records, inside a write, the marks of a case it read or
// wrote, for the batch's later requests and, once the batch committed,
// for the cache. Marks made from events in memory go through asStored
// first.
func (s *Store) noteMarks(ctx context.Context, e markEntry) {
	d := deltasFrom(ctx)
	if d == nil {
		return
	}
	if d.marks == nil {
		d.marks = map[int64]markEntry{}
	}
	d.marks[e.id] = e
}

// asStored answers marks with their times as the database keeps them (to
// the microsecond, in the zone), so that marks kept from a write are
// those a read would give. (Marks read from the database, and those
// carried on from them, are so already.)
func (s *Store) asStored(marks []sla.Mark) []sla.Mark {
	out := make([]sla.Mark, len(marks))
	for i, m := range marks {
		m.At = s.fromMicros(micros(m.At))
		out[i] = m
	}
	return out
}

// keptMarks answers the latest marks of case id the batch's earlier
// requests wrote or the cache holds, at whatever version.
func (s *Store) keptMarks(ctx context.Context, id int64) (markEntry, bool) {
	for d := deltasFrom(ctx); d != nil; d = d.prior {
		if e, ok := d.marks[id]; ok {
			e.marks = slices.Clip(e.marks)
			return e, true
		}
	}
	return s.marks.latest(id)
}

// marksOf answers the marks of case c's clocks as it stands inside a
// write: kept at its version; else those kept at an earlier version
// followed by the marks of the events since, read (a repeat call after
// another node's, or a case the cache had let go); else its timeline's.
// (Marks maps each event on its own, so marks append.)
func (s *Store) marksOf(ctx context.Context, tx *sql.Tx, c *casework.Case) (markEntry, error) {
	kept, ok := s.keptMarks(ctx, c.ID)
	if ok && kept.holds(c.Version) {
		return kept, nil
	}
	base := markEntry{id: c.ID}
	if ok && kept.version < c.Version {
		base = kept
	}
	rows, err := s.txRows(ctx, tx, "clock_events", c.ID, base.version)
	if err != nil {
		return markEntry{}, fmt.Errorf("store: clocks of %d: %w", c.ID, err)
	}
	evs, err := s.scanClockEvents(rows)
	if err != nil {
		return markEntry{}, err
	}
	s.marks.read.Add(float64(len(evs)))
	e := markEntry{id: c.ID, since: c.Version, version: c.Version, marks: withMarks(base.marks, upTo(evs, c.Version)...)}
	if base.version > 0 && len(e.marks) == len(base.marks) {
		e.since = base.since // the events since left the clocks as they were
	}
	s.noteMarks(ctx, e)
	return e, nil
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
		if e, ok := s.marks.get(cs[i].ID, cs[i].Version); ok {
			cs[i].Deadlines, _ = k.DeadlinesOf(&cs[i], e.marks, now)
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
	s.marks.read.Add(float64(len(list)))
	evs := map[int64][]casework.Event{}
	for _, ev := range list {
		evs[ev.CaseID] = append(evs[ev.CaseID], ev)
	}
	for _, i := range missing {
		c := &cs[i]
		m := casework.Marks(upTo(evs[c.ID], c.Version))
		s.marks.put(markEntry{id: c.ID, since: c.Version, version: c.Version, marks: m})
		c.Deadlines, _ = k.DeadlinesOf(c, m, now)
	}
	return nil
}

// clockColumns are what the clocks read of an event (casework.Marks): its
// action, time and actor, the status it set, and an extension's stage and
// date. The rest of its data (a repeat call merged into a busy case keeps
// the caller and the text) is left in the database rather than decoded
// to be dropped. On PostgreSQL, which cannot read as JSON an event
// written with the escape \u0000 in a string, the data is read whole and
// only those fields decoded (clockFields).
const clockColumns = `case_id, seq, action, at, actor, ` + eventClockFields

// The JSON fields the clocks read, as SQLite spells them; rebind makes
// them the whole data on PostgreSQL.
const (
	eventClockFields   = `json_extract(data, '$.changes.status.to'), json_extract(data, '$.details.stage'), json_extract(data, '$.details.until')`
	pgEventClockFields = `data`
)

// clockFields is what the clocks read of an event's data.
type clockFields struct {
	Changes struct {
		Status struct {
			To *string `json:"to"`
		} `json:"status"`
	} `json:"changes"`
	Details struct {
		Stage *string `json:"stage"`
		Until *string `json:"until"`
	} `json:"details"`
}

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
		if s.dialect == Postgres {
			var data string
			if err := rows.Scan(&ev.CaseID, &ev.Seq, &action, &at, &ev.Actor, &data); err != nil {
				return nil, fmt.Errorf("store: scan event: %w", err)
			}
			var f clockFields
			if err := json.Unmarshal([]byte(data), &f); err != nil {
				return nil, fmt.Errorf("store: decode event %d/%d: %w", ev.CaseID, ev.Seq, err)
			}
			status, stage, until = nullString(f.Changes.Status.To), nullString(f.Details.Stage), nullString(f.Details.Until)
		} else if err := rows.Scan(&ev.CaseID, &ev.Seq, &action, &at, &ev.Actor, &status, &stage, &until); err != nil {
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

func nullString(p *string) sql.NullString {
	if p == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: *p, Valid: true}
}
