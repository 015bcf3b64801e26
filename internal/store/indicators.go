package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/kpi"
)

const indicatorColumns = `id, code, name, grp, measure, direction, aggregation, cadence, target, unit_id, sort, note, active, created_at, updated_at`

const indicatorValueColumns = `indicator_id, zone_id, period, value, cumulative, yoy, recorded_by, recorded_at`

func init() {
	// The development indicators' named queries.
	for name, q := range map[string]string{
		"insert_indicator": `INSERT INTO indicators (code, name, grp, measure, direction, aggregation, cadence, target, unit_id, sort, note, active,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		"update_indicator": `UPDATE indicators SET code = ?, name = ?, grp = ?, measure = ?, direction = ?, aggregation = ?, cadence = ?,
			target = ?, unit_id = ?, sort = ?, note = ?, active = ?, updated_at = ? WHERE id = ?`,
		"indicator_by_code":       `SELECT id FROM indicators WHERE UPPER(code) = UPPER(?)`,
		"get_indicator":           `SELECT ` + indicatorColumns + ` FROM indicators WHERE id = ?`,
		"list_indicators":         `SELECT ` + indicatorColumns + ` FROM indicators ORDER BY sort, id`,
		"count_indicator_values":  `SELECT COUNT(*) FROM indicator_values WHERE indicator_id = ?`,
		"insert_indicator_zone":   `INSERT INTO indicator_zones (name, home, sort, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		"indicator_zone_by_name":  `SELECT id FROM indicator_zones WHERE name = ?`,
		"indicator_home_zone":     `SELECT id FROM indicator_zones WHERE home = 1`,
		"list_indicator_zones":    `SELECT id, name, home, sort, created_at FROM indicator_zones ORDER BY home DESC, sort, id`,
		"count_indicators":        `SELECT COUNT(*) FROM indicators`,
		"indicator_values_of":     `SELECT ` + indicatorValueColumns + ` FROM indicator_values WHERE indicator_id = ? AND year = ? ORDER BY period_end, zone_id`,
		"indicator_values_upto":   `SELECT ` + indicatorValueColumns + ` FROM indicator_values WHERE year >= ? AND period_end <= ?`,
		"indicator_value_periods": `SELECT DISTINCT period, period_end FROM indicator_values WHERE year = ? ORDER BY period_end`,
		"upsert_indicator_value": `INSERT INTO indicator_values (indicator_id, zone_id, period, year, period_end, value, cumulative, yoy, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, zone_id, period) DO UPDATE SET value = excluded.value,
			cumulative = excluded.cumulative, yoy = excluded.yoy, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
	} {
		queries[name] = q
	}
}

// ErrIndicatorNotFound answers an unknown indicator.
var ErrIndicatorNotFound = casework.NotFound("indicator_not_found", "指标不存在")

// CreateIndicator stores a new indicator (checked by kpi); a code in use
// answers a conflict.
func (s *Store) CreateIndicator(ctx context.Context, ind kpi.Indicator, now time.Time) (kpi.Indicator, error) {
	err := s.w.doRetrying(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := s.codeFree(ctx, tx, ind.Code, 0); err != nil {
			return err
		}
		err := s.txRow(ctx, tx, "insert_indicator", ind.Code, ind.Name, ind.Group, ind.Measure, string(ind.Direction), string(ind.Aggregation),
			string(ind.Cadence), nullFloat(ind.Target), nullID(ind.UnitID), ind.Sort, ind.Note, boolInt(ind.Active), micros(now), micros(now)).Scan(&ind.ID)
		if err != nil {
			return fmt.Errorf("store: insert indicator: %w", err)
		}
		return nil
	}, uniqueRace)
	if err != nil {
		return ind, err
	}
	return s.GetIndicator(ctx, ind.ID)
}

// CreateIndicators stores several indicators in one transaction: all or
// none (the demo's catalogue, an administrator's list).
func (s *Store) CreateIndicators(ctx context.Context, inds []kpi.Indicator, now time.Time) ([]int64, error) {
	ids := make([]int64, 0, len(inds))
	err := s.w.doRetrying(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ids = ids[:0]
		for _, ind := range inds {
			if err := s.codeFree(ctx, tx, ind.Code, 0); err != nil {
				return err
			}
			var id int64
			err := s.txRow(ctx, tx, "insert_indicator", ind.Code, ind.Name, ind.Group, ind.Measure, string(ind.Direction), string(ind.Aggregation),
				string(ind.Cadence), nullFloat(ind.Target), nullID(ind.UnitID), ind.Sort, ind.Note, boolInt(ind.Active), micros(now), micros(now)).Scan(&id)
			if err != nil {
				return fmt.Errorf("store: insert indicator %s: %w", ind.Code, err)
			}
			ids = append(ids, id)
		}
		return nil
	}, uniqueRace)
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// codeFree refuses a code another indicator than self holds (codes are
// compared without case).
func (s *Store) codeFree(ctx context.Context, tx *sql.Tx, code string, self int64) error {
	var id int64
	err := s.txRow(ctx, tx, "indicator_by_code", code).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && id == self:
		return nil
	case err != nil:
		return fmt.Errorf("store: check indicator code: %w", err)
	}
	return casework.Conflict("indicator_code_taken", "指标代码 %s 已被使用", code)
}

// UpdateIndicator saves an edited indicator. Its cadence and aggregation
// may change only while it has no values: the stored periods and totals
// would no longer mean what they meant.
func (s *Store) UpdateIndicator(ctx context.Context, ind kpi.Indicator, now time.Time) (kpi.Indicator, error) {
	err := s.w.doRetrying(ctx, func(ctx context.Context, tx *sql.Tx) error {
		old, err := s.scanIndicator(s.txRow(ctx, tx, "get_indicator", ind.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrIndicatorNotFound
		}
		if err != nil {
			return err
		}
		if err := s.codeFree(ctx, tx, ind.Code, ind.ID); err != nil {
			return err
		}
		if old.Cadence != ind.Cadence || old.Aggregation != ind.Aggregation {
			var n int
			if err := s.txRow(ctx, tx, "count_indicator_values", ind.ID).Scan(&n); err != nil {
				return fmt.Errorf("store: count indicator values: %w", err)
			}
			if n > 0 {
				return casework.Conflict("indicator_has_values", "指标 %s 已有 %d 条数据，不能再改报送频次或累计方式", old.Code, n)
			}
		}
		_, err = s.txExec(ctx, tx, "update_indicator", ind.Code, ind.Name, ind.Group, ind.Measure, string(ind.Direction), string(ind.Aggregation),
			string(ind.Cadence), nullFloat(ind.Target), nullID(ind.UnitID), ind.Sort, ind.Note, boolInt(ind.Active), micros(now), ind.ID)
		if err != nil {
			return fmt.Errorf("store: update indicator: %w", err)
		}
		return nil
	}, uniqueRace)
	if err != nil {
		return ind, err
	}
	return s.GetIndicator(ctx, ind.ID)
}

// GetIndicator answers one indicator.
func (s *Store) GetIndicator(ctx context.Context, id int64) (kpi.Indicator, error) {
	ind, err := s.scanIndicator(s.row(ctx, "get_indicator", id))
	if errors.Is(err, sql.ErrNoRows) {
		return ind, ErrIndicatorNotFound
	}
	return ind, err
}

// Indicators answers every indicator, in the report's order.
func (s *Store) Indicators(ctx context.Context) ([]kpi.Indicator, error) {
	rows, err := s.rows(ctx, "list_indicators")
	if err != nil {
		return nil, fmt.Errorf("store: list indicators: %w", err)
	}
	out, err := scanAll(rows, []kpi.Indicator{}, s.scanIndicator)
	kpi.SortIndicators(out)
	return out, err
}

func (s *Store) scanIndicator(r rowScanner) (kpi.Indicator, error) {
	var ind kpi.Indicator
	var dir, agg, cad string
	var target sql.NullFloat64
	var unit sql.NullInt64
	var active, created, updated int64
	err := r.Scan(&ind.ID, &ind.Code, &ind.Name, &ind.Group, &ind.Measure, &dir, &agg, &cad, &target, &unit, &ind.Sort, &ind.Note,
		&active, &created, &updated)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ind, err
		}
		return ind, fmt.Errorf("store: scan indicator: %w", err)
	}
	ind.Direction, ind.Aggregation, ind.Cadence = kpi.Direction(dir), kpi.Aggregation(agg), kpi.Cadence(cad)
	if target.Valid {
		ind.Target = &target.Float64
	}
	ind.UnitID, ind.Active = idPtr(unit), active != 0
	ind.CreatedAt, ind.UpdatedAt = s.fromMicros(created), s.fromMicros(updated)
	return ind, nil
}

// CreateIndicatorZone adds a zone to compare with; a name in use, or a
// second home zone, answers a conflict.
func (s *Store) CreateIndicatorZone(ctx context.Context, z kpi.NewZone, now time.Time) (kpi.Zone, error) {
	out := kpi.Zone{Name: z.Name, Home: z.Home, Sort: z.Sort}
	err := s.w.doRetrying(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var id int64
		err := s.txRow(ctx, tx, "indicator_zone_by_name", z.Name).Scan(&id)
		if err == nil {
			return casework.Conflict("zone_name_taken", "区域“%s”已存在", z.Name)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: check zone name: %w", err)
		}
		if z.Home {
			err := s.txRow(ctx, tx, "indicator_home_zone").Scan(&id)
			if err == nil {
				return casework.Conflict("home_zone_exists", "本区已设置（区域 %d），只能有一个", id)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: check home zone: %w", err)
			}
		}
		if err := s.txRow(ctx, tx, "insert_indicator_zone", z.Name, boolInt(z.Home), z.Sort, micros(now)).Scan(&out.ID); err != nil {
			return fmt.Errorf("store: insert zone: %w", err)
		}
		return nil
	}, uniqueRace)
	out.CreatedAt = s.fromMicros(micros(now))
	return out, err
}

// IndicatorZones answers the zones, this zone first.
func (s *Store) IndicatorZones(ctx context.Context) ([]kpi.Zone, error) {
	rows, err := s.rows(ctx, "list_indicator_zones")
	if err != nil {
		return nil, fmt.Errorf("store: list zones: %w", err)
	}
	return scanAll(rows, []kpi.Zone{}, func(r rowScanner) (kpi.Zone, error) {
		var z kpi.Zone
		var home, created int64
		if err := r.Scan(&z.ID, &z.Name, &home, &z.Sort, &created); err != nil {
			return z, fmt.Errorf("store: scan zone: %w", err)
		}
		z.Home, z.CreatedAt = home != 0, s.fromMicros(created)
		return z, nil
	})
}

// SaveIndicatorValues stores figures in one transaction: all of them or
// none. A figure for an indicator, zone and period already stored
// replaces it (a corrected report). The values come checked by kpi.
func (s *Store) SaveIndicatorValues(ctx context.Context, vs []kpi.Value, by *int64, now time.Time) error {
	type row struct {
		v         kpi.Value
		year, end int
	}
	rows := make([]row, len(vs))
	for i, v := range vs {
		p, err := kpi.ParsePeriod(v.Period)
		if err != nil {
			return err
		}
		rows[i] = row{v, p.Year, p.EndKey()}
	}
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, r := range rows {
			_, err := s.txExec(ctx, tx, "upsert_indicator_value", r.v.IndicatorID, r.v.ZoneID, r.v.Period, r.year, r.end, r.v.Value,
				nullFloat(r.v.Cumulative), nullFloat(r.v.YoY), nullID(by), micros(now))
			if err != nil {
				return fmt.Errorf("store: save indicator value: %w", err)
			}
		}
		return nil
	})
}

// IndicatorValues answers one indicator's figures of a year, every zone,
// in period order.
func (s *Store) IndicatorValues(ctx context.Context, indicatorID int64, year int) ([]kpi.Value, error) {
	rows, err := s.rows(ctx, "indicator_values_of", indicatorID, year)
	if err != nil {
		return nil, fmt.Errorf("store: list indicator values: %w", err)
	}
	return scanAll(rows, []kpi.Value{}, s.scanIndicatorValue)
}

// IndicatorValuesUpTo answers every figure from the start of fromYear
// whose period ends by the day endKey (YYYYMMDD): what a ranking reads.
func (s *Store) IndicatorValuesUpTo(ctx context.Context, fromYear, endKey int) ([]kpi.Value, error) {
	rows, err := s.rows(ctx, "indicator_values_upto", fromYear, endKey)
	if err != nil {
		return nil, fmt.Errorf("store: read indicator values: %w", err)
	}
	return scanAll(rows, []kpi.Value{}, s.scanIndicatorValue)
}

// IndicatorPeriods answers the periods of a year that have figures, in
// order.
func (s *Store) IndicatorPeriods(ctx context.Context, year int) ([]string, error) {
	rows, err := s.rows(ctx, "indicator_value_periods", year)
	if err != nil {
		return nil, fmt.Errorf("store: list indicator periods: %w", err)
	}
	return scanAll(rows, []string{}, func(r rowScanner) (string, error) {
		var p string
		var end int64
		err := r.Scan(&p, &end)
		return p, err
	})
}

// HasIndicators reports whether any indicator exists (the demo loads its
// catalogue only into an empty one).
func (s *Store) HasIndicators(ctx context.Context) (bool, error) {
	var n int
	if err := s.row(ctx, "count_indicators").Scan(&n); err != nil {
		return false, fmt.Errorf("store: count indicators: %w", err)
	}
	return n > 0, nil
}

func (s *Store) scanIndicatorValue(r rowScanner) (kpi.Value, error) {
	var v kpi.Value
	var cum, yoy sql.NullFloat64
	var by sql.NullInt64
	var at int64
	if err := r.Scan(&v.IndicatorID, &v.ZoneID, &v.Period, &v.Value, &cum, &yoy, &by, &at); err != nil {
		return v, fmt.Errorf("store: scan indicator value: %w", err)
	}
	if cum.Valid {
		v.Cumulative = &cum.Float64
	}
	if yoy.Valid {
		v.YoY = &yoy.Float64
	}
	v.RecordedBy, v.RecordedAt = idPtr(by), s.fromMicros(at)
	return v, nil
}

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
