package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

// CreateUnit stores a unit that the caller validated against the directory.
func (s *Store) CreateUnit(ctx context.Context, n routing.NewUnit, now time.Time) (routing.Unit, error) {
	u := routing.Unit{Name: n.Name, Kind: n.Kind, ParentID: n.ParentID, Area: n.Area, CreatedAt: now, UpdatedAt: now}
	var area any
	if len(n.Area) > 0 {
		area = string(n.Area)
	}
	err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return s.txRow(ctx, tx, "insert_unit", u.Name, string(u.Kind), nullID(u.ParentID), area,
			micros(now), micros(now)).Scan(&u.ID)
	})
	if err != nil {
		return u, fmt.Errorf("store: create unit: %w", err)
	}
	return s.GetUnit(ctx, u.ID)
}

// GetUnit answers one unit.
func (s *Store) GetUnit(ctx context.Context, id int64) (routing.Unit, error) {
	u, err := s.scanUnit(s.row(ctx, "get_unit", id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, casework.NotFound("unit_not_found", "单位 %d 不存在", id)
	}
	return u, err
}

// Units answers every unit, by id.
func (s *Store) Units(ctx context.Context) ([]routing.Unit, error) {
	rows, err := s.rows(ctx, "list_units")
	if err != nil {
		return nil, fmt.Errorf("store: list units: %w", err)
	}
	return scanAll(rows, []routing.Unit{}, s.scanUnit)
}

func (s *Store) scanUnit(r rowScanner) (routing.Unit, error) {
	var u routing.Unit
	var kind string
	var parent sql.NullInt64
	var area sql.NullString
	var created, updated int64
	if err := r.Scan(&u.ID, &u.Name, &kind, &parent, &area, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return u, err
		}
		return u, fmt.Errorf("store: scan unit: %w", err)
	}
	u.Kind, u.ParentID = routing.Kind(kind), idPtr(parent)
	if area.Valid && area.String != "" {
		u.Area = []byte(area.String)
	}
	u.CreatedAt, u.UpdatedAt = s.fromMicros(created), s.fromMicros(updated)
	return u, nil
}

// routingRulesKey is where the routing rules live among the settings.
const routingRulesKey = "routing_rules"

// RoutingRules answers the stored routing rules, in order, or the built-in
// ones when none were stored.
func (s *Store) RoutingRules(ctx context.Context) (routing.RuleSet, error) {
	raw, err := s.Setting(ctx, routingRulesKey)
	if err != nil || raw == nil {
		return routing.DefaultRules(), err
	}
	// What is stored is what SetRoutingRules encoded, once checked: read
	// it as it was written (an older empty set was written as null).
	var rules routing.RuleSet
	if err := json.Unmarshal(raw, &rules); err != nil {
		return rules, fmt.Errorf("store: stored routing rules: %w", err)
	}
	if rules.Rules == nil {
		rules.Rules = []routing.Rule{}
	}
	return rules, nil
}

// SetRoutingRules stores routing rules the caller checked against the
// directory.
func (s *Store) SetRoutingRules(ctx context.Context, rules routing.RuleSet, now time.Time) error {
	if rules.Rules == nil {
		rules.Rules = []routing.Rule{}
	}
	js, err := json.Marshal(rules)
	if err != nil {
		return fmt.Errorf("store: encode routing rules: %w", err)
	}
	return s.SetSetting(ctx, routingRulesKey, js, now)
}
