package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/stats"
	"github.com/yizhan/yizhan/internal/triage"
)

// SummaryCells counts the cases of a line (all lines when empty) created
// in [from, to) by category, status and outcome. Whole months come from
// the monthly rollups and the whole days around them from the daily ones,
// so a period of years costs a few thousand rows; the parts of days at
// either end of an unaligned period are counted from the cases.
func (s *Store) SummaryCells(ctx context.Context, line string, from, to time.Time) ([]stats.Cell, error) {
	return s.UnitCells(ctx, line, nil, from, to)
}

// UnitCells is SummaryCells for the cases a unit holds now (all when unit
// is nil), from the rollups by unit.
func (s *Store) UnitCells(ctx context.Context, line string, unit *int64, from, to time.Time) ([]stats.Cell, error) {
	firstDay := s.dayStart(from)
	if firstDay.Before(from) {
		firstDay = firstDay.AddDate(0, 0, 1)
	}
	lastDay := s.dayStart(to) // the rollups cover [firstDay, lastDay)
	if !firstDay.Before(lastDay) {
		return s.rawCells(ctx, line, unit, from, to)
	}
	firstMonth := time.Date(firstDay.Year(), firstDay.Month(), 1, 0, 0, 0, 0, s.loc)
	if firstMonth.Before(firstDay) {
		firstMonth = firstMonth.AddDate(0, 1, 0)
	}
	lastMonth := time.Date(lastDay.Year(), lastDay.Month(), 1, 0, 0, 0, 0, s.loc)
	type span struct {
		monthly  bool
		lo, hi   time.Time
		fromRows bool // counted from the cases themselves
	}
	spans := []span{{lo: from, hi: firstDay, fromRows: true}}
	if firstMonth.Before(lastMonth) {
		spans = append(spans, span{lo: firstDay, hi: firstMonth}, span{monthly: true, lo: firstMonth, hi: lastMonth},
			span{lo: lastMonth, hi: lastDay})
	} else {
		spans = append(spans, span{lo: firstDay, hi: lastDay})
	}
	if lastDay.Before(to) {
		// A period running to now holds every case of today so far: the
		// day's rollup, not a count of today's cases.
		end := lastDay.AddDate(0, 0, 1)
		restOfDay, err := s.anyCreated(ctx, to, end)
		if err != nil {
			return nil, err
		}
		if restOfDay {
			spans = append(spans, span{lo: lastDay, hi: to, fromRows: true})
		} else {
			spans = append(spans, span{lo: lastDay, hi: end})
		}
	}
	var cells []stats.Cell
	for _, sp := range spans {
		if !sp.lo.Before(sp.hi) {
			continue
		}
		var got []stats.Cell
		var err error
		if sp.fromRows {
			got, err = s.rawCells(ctx, line, unit, sp.lo, sp.hi)
		} else {
			got, err = s.rollupCells(ctx, line, unit, sp.monthly, sp.lo, sp.hi)
		}
		if err != nil {
			return nil, err
		}
		cells = append(cells, got...)
	}
	return cells, nil
}

// anyCreated answers whether a case was created in [from, to).
func (s *Store) anyCreated(ctx context.Context, from, to time.Time) (bool, error) {
	if !from.Before(to) {
		return false, nil
	}
	var one int
	err := s.rdb.QueryRowContext(ctx, s.rebind(`SELECT 1 FROM cases WHERE created_at >= ? AND created_at < ? LIMIT 1`),
		micros(from), micros(to)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: count cases: %w", err)
	}
	return true, nil
}

// rollupCells sums a rollup over whole days or whole months [lo, hi).
func (s *Store) rollupCells(ctx context.Context, line string, unit *int64, monthly bool, lo, hi time.Time) ([]stats.Cell, error) {
	table, col, a, b := "rollup_day", "day", s.dayOf(lo), s.dayOf(hi)
	switch {
	case monthly && unit != nil:
		table, col, a, b = "rollup_unit_month", "month", a/100, b/100
	case monthly:
		table, col, a, b = "rollup_month", "month", a/100, b/100
	case unit != nil:
		table = "rollup_unit"
	}
	var conds []string
	var args []any
	if unit != nil {
		conds, args = append(conds, "unit_id = ?"), append(args, *unit)
	}
	if line != "" {
		conds, args = append(conds, "line = ?"), append(args, line)
	}
	conds, args = append(conds, col+" >= ?", col+" < ?"), append(args, a, b)
	return s.cells(ctx, `SELECT category, status, outcome, SUM(n) FROM `+table+` WHERE `+strings.Join(conds, " AND ")+
		` GROUP BY category, status, outcome`, args...)
}

// rawCells counts from the cases table itself.
func (s *Store) rawCells(ctx context.Context, line string, unit *int64, from, to time.Time) ([]stats.Cell, error) {
	q := `SELECT category, status, COALESCE(outcome, ''), COUNT(*) FROM cases WHERE created_at >= ? AND created_at < ?`
	args := []any{micros(from), micros(to)}
	if unit != nil {
		q += ` AND COALESCE(unit_id, 0) = ?`
		args = append(args, *unit)
	}
	if line != "" {
		q += ` AND line = ?`
		args = append(args, line)
	}
	return s.cells(ctx, q+` GROUP BY category, status, COALESCE(outcome, '')`, args...)
}

// RecountCells counts a period straight from the cases, bypassing the
// rollups: the check that the rollups are right.
func (s *Store) RecountCells(ctx context.Context, line string, unit *int64, from, to time.Time) ([]stats.Cell, error) {
	return s.rawCells(ctx, line, unit, from, to)
}

func (s *Store) cells(ctx context.Context, q string, args ...any) ([]stats.Cell, error) {
	rows, err := s.rdb.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: count cases: %w", err)
	}
	defer rows.Close()
	var out []stats.Cell
	for rows.Next() {
		var c stats.Cell
		var status string
		if err := rows.Scan(&c.Category, &status, &c.Outcome, &c.N); err != nil {
			return nil, err
		}
		c.Status = casework.Status(status)
		if c.N != 0 {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

// dayStart is midnight, zone time, of the day holding t.
func (s *Store) dayStart(t time.Time) time.Time {
	y, m, d := t.In(s.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, s.loc)
}

func filterSQL(f stats.Filter) (string, []any) {
	conds := []string{"created_at >= ?", "created_at < ?"}
	args := []any{micros(f.From), micros(f.To)}
	add := func(cond string, v any) {
		conds = append(conds, cond)
		args = append(args, v)
	}
	if f.Line != "" {
		add("line = ?", f.Line)
	}
	if f.Channel != "" {
		add("channel = ?", f.Channel)
	}
	if f.Category != "" {
		add("category = ?", f.Category)
	}
	if f.Type != "" {
		add("type = ?", f.Type)
	}
	if f.UnitID != nil {
		add("unit_id = ?", *f.UnitID)
	}
	if f.GridID != nil {
		add("grid_id = ?", *f.GridID)
	}
	if f.Enterprise != nil {
		add("enterprise_id = ?", *f.Enterprise)
	}
	if f.Risk != "" {
		add("risk = ?", f.Risk)
	}
	return strings.Join(conds, " AND "), args
}

// Dimensions a breakdown can group by, and the column each reads.
var Dimensions = map[string]string{
	"line": "line", "channel": "channel", "category": "category", "type": "type", "risk": "risk",
	"unit": "COALESCE(unit_id, 0)", "grid": "COALESCE(grid_id, 0)", "enterprise": "COALESCE(enterprise_id, 0)",
	"status": "status", "priority": "priority",
}

// Breakdown groups the cases of a period by a dimension.
func (s *Store) Breakdown(ctx context.Context, f stats.Filter, by string) ([]stats.Group, error) {
	col, ok := Dimensions[by]
	if !ok {
		return nil, casework.Invalid("invalid_dimension", "不能按“%s”分组", by)
	}
	where, args := filterSQL(f)
	q := `SELECT ` + col + ` AS k, COUNT(*),
		SUM(CASE WHEN status NOT IN ('merged', 'referred_police') THEN 1 ELSE 0 END),
		SUM(CASE WHEN status NOT IN ('merged', 'referred_police') AND outcome IN ('onsite_resolved', 'taken_back_resolved') THEN 1 ELSE 0 END),
		SUM(CASE WHEN status IN ('resolved', 'closed') THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'closed' AND satisfaction IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'closed' AND satisfaction >= 4 THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'merged' THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'referred_police' THEN 1 ELSE 0 END),
		SUM(CASE WHEN repeat_of IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN status IN ('received', 'dispatched', 'accepted', 'on_site', 'mediating') THEN 1 ELSE 0 END),
		SUM(CASE WHEN risk = 'high' THEN 1 ELSE 0 END)
		FROM cases WHERE ` + where + ` GROUP BY ` + col + ` ORDER BY 2 DESC`
	rows, err := s.rdb.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: breakdown by %s: %w", by, err)
	}
	defer rows.Close()
	var out []stats.Group
	for rows.Next() {
		var g stats.Group
		var key any
		if err := rows.Scan(&key, &g.Reports, &g.Total, &g.Success, &g.Resolved, &g.Closed, &g.Rated, &g.Satisfied,
			&g.Merged, &g.ReferredPolice, &g.Repeats, &g.Open, &g.HighRisk); err != nil {
			return nil, err
		}
		switch k := key.(type) {
		case []byte:
			g.Key = string(k)
		default:
			g.Key = fmt.Sprint(k)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// StageTimes answers the recorded stages of the cases the filter selects.
func (s *Store) StageTimes(ctx context.Context, f stats.Filter) ([]stats.StageTime, error) {
	where, args := filterSQL(f)
	q := `SELECT stage, started_at, due_at, met_at, breached, status FROM stage_times WHERE case_id IN (SELECT id FROM cases WHERE ` + where + `)`
	if f == (stats.Filter{From: f.From, To: f.To, Line: f.Line}) {
		// Only the period and the line: the table's own index answers.
		q = `SELECT stage, started_at, due_at, met_at, breached, status FROM stage_times WHERE created_at >= ? AND created_at < ?`
		args = []any{micros(f.From), micros(f.To)}
		if f.Line != "" {
			q += ` AND line = ?`
			args = append(args, f.Line)
		}
	}
	rows, err := s.rdb.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: stage times: %w", err)
	}
	defer rows.Close()
	var out []stats.StageTime
	for rows.Next() {
		var st stats.StageTime
		var started, due int64
		var met *int64
		var breached int
		if err := rows.Scan(&st.Stage, &started, &due, &met, &breached, &st.Status); err != nil {
			return nil, err
		}
		st.StartedAt, st.DueAt, st.Breached = s.fromMicros(started), s.fromMicros(due), breached != 0
		if met != nil {
			t := s.fromMicros(*met)
			st.MetAt = &t
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// The unit a transfer left (its event's unit_id is the unit it went
// to), as SQLite spells it; rebind turns it into PostgreSQL's.
const (
	transferFrom   = `CAST(json_extract(data, '$.details.from_unit_id') AS INTEGER)`
	pgTransferFrom = `CAST(data::jsonb -> 'details' ->> 'from_unit_id' AS BIGINT)`
)

// ActionsByUnit counts the events of an action in [from, to) by the unit
// that passed the case on (of one line's cases when line is set): the
// returns (退单) and transfers (转办) per unit, the buck-passing
// indicator. A return's unit is the unit that handed it back; a
// transfer's, the unit it left.
func (s *Store) ActionsByUnit(ctx context.Context, action casework.Action, line string, from, to time.Time) ([]stats.UnitCount, error) {
	unit := "COALESCE(unit_id, 0)"
	if action == casework.ActionTransfer {
		unit = "COALESCE(" + transferFrom + ", 0)"
	}
	q := `SELECT ` + unit + `, COUNT(*) FROM case_events WHERE action = ? AND at >= ? AND at < ?`
	args := []any{string(action), micros(from), micros(to)}
	if line != "" {
		q += ` AND case_id IN (SELECT id FROM cases WHERE line = ?)`
		args = append(args, line)
	}
	rows, err := s.rdb.QueryContext(ctx, s.rebind(q+` GROUP BY `+unit+` ORDER BY 2 DESC`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s by unit: %w", action, err)
	}
	defer rows.Close()
	var out []stats.UnitCount
	for rows.Next() {
		var u stats.UnitCount
		if err := rows.Scan(&u.UnitID, &u.N); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UnitNames answers every unit's name by id.
func (s *Store) UnitNames(ctx context.Context) (map[int64]string, error) {
	units, err := s.Units(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(units))
	for _, u := range units {
		out[u.ID] = u.Name
	}
	return out, nil
}

// DutyLines answers who stood duty during [from, to), unit by unit, the
// leaders apart.
func (s *Store) DutyLines(ctx context.Context, from, to time.Time) ([]stats.DutyLine, error) {
	shifts, err := s.Shifts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	people, err := s.People(ctx, nil)
	if err != nil {
		return nil, err
	}
	names, err := s.UnitNames(ctx)
	if err != nil {
		return nil, err
	}
	person := map[int64]string{}
	for _, p := range people {
		person[p.ID] = p.Name
	}
	type key struct {
		unit   int64
		leader bool
	}
	index := map[key]int{}
	var out []stats.DutyLine
	for _, sh := range shifts {
		k := key{sh.UnitID, sh.Leader}
		i, ok := index[k]
		if !ok {
			out = append(out, stats.DutyLine{Unit: names[sh.UnitID], Leader: sh.Leader})
			i = len(out) - 1
			index[k] = i
		}
		name := person[sh.PersonID]
		dup := false
		for _, p := range out[i].People {
			dup = dup || p == name
		}
		if !dup {
			out[i].People = append(out[i].People, name)
		}
	}
	return out, nil
}

// Notable answers the cases of [from, to) a leader should look at: high
// risk, police matters, or with a breached clock, newest first (at most 50).
func (s *Store) Notable(ctx context.Context, from, to time.Time) ([]casework.Case, error) {
	rows, err := s.rdb.QueryContext(ctx, s.rebind(`SELECT `+caseColumns+` FROM cases WHERE created_at >= ? AND created_at < ?
		AND (risk = 'high' OR police = 1 OR id IN (SELECT case_id FROM stage_times WHERE breached = 1 AND created_at >= ? AND created_at < ?))
		ORDER BY created_at DESC LIMIT 50`), micros(from), micros(to), micros(from), micros(to))
	if err != nil {
		return nil, fmt.Errorf("store: notable cases: %w", err)
	}
	return s.scanCases(rows, nil)
}

// Corrections answers the cases dispatchers reclassified, with the
// classification they settled on: labelled examples for triage. The latest
// first, at most limit.
func (s *Store) Corrections(ctx context.Context, limit int) ([]triage.Example, error) {
	rows, err := s.rdb.QueryContext(ctx, s.rebind(`SELECT text, category, type, police, risk FROM cases
		WHERE id IN (SELECT case_id FROM case_events WHERE action = 'reclassify') ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("store: corrections: %w", err)
	}
	defer rows.Close()
	var out []triage.Example
	for rows.Next() {
		var e triage.Example
		var police int
		if err := rows.Scan(&e.Text, &e.Category, &e.Type, &police, &e.Risk); err != nil {
			return nil, err
		}
		e.Police = police != 0
		out = append(out, e)
	}
	return out, rows.Err()
}
