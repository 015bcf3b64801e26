package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

const personColumns = `id, name, phone, role, unit_id, skills, user_id, lat, lon, located_at, created_at`

// ErrPersonNotFound answers an unknown person.
var ErrPersonNotFound = casework.NotFound("person_not_found", "人员不存在")

// ErrPhoneTaken answers a phone number already in the directory.
var ErrPhoneTaken = casework.Conflict("phone_taken", "该手机号已登记在通讯录中")

// CreatePeople stores people in one transaction: all of them, or none.
func (s *Store) CreatePeople(ctx context.Context, ps []routing.NewPerson, now time.Time) ([]int64, error) {
	ids := make([]int64, 0, len(ps))
	err := s.w.doRetrying(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ids = ids[:0]
		for i, p := range ps {
			var exists int64
			err := tx.QueryRowContext(ctx, s.rebind(`SELECT id FROM people WHERE phone = ?`), p.Phone).Scan(&exists)
			if err == nil {
				if len(ps) == 1 {
					return ErrPhoneTaken
				}
				return casework.Conflict("phone_taken", "第 %d 行：手机号 %s 已登记在通讯录中", i+1, p.Phone)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: check phone: %w", err)
			}
			if p.UserID != nil {
				err := tx.QueryRowContext(ctx, s.rebind(`SELECT id FROM users WHERE id = ?`), *p.UserID).Scan(&exists)
				switch {
				case errors.Is(err, sql.ErrNoRows) && len(ps) == 1:
					return casework.Invalid("unknown_user", "账号 %d 不存在", *p.UserID)
				case errors.Is(err, sql.ErrNoRows):
					return casework.Invalid("unknown_user", "第 %d 行：账号 %d 不存在", i+1, *p.UserID)
				case err != nil:
					return fmt.Errorf("store: check user: %w", err)
				}
			}
			skills, _ := json.Marshal(p.Skills)
			var id int64
			err = tx.QueryRowContext(ctx, s.rebind(`INSERT INTO people (name, phone, role, unit_id, skills, user_id, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), p.Name, p.Phone, p.Role, p.UnitID, string(skills), nullID(p.UserID), micros(now)).Scan(&id)
			if err != nil {
				return fmt.Errorf("store: insert person: %w", err)
			}
			ids = append(ids, id)
		}
		return nil
	}, uniqueRace)
	return ids, err
}

// People answers the directory's people, of one unit when unitID is set.
func (s *Store) People(ctx context.Context, unitID *int64) ([]routing.Person, error) {
	q := `SELECT ` + personColumns + ` FROM people`
	var args []any
	if unitID != nil {
		q += ` WHERE unit_id = ?`
		args = append(args, *unitID)
	}
	rows, err := s.rdb.QueryContext(ctx, s.rebind(q+` ORDER BY id`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list people: %w", err)
	}
	return scanAll(rows, []routing.Person{}, s.scanPerson)
}

// GetPerson answers one person.
func (s *Store) GetPerson(ctx context.Context, id int64) (routing.Person, error) {
	p, err := s.scanPerson(s.rdb.QueryRowContext(ctx, s.rebind(`SELECT `+personColumns+` FROM people WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrPersonNotFound
	}
	return p, err
}

// SetPersonLocation records where a person is now (from a responder's phone).
func (s *Store) SetPersonLocation(ctx context.Context, id int64, loc casework.Location, at time.Time) error {
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.rebind(`UPDATE people SET lat = ?, lon = ?, located_at = ? WHERE id = ?`), loc.Lat, loc.Lon, micros(at), id)
		if err != nil {
			return fmt.Errorf("store: set location: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrPersonNotFound
		}
		return nil
	})
}

func (s *Store) scanPerson(r rowScanner) (routing.Person, error) {
	var p routing.Person
	var skills string
	var user, located sql.NullInt64
	var lat, lon sql.NullFloat64
	var created int64
	if err := r.Scan(&p.ID, &p.Name, &p.Phone, &p.Role, &p.UnitID, &skills, &user, &lat, &lon, &located, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return p, err
		}
		return p, fmt.Errorf("store: scan person: %w", err)
	}
	if err := json.Unmarshal([]byte(skills), &p.Skills); err != nil || p.Skills == nil {
		p.Skills = []string{}
	}
	p.UserID = idPtr(user)
	if lat.Valid && lon.Valid {
		p.Location = &casework.Location{Lat: lat.Float64, Lon: lon.Float64}
	}
	if located.Valid {
		t := s.fromMicros(located.Int64)
		p.LocatedAt = &t
	}
	p.CreatedAt = s.fromMicros(created)
	return p, nil
}

const enterpriseColumns = `id, name, credit_code, address, lat, lon, industry, headcount, grid_id, grid_worker, micro_center, created_at, updated_at`

// ErrEnterpriseNotFound answers an unknown enterprise.
var ErrEnterpriseNotFound = casework.NotFound("enterprise_not_found", "企业不存在")

// CreateEnterprises stores enterprises in one transaction: all or none.
// An enterprise whose credit code exists already is updated instead, so
// that a re-import of the zone's list refreshes it.
func (s *Store) CreateEnterprises(ctx context.Context, es []routing.NewEnterprise, now time.Time) ([]int64, error) {
	ids := make([]int64, 0, len(es))
	err := s.w.doRetrying(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ids = ids[:0]
		for _, e := range es {
			var lat, lon any
			if e.Location != nil {
				lat, lon = e.Location.Lat, e.Location.Lon
			}
			// A micro-center of 0 unlinks the enterprise's; none keeps it.
			unlink := e.MicroCenter != nil && *e.MicroCenter == 0
			micro := nullID(e.MicroCenter)
			if unlink {
				micro = nil
			}
			var id int64
			err := tx.QueryRowContext(ctx, s.rebind(`SELECT id FROM enterprises WHERE credit_code = ?`), e.CreditCode).Scan(&id)
			switch {
			case err == nil:
				_, err = tx.ExecContext(ctx, s.rebind(`UPDATE enterprises SET name = ?, address = ?, lat = ?, lon = ?, industry = ?,
					headcount = ?, grid_id = ?, grid_worker = ?, micro_center = COALESCE(?, micro_center), updated_at = ? WHERE id = ?`),
					e.Name, e.Address, lat, lon, string(e.Industry), e.Headcount, nullID(e.GridID), nullID(e.GridWorker), micro, micros(now), id)
				if err == nil && unlink {
					_, err = tx.ExecContext(ctx, s.rebind(`UPDATE enterprises SET micro_center = NULL WHERE id = ?`), id)
				}
			case errors.Is(err, sql.ErrNoRows):
				err = tx.QueryRowContext(ctx, s.rebind(`INSERT INTO enterprises (name, credit_code, address, lat, lon, industry, headcount,
					grid_id, grid_worker, micro_center, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
					e.Name, e.CreditCode, e.Address, lat, lon, string(e.Industry), e.Headcount, nullID(e.GridID), nullID(e.GridWorker),
					micro, micros(now), micros(now)).Scan(&id)
			}
			if err != nil && uniqueViolation(err, "enterprises_micro_center", "enterprises.micro_center") {
				return casework.Conflict("micro_center_taken", "单位 %d 已是另一家企业的微中心", *e.MicroCenter)
			}
			if err != nil {
				return fmt.Errorf("store: save enterprise %s: %w", e.Name, err)
			}
			ids = append(ids, id)
		}
		return nil
	}, uniqueRace)
	return ids, err
}

// Enterprises answers every enterprise, by id.
func (s *Store) Enterprises(ctx context.Context) ([]routing.Enterprise, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+enterpriseColumns+` FROM enterprises ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list enterprises: %w", err)
	}
	return scanAll(rows, []routing.Enterprise{}, s.scanEnterprise)
}

// GetEnterprise answers one enterprise.
func (s *Store) GetEnterprise(ctx context.Context, id int64) (routing.Enterprise, error) {
	e, err := s.scanEnterprise(s.rdb.QueryRowContext(ctx, s.rebind(`SELECT `+enterpriseColumns+` FROM enterprises WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrEnterpriseNotFound
	}
	return e, err
}

func (s *Store) scanEnterprise(r rowScanner) (routing.Enterprise, error) {
	var e routing.Enterprise
	var industry string
	var lat, lon sql.NullFloat64
	var grid, worker, micro sql.NullInt64
	var created, updated int64
	if err := r.Scan(&e.ID, &e.Name, &e.CreditCode, &e.Address, &lat, &lon, &industry, &e.Headcount, &grid, &worker, &micro, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return e, err
		}
		return e, fmt.Errorf("store: scan enterprise: %w", err)
	}
	e.Industry = routing.Industry(industry)
	if lat.Valid && lon.Valid {
		e.Location = &casework.Location{Lat: lat.Float64, Lon: lon.Float64}
	}
	e.GridID, e.GridWorker, e.MicroCenter = idPtr(grid), idPtr(worker), idPtr(micro)
	e.CreatedAt, e.UpdatedAt = s.fromMicros(created), s.fromMicros(updated)
	return e, nil
}

// CreateShifts adds shifts to the roster in one transaction.
func (s *Store) CreateShifts(ctx context.Context, shifts []routing.NewShift) ([]int64, error) {
	ids := make([]int64, 0, len(shifts))
	err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ids = ids[:0]
		for _, sh := range shifts {
			var id int64
			err := tx.QueryRowContext(ctx, s.rebind(`INSERT INTO shifts (unit_id, person_id, starts_at, ends_at, leader, note)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), sh.UnitID, sh.PersonID, micros(sh.Start), micros(sh.End), boolInt(sh.Leader), sh.Note).Scan(&id)
			if err != nil {
				return fmt.Errorf("store: insert shift: %w", err)
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// Shifts answers the shifts that overlap [from, to).
func (s *Store) Shifts(ctx context.Context, from, to time.Time) ([]routing.Shift, error) {
	rows, err := s.rdb.QueryContext(ctx, s.rebind(`SELECT id, unit_id, person_id, starts_at, ends_at, leader, note FROM shifts
		WHERE ends_at > ? AND starts_at < ? ORDER BY starts_at, id`), micros(from), micros(to))
	if err != nil {
		return nil, fmt.Errorf("store: list shifts: %w", err)
	}
	defer rows.Close()
	out := []routing.Shift{}
	for rows.Next() {
		var sh routing.Shift
		var start, end int64
		var leader int
		if err := rows.Scan(&sh.ID, &sh.UnitID, &sh.PersonID, &start, &end, &leader, &sh.Note); err != nil {
			return nil, fmt.Errorf("store: scan shift: %w", err)
		}
		sh.Start, sh.End, sh.Leader = s.fromMicros(start), s.fromMicros(end), leader != 0
		out = append(out, sh)
	}
	return out, rows.Err()
}

// DeleteShift removes a shift from the roster.
func (s *Store) DeleteShift(ctx context.Context, id int64) error {
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM shifts WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("store: delete shift: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return casework.NotFound("shift_not_found", "班次不存在")
		}
		return nil
	})
}

// Setting answers a stored setting's JSON, or nil when it was never set.
func (s *Store) Setting(ctx context.Context, key string) ([]byte, error) {
	var v string
	err := s.rdb.QueryRowContext(ctx, s.rebind(`SELECT value FROM settings WHERE key = ?`), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: setting %s: %w", key, err)
	}
	return []byte(v), nil
}

// SetSetting stores a setting's JSON.
func (s *Store) SetSetting(ctx context.Context, key string, value []byte, now time.Time) error {
	return s.SetSettingChecked(ctx, key, value, now, nil)
}

// DemandCounter counts the enterprise demands raised at office days held
// in [start, end) (channel office_day, occurred then).
type DemandCounter func(start, end time.Time) (int, error)

// SetSettingChecked stores a setting once check, when given, passed in the
// same write transaction: what check counted cannot change before the
// setting is saved (a schedule that would move an office day with
// demands, counted as the change commits).
func (s *Store) SetSettingChecked(ctx context.Context, key string, value []byte, now time.Time, check func(DemandCounter) error) error {
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if check != nil {
			count := func(start, end time.Time) (int, error) {
				// None was created before its day, give or take the
				// clock skew intake allows: created_at bounds the
				// search on the cases_line index.
				var n int
				err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM cases WHERE line = ? AND created_at >= ?
					AND channel = ? AND occurred_at >= ? AND occurred_at < ?`),
					string(casework.LineEnterprise), micros(start.Add(-casework.MaxClockSkew)),
					casework.ChannelOfficeDay, micros(start), micros(end)).Scan(&n)
				if err != nil {
					return 0, fmt.Errorf("store: count office-day demands: %w", err)
				}
				return n, nil
			}
			if err := check(count); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`), key, string(value), micros(now))
		return err
	})
}

// UpdateUnit changes a unit's name, parent or area (validated by the caller).
func (s *Store) UpdateUnit(ctx context.Context, u routing.Unit, now time.Time) error {
	var area any
	if len(u.Area) > 0 && strings.TrimSpace(string(u.Area)) != "null" {
		area = string(u.Area)
	}
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return s.updateUnit(ctx, tx, u, area, now)
	})
}

func (s *Store) updateUnit(ctx context.Context, tx *sql.Tx, u routing.Unit, area any, now time.Time) error {
	_, err := tx.ExecContext(ctx, s.rebind(`UPDATE units SET name = ?, parent_id = ?, area = ?, updated_at = ? WHERE id = ?`),
		u.Name, nullID(u.ParentID), area, micros(now), u.ID)
	if err != nil {
		return fmt.Errorf("store: update unit: %w", err)
	}
	return nil
}

// ApplyAreas sets the areas of existing units and creates new grid units,
// all in one transaction (a GeoJSON import of grid areas).
func (s *Store) ApplyAreas(ctx context.Context, updates []routing.Unit, creates []routing.NewUnit, now time.Time) error {
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, u := range updates {
			if err := s.updateUnit(ctx, tx, u, string(u.Area), now); err != nil {
				return err
			}
		}
		for _, n := range creates {
			var id int64
			if err := s.txRow(ctx, tx, "insert_unit", n.Name, string(n.Kind), nullID(n.ParentID), string(n.Area),
				micros(now), micros(now)).Scan(&id); err != nil {
				return fmt.Errorf("store: create unit %s: %w", n.Name, err)
			}
		}
		return nil
	})
}
