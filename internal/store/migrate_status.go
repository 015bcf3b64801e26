package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// The queries of the migration status, by dialect where they differ.
var migrationQueries = map[string]string{
	"migrations_table_sqlite":   `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
	"migrations_table_postgres": `SELECT COUNT(*) FROM (SELECT to_regclass('schema_migrations') AS t) r WHERE r.t IS NOT NULL`,
	"migrations_applied":        `SELECT version, name, applied_at FROM schema_migrations ORDER BY version`,
}

// MigrationState is one schema step: this yizhan's, the store's, or both.
type MigrationState struct {
	Version int
	Name    string
	Applied bool
	// AppliedAt is when the step was applied; zero while pending.
	AppliedAt time.Time
	// Unknown says the store has the step but this yizhan does not know it:
	// a newer yizhan applied it.
	Unknown bool
}

// MigrationStatus is where a store's schema stands against this yizhan's
// migrations.
type MigrationStatus struct {
	Steps []MigrationState
	// Version is the newest step applied to the store (0 for none),
	// Latest the newest this yizhan knows.
	Version, Latest int
}

// Pending answers the steps this yizhan would apply.
func (st MigrationStatus) Pending() []MigrationState {
	var out []MigrationState
	for _, s := range st.Steps {
		if !s.Applied {
			out = append(out, s)
		}
	}
	return out
}

// Unknown answers the steps only a newer yizhan knows.
func (st MigrationStatus) Unknown() []MigrationState {
	var out []MigrationState
	for _, s := range st.Steps {
		if s.Unknown {
			out = append(out, s)
		}
	}
	return out
}

// MigrationStatus reads which migrations the store has and which are
// pending, changing nothing.
func (m *Maintenance) MigrationStatus(ctx context.Context) (MigrationStatus, error) {
	steps, err := loadMigrations(m.migrations)
	if err != nil {
		return MigrationStatus{}, err
	}
	var st MigrationStatus
	applied := map[int]MigrationState{}
	var n int
	if err := m.s.rdb.QueryRowContext(ctx, migrationQueries["migrations_table_"+string(m.s.dialect)]).Scan(&n); err != nil {
		return st, fmt.Errorf("store: migration status: %w", err)
	}
	if n > 0 {
		rows, err := m.s.rdb.QueryContext(ctx, migrationQueries["migrations_applied"])
		if err != nil {
			return st, fmt.Errorf("store: migration status: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var a MigrationState
			var at int64
			if err := rows.Scan(&a.Version, &a.Name, &at); err != nil {
				return st, fmt.Errorf("store: migration status: %w", err)
			}
			a.Applied, a.AppliedAt = true, m.s.fromMicros(at)
			applied[a.Version] = a
			st.Version = max(st.Version, a.Version)
		}
		if err := rows.Err(); err != nil {
			return st, fmt.Errorf("store: migration status: %w", err)
		}
	}
	for _, step := range steps {
		s := MigrationState{Version: step.version, Name: step.name}
		if a, ok := applied[step.version]; ok {
			s.Applied, s.AppliedAt = true, a.AppliedAt
			delete(applied, step.version)
		}
		st.Steps = append(st.Steps, s)
		st.Latest = step.version
	}
	for _, v := range slices.Sorted(maps.Keys(applied)) {
		a := applied[v]
		a.Unknown = true
		st.Steps = append(st.Steps, a)
	}
	return st, nil
}

// ErrSchemaNewer answers a migration of a store that a newer yizhan has
// already taken further than this one knows.
var ErrSchemaNewer = errors.New("the store's schema is newer than this yizhan: use the yizhan that migrated it")

// Migrate applies the pending migrations, each in its own transaction as
// Open does (a server starting or running meanwhile waits for each step
// or finds it done), and answers the steps that were pending and are now
// applied, and where the schema stands. A store with steps this yizhan
// does not know is left as it is.
func (m *Maintenance) Migrate(ctx context.Context) ([]MigrationState, MigrationStatus, error) {
	before, err := m.MigrationStatus(ctx)
	if err != nil {
		return nil, before, err
	}
	if u := before.Unknown(); len(u) > 0 {
		return nil, before, fmt.Errorf("store: migration %s is not one of this yizhan's (newest %d): %w", u[0].Name, before.Latest, ErrSchemaNewer)
	}
	pending := before.Pending()
	if len(pending) == 0 {
		return nil, before, nil
	}
	if err := m.s.migrate(ctx, m.migrations); err != nil {
		return nil, before, err
	}
	after, err := m.MigrationStatus(ctx)
	if err != nil {
		return nil, after, err
	}
	done := map[int]MigrationState{}
	for _, s := range after.Steps {
		done[s.Version] = s
	}
	var applied []MigrationState
	for _, p := range pending {
		if s := done[p.Version]; s.Applied {
			applied = append(applied, s)
		}
	}
	return applied, after, nil
}
