package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
)

// NewCase is a case to store with its first events: the receipt, and a
// dispatch when a routing rule sent it out at once.
type NewCase struct {
	Case   casework.Case
	Events []casework.Event
	// IdempotencyKey, when set, makes a retried request answer the case
	// made the first time. RequestHash tells a retry from a different
	// request that reuses the key.
	IdempotencyKey string
	RequestHash    string
	// LegacyHash is the request's hash as an older version took it (of
	// the raw body): a retry of a request made before the upgrade still
	// answers its case.
	LegacyHash string
	// Duplicates, when set, runs the duplicate check inside the write, so
	// that two reports of one incident arriving together still find each
	// other.
	Duplicates *DuplicateCheck
}

// DuplicateCheck is the duplicate check of a new case.
type DuplicateCheck struct {
	// Lookups are the keys to look up, each only as far back as Since.
	Lookups []KeyLookup
	// Index are the keys to index the case under: its own, or its
	// master's when it is merged.
	Index []string
	// WindowOnly marks, beside Index, the keys looked up only within the
	// duplicate window (at most dedup.MaxWindow back): SQLite keeps their
	// rows in the index log instead of dedup_keys (see briefKeep).
	WindowOnly []bool
	// Decide says what the cases found mean for the new one.
	Decide func(c casework.Case, evs []casework.Event, found []casework.Case) DuplicateOutcome
}

// KeyLookup is one key of the duplicate index to read.
type KeyLookup struct {
	Key   string
	Since time.Time
	// Weak marks a key that many unrelated reports may share (a band of
	// common wording, a road, a surname): when it matches more than a few
	// cases in its look-back it is no evidence and its matches are dropped,
	// and the write's last-second check ignores it.
	Weak bool
}

// DuplicateOutcome is the new case after the check and, when it was merged
// into an open case, that master and how it changes.
type DuplicateOutcome struct {
	Case   casework.Case
	Events []casework.Event
	Master *casework.Case
	// Update changes the master once the duplicate has its id and number.
	Update func(master, dup casework.Case) (casework.Case, casework.Event)
}

// Created is what storing a new case did.
type Created struct {
	Case casework.Case
	// Events are the ones written for the case.
	Events []casework.Event
	// Replayed is true when the request was a retry (same idempotency key
	// or the same source number): nothing was written.
	Replayed bool
	// Master and MasterEvent are set when the case was merged into another.
	Master      *casework.Case
	MasterEvent *casework.Event
}

// maxCandidates bounds the cases one duplicate check compares.
const maxCandidates = 16

// ErrIdempotencyMismatch answers a key reused for a different request.
var ErrIdempotencyMismatch = casework.Conflict("idempotency_key_reused",
	"该 Idempotency-Key 已用于另一份不同的请求，请换用新的 key")

// CreateCase stores a new case durably. A retry (the same idempotency key,
// or the same source number on the same channel) writes nothing and
// answers the case made the first time.
func (s *Store) CreateCase(ctx context.Context, nc NewCase) (Created, error) {
	// The duplicate check reads and decides on the read pool, in parallel
	// with other requests; the write then only looks at what was written
	// since (settleDuplicates).
	var pre duplicateDraft
	if nc.Duplicates != nil {
		pre.seen, pre.readAt = s.w.finished.Load(), time.Now()
		found, err := s.findDuplicates(ctx, nc.Duplicates.Lookups)
		if err != nil {
			return Created{}, err
		}
		pre.found, pre.outcome = found, nc.Duplicates.Decide(nc.Case, nc.Events, found)
		if m := pre.outcome.Master; m != nil && s.summaries != nil {
			// The merge writes the master whole: read it here, beside the
			// writer, which then only checks that it did not change.
			if whole, err := s.scanCase(s.row(ctx, "get_case", m.ID)); err == nil {
				pre.master = &whole
			}
		}
	}
	var out Created
	runs := 0
	err := s.w.doRetrying(ctx, func(ctx context.Context, tx *sql.Tx) error {
		out = Created{}
		if runs++; runs > 1 {
			// Run again after another node changed the master it read:
			// the master is read afresh inside the write.
			pre.master = nil
		}
		if nc.IdempotencyKey != "" {
			var hash string
			var id int64
			err := s.txRow(ctx, tx, "get_idempotency", nc.Case.CreatedBy, nc.IdempotencyKey).Scan(&hash, &id)
			switch {
			case err == nil:
				if hash != nc.RequestHash && (nc.LegacyHash == "" || hash != nc.LegacyHash) {
					return ErrIdempotencyMismatch
				}
				return s.replay(ctx, tx, id, &out)
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("store: idempotency lookup: %w", err)
			}
		}
		if c := nc.Case; c.ExternalID != "" {
			var id int64
			err := s.txRow(ctx, tx, "case_by_external", c.Channel, c.ExternalID).Scan(&id)
			switch {
			case err == nil:
				return s.replay(ctx, tx, id, &out)
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("store: external id lookup: %w", err)
			}
		}
		c, evs := nc.Case, nc.Events
		var dup DuplicateOutcome
		if nc.Duplicates != nil {
			var err error
			if dup, err = s.settleDuplicates(ctx, tx, nc, pre); err != nil {
				return err
			}
			c, evs = dup.Case, dup.Events
		}
		created, err := s.insertCase(ctx, tx, c, evs)
		if err != nil {
			return err
		}
		out.Case, out.Events = created, evs
		indexUnder := created.ID
		if dup.Master != nil {
			m, mev := dup.Update(*dup.Master, created)
			if err := s.applyTimeline(ctx, tx, dup.Master, &m, mev); err != nil {
				return err
			}
			out.Master, out.MasterEvent = &m, &mev
			indexUnder = m.ID
		}
		if nc.Duplicates != nil {
			if err := s.indexKeys(ctx, tx, nc.Duplicates.Index, nc.Duplicates.WindowOnly, indexUnder, created.CreatedAt); err != nil {
				return err
			}
		}
		s.recent.add(nc.Duplicates, indexUnder, s.w.finished.Load()+1)
		if nc.IdempotencyKey != "" {
			if _, err := s.txExec(ctx, tx, "insert_idempotency", created.CreatedBy, nc.IdempotencyKey,
				nc.RequestHash, created.ID, micros(created.CreatedAt)); err != nil {
				return fmt.Errorf("store: insert idempotency key: %w", err)
			}
		}
		return nil
	}, lostCreateRace)
	return out, err
}

// uniqueViolation reports whether err is a unique constraint failing:
// on PostgreSQL the index named pgIndex, on SQLite the column sqliteColumn
// (table.column, as SQLite names it).
func uniqueViolation(err error, pgIndex, sqliteColumn string) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505" && pg.ConstraintName == pgIndex
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed: "+sqliteColumn)
}

// lostCreateRace reports whether a creation failed only because another
// node got there first: it merged a report into the same master, or
// committed the same idempotency key or source number (run again, the key
// or the number answers that node's case).
func lostCreateRace(err error) bool {
	var pg *pgconn.PgError
	return errors.Is(err, ErrConcurrentUpdate) ||
		errors.As(err, &pg) && pg.Code == "23505" &&
			(strings.Contains(pg.ConstraintName, "idempotency") || pg.ConstraintName == "cases_external")
}

// replay answers the case a retried request made the first time.
func (s *Store) replay(ctx context.Context, tx *sql.Tx, id int64, out *Created) error {
	found, err := s.scanCase(s.txRow(ctx, tx, "get_case", id))
	if err != nil {
		return fmt.Errorf("store: replayed case %d: %w", id, err)
	}
	out.Case, out.Replayed = found, true
	return nil
}

// insertCase numbers the case, writes it and its first event, and updates
// the projections.
func (s *Store) insertCase(ctx context.Context, tx *sql.Tx, c casework.Case, evs []casework.Event) (casework.Case, error) {
	day := c.CreatedAt.In(s.loc)
	d, key := deltasFrom(ctx), [2]string{string(c.Line), day.Format("20060102")}
	seq, counted := d.lastNumber(key)
	if counted {
		seq++
	} else if err := s.txRow(ctx, tx, "next_case_number", key[0], key[1]).Scan(&seq); err != nil {
		return c, fmt.Errorf("store: next case number: %w", err)
	}
	d.tookNumber(key, seq, !counted)
	c.Number = casework.FormatNumber(c.Line, day, seq)
	extra, err := caseExtra(c)
	if err != nil {
		return c, err
	}
	err = s.txRow(ctx, tx, "insert_case", caseRow(c, extra)...).Scan(&c.ID)
	if err != nil {
		return c, fmt.Errorf("store: insert case: %w", err)
	}
	for i := range evs {
		evs[i].CaseID = c.ID
		if err := s.insertEvent(ctx, tx, evs[i]); err != nil {
			return c, err
		}
	}
	marks := casework.Marks(evs)
	s.noteMarks(ctx, markEntry{id: c.ID, since: c.Version, version: c.Version, marks: s.asStored(marks)})
	if err := s.scheduleClock(ctx, tx, &c, marks, c.UpdatedAt); err != nil {
		return c, err
	}
	if err := s.project(ctx, tx, nil, &c); err != nil {
		return c, err
	}
	s.wrote(ctx, c)
	return c, nil
}

// ActFunc decides an action on the case as it stands inside the write
// transaction, with the units and cases the command names.
type ActFunc func(c casework.Case, refs casework.Refs) (casework.Decision, error)

// ActRequest is an action to take on a case.
type ActRequest struct {
	CaseID  int64
	Scope   casework.Scope
	Command casework.Command
	// Unit answers what the engine needs to know of a unit, nil if unknown.
	Unit func(int64) *casework.UnitRef
	// Now is the time of the action: deadlines are computed as of it.
	Now    time.Time
	Decide ActFunc
}

// Act loads a case visible in scope with its deadlines, lets Decide say
// what the action does, and writes the event and the projections in one
// durable transaction. A refusal writes nothing.
func (s *Store) Act(ctx context.Context, req ActRequest) (casework.Decision, error) {
	var d casework.Decision
	err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		c, err := s.scanCase(s.txRow(ctx, tx, "get_case", req.CaseID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !req.Scope.Sees(&c) {
			return casework.ErrCaseNotFound
		}
		if err != nil {
			return fmt.Errorf("store: load case %d: %w", req.CaseID, err)
		}
		kept, err := s.marksOf(ctx, tx, &c)
		if err != nil {
			return err
		}
		c.Deadlines, _ = s.clocks.Load().DeadlinesOf(&c, kept.marks, req.Now)
		refs, err := s.refs(ctx, tx, c, req)
		if err != nil {
			return err
		}
		d, err = req.Decide(c, refs)
		if err != nil {
			return err
		}
		if err := s.applyDecision(ctx, tx, &c, &d.Case, d.Event, withMarks(kept.marks, d.Event)); err != nil {
			return err
		}
		if d.Master != nil {
			return s.applyTimeline(ctx, tx, refs.Into, d.Master, *d.MasterEvent)
		}
		return nil
	})
	return d, err
}

// refs loads what a command names.
func (s *Store) refs(ctx context.Context, tx *sql.Tx, c casework.Case, req ActRequest) (casework.Refs, error) {
	var refs casework.Refs
	cmd := req.Command
	switch {
	case cmd.UnitID != nil:
		refs.Unit = req.Unit(*cmd.UnitID)
	case cmd.Action == casework.ActionDispatch && c.Routing != nil && c.Routing.UnitID != nil:
		refs.Unit = req.Unit(*c.Routing.UnitID)
	}
	if c.UnitID != nil {
		refs.Holder = req.Unit(*c.UnitID)
	}
	into := cmd.Into
	if cmd.Action == casework.ActionUnmerge {
		into = c.DuplicateOf
	}
	if into != nil && cmd.Action != casework.ActionDismissDups {
		into, err := s.scanCase(s.txRow(ctx, tx, "get_case", *into))
		switch {
		case err == nil && req.Scope.Sees(&into):
			refs.Into = &into
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return refs, fmt.Errorf("store: load case: %w", err)
		}
	}
	return refs, nil
}

// ErrConcurrentUpdate answers an action that raced another node's action
// on the same case; the client may simply retry.
var ErrConcurrentUpdate = casework.Conflict("concurrent_update", "工单刚被他人更新，请刷新后重试")

// applyDecision writes the new projection of a case (if it is still at
// the version it was read at) and its new event ev; marks are those of
// the case's whole timeline ending with ev, from which its clocks are
// recomputed.
func (s *Store) applyDecision(ctx context.Context, tx *sql.Tx, before, after *casework.Case, ev casework.Event, marks []sla.Mark) error {
	if err := s.writeDecision(ctx, tx, before, after, ev); err != nil {
		return err
	}
	s.noteMarks(ctx, markEntry{id: after.ID, since: after.Version, version: after.Version, marks: s.asStored(marks)})
	if err := s.scheduleClock(ctx, tx, after, marks, ev.At); err != nil {
		return err
	}
	return s.project(ctx, tx, before, after)
}

// applyNeutral is applyDecision for an event that leaves the clocks as
// they were (casework.ClockNeutral): the clocks, their schedule and the
// stage records stand, and so do the marks, which go on to the case's
// new version. They are read here when not kept: a busy master takes
// repeat calls in batch after batch, and only the writer sees each
// version as it is made (a reader behind it would read the whole
// timeline again for every call).
func (s *Store) applyNeutral(ctx context.Context, tx *sql.Tx, before, after *casework.Case, ev casework.Event) error {
	kept, err := s.marksOf(ctx, tx, before)
	if err != nil {
		return err
	}
	if err := s.writeDecision(ctx, tx, before, after, ev); err != nil {
		return err
	}
	kept.version = after.Version
	s.noteMarks(ctx, kept)
	return s.projectCounts(ctx, before, after)
}

// writeDecision writes the case's new row, if it is still at the version
// it was read at, and its new event.
func (s *Store) writeDecision(ctx context.Context, tx *sql.Tx, before, after *casework.Case, ev casework.Event) error {
	extra, err := caseExtra(*after)
	if err != nil {
		return err
	}
	res, err := s.txExec(ctx, tx, "update_case",
		string(after.Status), after.Category, after.Type, boolInt(after.Police), after.Risk, after.Priority,
		nullID(after.UnitID), nullID(after.DuplicateOf), nullOutcome(after.Outcome), nullInt(after.Satisfaction),
		after.Returns, after.Repeats, extra, after.Version, micros(after.UpdatedAt),
		after.ID, before.Version)
	if err != nil {
		return fmt.Errorf("store: update case %d: %w", after.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return ErrConcurrentUpdate
	}
	s.wrote(ctx, *after)
	ev.CaseID = after.ID
	return s.insertEvent(ctx, tx, ev)
}

// applyTimeline writes another case's change made alongside (a merge's
// master), reading its clocks only when the event can move them.
func (s *Store) applyTimeline(ctx context.Context, tx *sql.Tx, before, after *casework.Case, ev casework.Event) error {
	if casework.ClockNeutral(ev, before, after) {
		return s.applyNeutral(ctx, tx, before, after, ev)
	}
	kept, err := s.marksOf(ctx, tx, before)
	if err != nil {
		return err
	}
	return s.applyDecision(ctx, tx, before, after, ev, withMarks(kept.marks, ev))
}

// scheduleClock keeps the scheduler's index in step: the time the case's
// next warning or breach falls due, or no row when none is ahead.
func (s *Store) scheduleClock(ctx context.Context, tx *sql.Tx, c *casework.Case, marks []sla.Mark, now time.Time) error {
	var next *time.Time
	c.Deadlines, next = s.clocks.Load().DeadlinesOf(c, marks, now)
	return s.writeClock(ctx, tx, c.ID, next, now)
}

// writeClock schedules the case's next firing at next, or none when nil.
func (s *Store) writeClock(ctx context.Context, tx *sql.Tx, caseID int64, next *time.Time, now time.Time) error {
	if next != nil && !next.After(now) {
		// Never schedule a firing that is already due: the scheduler
		// would spin on it. A moment later the clocks have moved on.
		later := now.Add(100 * time.Millisecond)
		next = &later
	}
	var err error
	if next == nil {
		_, err = s.txExec(ctx, tx, "delete_clock", caseID)
	} else {
		_, err = s.txExec(ctx, tx, "upsert_clock", caseID, micros(*next))
	}
	if err != nil {
		return fmt.Errorf("store: schedule clock of %d: %w", caseID, err)
	}
	return nil
}

// eventData is what an event row keeps beside its columns.
type eventData struct {
	ActorName string                     `json:"actor_name,omitempty"`
	Reason    string                     `json:"reason,omitempty"`
	Changes   map[string]casework.Change `json:"changes,omitempty"`
	Details   map[string]any             `json:"details,omitempty"`
}

// caseRow is a case's columns as insert_case and the bulk load write them,
// from number to repeat_of, with its encoded extra.
func caseRow(c casework.Case, extra string) []any {
	var lat, lon any
	if c.Location != nil {
		lat, lon = c.Location.Lat, c.Location.Lon
	}
	return []any{c.Number, string(c.Line), c.Channel, string(c.Status), c.Category, c.Type, boolInt(c.Police), c.Risk, c.Priority,
		nullID(c.UnitID), nullID(c.OriginUnitID), nullID(c.DuplicateOf), nullOutcome(c.Outcome), nullInt(c.Satisfaction),
		c.Text, c.Reporter.Name, c.Reporter.Phone, c.Address, lat, lon, micros(c.OccurredAt), c.ExternalID,
		c.Returns, c.Repeats, extra, c.CreatedBy, c.Version, micros(c.CreatedAt), micros(c.UpdatedAt),
		nullID(c.GridID), nullID(c.EnterpriseID), nullID(c.RepeatOf)}
}

// encodeEvent is what an event row keeps as JSON beside its columns.
func encodeEvent(ev casework.Event) (string, error) {
	data, err := json.Marshal(eventData{ActorName: ev.ActorName, Reason: ev.Reason, Changes: ev.Changes, Details: ev.Details})
	if err != nil {
		return "", fmt.Errorf("store: encode event: %w", err)
	}
	return string(data), nil
}

// eventRow is an event's columns as insert_event and the bulk load write
// them, with its encoded data.
func eventRow(ev casework.Event, data string) []any {
	return []any{ev.CaseID, ev.Seq, string(ev.Action), micros(ev.At), ev.ActorID, ev.Actor, nullID(ev.UnitID), ev.Note, data}
}

func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, ev casework.Event) error {
	data, err := encodeEvent(ev)
	if err != nil {
		return err
	}
	_, err = s.txExec(ctx, tx, "insert_event", eventRow(ev, data)...)
	if err != nil {
		return fmt.Errorf("store: insert event %d/%d: %w", ev.CaseID, ev.Seq, err)
	}
	return nil
}

// GetCase answers a case by id, or casework.ErrCaseNotFound.
func (s *Store) GetCase(ctx context.Context, id int64) (casework.Case, error) {
	c, err := s.scanCase(s.row(ctx, "get_case", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, casework.ErrCaseNotFound
	}
	if err != nil {
		return c, fmt.Errorf("store: get case %d: %w", id, err)
	}
	return c, nil
}

// CaseByNumber answers a case by its human-readable number.
func (s *Store) CaseByNumber(ctx context.Context, number string) (casework.Case, error) {
	c, err := s.scanCase(s.row(ctx, "case_by_number", number))
	if errors.Is(err, sql.ErrNoRows) {
		return c, casework.ErrCaseNotFound
	}
	return c, err
}

// Events answers the timeline of a case, oldest first.
func (s *Store) Events(ctx context.Context, caseID int64) ([]casework.Event, error) {
	rows, err := s.rows(ctx, "case_events", caseID)
	if err != nil {
		return nil, fmt.Errorf("store: events of %d: %w", caseID, err)
	}
	return s.scanEvents(rows)
}

// events answers a case's timeline inside a write transaction.
func (s *Store) events(ctx context.Context, tx *sql.Tx, caseID int64) ([]casework.Event, error) {
	rows, err := s.txRows(ctx, tx, "case_events", caseID)
	if err != nil {
		return nil, fmt.Errorf("store: events of %d: %w", caseID, err)
	}
	return s.scanEvents(rows)
}

// EventsOf answers the timelines of several cases at once, for lists.
func (s *Store) EventsOf(ctx context.Context, ids []int64) (map[int64][]casework.Event, error) {
	out := map[int64][]casework.Event{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.rdb.QueryContext(ctx, s.rebind(`SELECT case_id, seq, action, at, actor_id, actor, unit_id, note, data
		FROM case_events WHERE case_id IN (`+placeholders(len(ids))+`) ORDER BY case_id, seq`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: events of %d cases: %w", len(ids), err)
	}
	evs, err := s.scanEvents(rows)
	if err != nil {
		return nil, err
	}
	for _, ev := range evs {
		out[ev.CaseID] = append(out[ev.CaseID], ev)
	}
	return out, nil
}

// CaseWithTimeline answers a case, its timeline and its deadlines as they
// stand at now: the case page, and a case relayed from another node.
func (s *Store) CaseWithTimeline(ctx context.Context, id int64, now time.Time) (casework.Case, []casework.Event, error) {
	c, err := s.GetCase(ctx, id)
	if err != nil {
		return c, nil, err
	}
	evs, err := s.Events(ctx, id)
	if err != nil {
		return c, nil, err
	}
	c.Deadlines, _ = s.clocks.Load().Deadlines(&c, evs, now)
	return c, evs, nil
}

func (s *Store) scanEvents(rows *sql.Rows) ([]casework.Event, error) {
	defer rows.Close()
	var out []casework.Event
	for rows.Next() {
		var ev casework.Event
		var at int64
		var unit sql.NullInt64
		var data string
		var action string
		if err := rows.Scan(&ev.CaseID, &ev.Seq, &action, &at, &ev.ActorID, &ev.Actor, &unit, &ev.Note, &data); err != nil {
			return nil, fmt.Errorf("store: scan event: %w", err)
		}
		var d eventData
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return nil, fmt.Errorf("store: decode event %d/%d: %w", ev.CaseID, ev.Seq, err)
		}
		ev.Action = casework.Action(action)
		ev.At = s.fromMicros(at)
		ev.UnitID = idPtr(unit)
		ev.ActorName, ev.Reason, ev.Changes, ev.Details = d.ActorName, d.Reason, d.Changes, d.Details
		out = append(out, ev)
	}
	return out, rows.Err()
}

// StatusCount is how many cases of a line are in a status.
type StatusCount struct {
	Line   casework.Line
	Status casework.Status
	N      int64
}

// StatusCounts answers the cases per line and status.
func (s *Store) StatusCounts(ctx context.Context) ([]StatusCount, error) {
	rows, err := s.rows(ctx, "status_counts")
	if err != nil {
		return nil, fmt.Errorf("store: status counts: %w", err)
	}
	defer rows.Close()
	var out []StatusCount
	for rows.Next() {
		var sc StatusCount
		if err := rows.Scan(&sc.Line, &sc.Status, &sc.N); err != nil {
			return nil, fmt.Errorf("store: scan status count: %w", err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// insertCaseUnits records the co-units and told micro-centers of a new
// case, so that lists by unit find it without reading every case.
func (s *Store) insertCaseUnits(ctx context.Context, tx *sql.Tx, c *casework.Case) error {
	for _, row := range caseUnitRows(c) {
		if _, err := s.txExec(ctx, tx, "insert_case_unit", row...); err != nil {
			return fmt.Errorf("store: case units: %w", err)
		}
	}
	return nil
}

// caseUnitRows are the case_units rows of a routed case: its co-units, then
// the units it notifies, each unit once.
func caseUnitRows(c *casework.Case) [][]any {
	if c.Routing == nil {
		return nil
	}
	var rows [][]any
	seen := map[int64]bool{}
	for _, role := range []struct {
		ids  []int64
		name string
	}{{c.Routing.CoUnitIDs, "co"}, {c.Routing.NotifyUnitIDs, "notify"}} {
		for _, id := range role.ids {
			if !seen[id] {
				seen[id] = true
				rows = append(rows, []any{c.ID, id, role.name})
			}
		}
	}
	return rows
}

// extra is what a case row keeps as JSON: what is shown with the case and
// never queried on.
type extra struct {
	DuplicateCandidates []casework.Candidate `json:"duplicate_candidates,omitempty"`
	Routing             *casework.Routing    `json:"routing,omitempty"`
	FirstReceiver       bool                 `json:"first_receiver,omitempty"`
	Paused              bool                 `json:"paused,omitempty"`
	Callers             []string             `json:"callers,omitempty"`
	LastReportAt        *time.Time           `json:"last_report_at,omitempty"`
	MergedFrom          casework.Status      `json:"merged_from,omitempty"`
}

func caseExtra(c casework.Case) (string, error) {
	b, err := json.Marshal(extra{DuplicateCandidates: c.DuplicateCandidates, Routing: c.Routing, FirstReceiver: c.FirstReceiver, Paused: c.Paused,
		Callers: c.Callers, LastReportAt: c.LastReportAt, MergedFrom: c.MergedFrom})
	if err != nil {
		return "", fmt.Errorf("store: encode case extra: %w", err)
	}
	return string(b), nil
}

type rowScanner interface{ Scan(dest ...any) error }

// scanAll reads every row with scan, appending to out, and closes rows.
func scanAll[T any](rows *sql.Rows, out []T, scan func(rowScanner) (T, error)) ([]T, error) {
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanCases reads every row into out and closes rows.
func (s *Store) scanCases(rows *sql.Rows, out []casework.Case) ([]casework.Case, error) {
	return scanAll(rows, out, s.scanCase)
}

func (s *Store) scanCase(r rowScanner) (casework.Case, error) {
	var c casework.Case
	var line, status, extraJSON string
	var police int
	var unit, origin, dup, grid, ent, repeatOf sql.NullInt64
	var outcome sql.NullString
	var satisfaction sql.NullInt64
	var lat, lon sql.NullFloat64
	var occurred, created, updated int64
	err := r.Scan(&c.ID, &c.Number, &line, &c.Channel, &status, &c.Category, &c.Type, &police, &c.Risk, &c.Priority,
		&unit, &origin, &dup, &outcome, &satisfaction, &c.Text, &c.Reporter.Name,
		&c.Reporter.Phone, &c.Address, &lat, &lon, &occurred, &c.ExternalID, &c.Returns, &c.Repeats, &extraJSON,
		&c.CreatedBy, &c.Version, &created, &updated, &grid, &ent, &repeatOf)
	if err != nil {
		return c, err
	}
	c.Line, c.Status, c.Police = casework.Line(line), casework.Status(status), police != 0
	c.UnitID, c.OriginUnitID, c.DuplicateOf = idPtr(unit), idPtr(origin), idPtr(dup)
	c.GridID, c.EnterpriseID, c.RepeatOf = idPtr(grid), idPtr(ent), idPtr(repeatOf)
	if outcome.Valid {
		o := casework.Outcome(outcome.String)
		c.Outcome = &o
	}
	if satisfaction.Valid {
		v := int(satisfaction.Int64)
		c.Satisfaction = &v
	}
	if lat.Valid && lon.Valid {
		c.Location = &casework.Location{Lat: lat.Float64, Lon: lon.Float64}
	}
	c.OccurredAt, c.CreatedAt, c.UpdatedAt = s.fromMicros(occurred), s.fromMicros(created), s.fromMicros(updated)
	var x extra
	if err := json.Unmarshal([]byte(extraJSON), &x); err != nil {
		return c, fmt.Errorf("store: decode case extra: %w", err)
	}
	c.DuplicateCandidates, c.Routing, c.FirstReceiver, c.Paused = x.DuplicateCandidates, x.Routing, x.FirstReceiver, x.Paused
	c.Callers, c.LastReportAt, c.MergedFrom = x.Callers, x.LastReportAt, x.MergedFrom
	if c.DuplicateCandidates == nil {
		c.DuplicateCandidates = []casework.Candidate{}
	}
	if c.Deadlines == nil {
		c.Deadlines = []casework.Deadline{}
	}
	return c, nil
}

func nullOutcome(o *casework.Outcome) any {
	if o == nil {
		return nil
	}
	return string(*o)
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// FireFunc says what the system writes on a case whose clock fell due:
// given the case with its deadlines as of now and its timeline, the new
// events, numbered from the case's version.
type FireFunc func(c casework.Case, evs []casework.Event) []casework.Event

// DueClocks answers the cases whose next warning or breach is due by now,
// earliest first.
func (s *Store) DueClocks(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	rows, err := s.rows(ctx, "due_clocks", micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due clocks: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// NextClock answers when the earliest clock falls due, nil when none does.
func (s *Store) NextClock(ctx context.Context) (*time.Time, error) {
	var v sql.NullInt64
	if err := s.row(ctx, "next_clock").Scan(&v); err != nil {
		return nil, fmt.Errorf("store: next clock: %w", err)
	}
	if !v.Valid {
		return nil, nil
	}
	t := s.fromMicros(v.Int64)
	return &t, nil
}

// Fire recomputes a due case's clocks as of now and writes what fire
// says, in one transaction that also reschedules the case. A second node
// firing the same case at once waits for the first (the case is read FOR
// UPDATE on PostgreSQL) and writes nothing new, so each warning and breach
// is recorded once.
func (s *Store) Fire(ctx context.Context, caseID int64, now time.Time, fire FireFunc) (casework.Case, []casework.Event, error) {
	var c casework.Case
	var written []casework.Event
	err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		written = nil
		var err error
		// Held until the commit: a second node firing the same case waits,
		// then finds the alarms written and writes none (rather than
		// running into the first node's event numbers).
		c, err = s.scanCase(s.txRow(ctx, tx, "lock_case", caseID))
		if errors.Is(err, sql.ErrNoRows) {
			_, err = s.txExec(ctx, tx, "delete_clock", caseID)
			return err
		}
		if err != nil {
			return fmt.Errorf("store: load case %d: %w", caseID, err)
		}
		evs, err := s.events(ctx, tx, caseID)
		if err != nil {
			return err
		}
		var next *time.Time
		c.Deadlines, next = s.clocks.Load().Deadlines(&c, evs, now)
		written = fire(c, evs)
		if len(written) == 0 {
			return s.writeClock(ctx, tx, c.ID, next, now)
		}
		after := c.Clone()
		after.Version = written[len(written)-1].Seq
		after.UpdatedAt = now
		for i := range written[:len(written)-1] {
			written[i].CaseID = c.ID
			if err := s.insertEvent(ctx, tx, written[i]); err != nil {
				return err
			}
		}
		if err := s.applyDecision(ctx, tx, &c, &after, written[len(written)-1], casework.Marks(append(evs, written...))); err != nil {
			return err
		}
		c = after
		return nil
	})
	return c, written, err
}
