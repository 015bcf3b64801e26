package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// The action log's queries. Events are read oldest first, in the order
// they happened (time, then case, then the case's own order).
//
// Over the whole store the period is found through case_events_action
// (action, at): the actions present are walked by a recursive query, one
// index seek each (a skip scan: there are a few dozen), and each action's
// events of the period are a range of that index. The rows are then
// sorted by time in SQL (SQLite's sorter spills to temporary files), so
// a period of any length streams in bounded memory. PostgreSQL takes the
// actions as an array (= ANY): given IN over the recursive query it
// guesses a hundred actions and scans the whole table instead.
var auditQueries = map[string]string{
	"audit_case_by_id":     `SELECT id, number FROM cases WHERE id = ?`,
	"audit_case_by_number": `SELECT id, number FROM cases WHERE number = ?`,
}

func init() {
	const (
		actions = `WITH RECURSIVE acts(a) AS (
			SELECT MIN(action) FROM case_events
			UNION ALL
			SELECT (SELECT MIN(action) FROM case_events WHERE action > acts.a) FROM acts WHERE acts.a IS NOT NULL)
		`
		selectEvents = `SELECT e.at, e.case_id, COALESCE(c.number, ''), e.seq, e.action, e.actor_id, e.actor, e.unit_id, e.note, e.data
			FROM case_events e LEFT JOIN cases c ON c.id = e.case_id `
		inPeriod  = `WHERE ` + actionsIn + ` AND e.at >= ? AND e.at < ?`
		ofCase    = `WHERE e.case_id = ? AND e.at >= ? AND e.at < ?`
		byActor   = ` AND e.actor_id = ?`
		oldest    = ` ORDER BY e.at, e.case_id, e.seq`
		caseOrder = ` ORDER BY e.at, e.seq`
	)
	auditQueries["audit_events"] = actions + selectEvents + inPeriod + oldest
	auditQueries["audit_events_actor"] = actions + selectEvents + inPeriod + byActor + oldest
	auditQueries["audit_events_case"] = selectEvents + ofCase + caseOrder
	auditQueries["audit_events_case_actor"] = selectEvents + ofCase + byActor + caseOrder
}

// The actions of a period's events as SQLite and PostgreSQL best read them.
const (
	actionsIn  = `e.action IN (SELECT a FROM acts WHERE a IS NOT NULL)`
	actionsAny = `e.action = ANY(ARRAY(SELECT a FROM acts WHERE a IS NOT NULL))`
)

// auditQuery answers a named audit query in the open dialect.
func (m *Maintenance) auditQuery(name string) string {
	q := auditQueries[name]
	if m.s.dialect == Postgres {
		q = strings.Replace(q, actionsIn, actionsAny, 1)
	}
	return m.s.rebind(q)
}

// AuditFilter chooses the events of the action log (操作审计): those in
// [From, To), optionally of one actor and of one case.
type AuditFilter struct {
	From, To time.Time
	ActorID  *int64
	CaseID   *int64
}

// AuditEvent is one line of the action log: an event of a case's
// timeline with the case's number beside it.
type AuditEvent struct {
	At         time.Time
	CaseID     int64
	CaseNumber string
	Seq        int
	Action     string
	ActorID    int64
	Actor      string // the account's username; "system" for Yizhan itself
	ActorName  string // the name it had when it acted
	UnitID     *int64
	Note       string
	Reason     string
}

// Audit streams the events that f chooses, oldest first, to each, one
// row at a time, and answers how many it read. It reads in one statement,
// so a server's writes meanwhile are not half seen.
func (m *Maintenance) Audit(ctx context.Context, f AuditFilter, each func(AuditEvent) error) (int64, error) {
	if !f.From.Before(f.To) {
		return 0, nil
	}
	name, args := "audit_events", []any{micros(f.From), micros(f.To)}
	if f.CaseID != nil {
		name, args = "audit_events_case", append([]any{*f.CaseID}, args...)
	}
	if f.ActorID != nil {
		name, args = name+"_actor", append(args, *f.ActorID)
	}
	rows, err := m.s.rdb.QueryContext(ctx, m.auditQuery(name), args...)
	if err != nil {
		return 0, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var e AuditEvent
		var at int64
		var unit sql.NullInt64
		var data string
		if err := rows.Scan(&at, &e.CaseID, &e.CaseNumber, &e.Seq, &e.Action, &e.ActorID, &e.Actor, &unit, &e.Note, &data); err != nil {
			return n, fmt.Errorf("store: audit: %w", err)
		}
		e.At, e.UnitID = m.s.fromMicros(at), idPtr(unit)
		var d eventData
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return n, fmt.Errorf("store: audit: event %d/%d: %w", e.CaseID, e.Seq, err)
		}
		e.ActorName, e.Reason = d.ActorName, d.Reason
		if err := each(e); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("store: audit: %w", err)
	}
	return n, nil
}

// FindCase answers the id and number of the case ref names: its number,
// or its id in digits (numbers always carry a line prefix and a dash). An
// unknown case answers casework.ErrCaseNotFound.
func (m *Maintenance) FindCase(ctx context.Context, ref string) (int64, string, error) {
	name, arg := "audit_case_by_number", any(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		name, arg = "audit_case_by_id", id
	}
	var id int64
	var number string
	err := m.s.rdb.QueryRowContext(ctx, m.auditQuery(name), arg).Scan(&id, &number)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", casework.ErrCaseNotFound
	}
	if err != nil {
		return 0, "", fmt.Errorf("store: find case %q: %w", ref, err)
	}
	return id, number, nil
}
