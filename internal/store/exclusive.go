package store

import (
	"context"
	"fmt"
)

// Exclusive runs fn while holding a lock named name that every node on the
// database shares (a PostgreSQL advisory lock, held by one connection for
// the duration); with SQLite, whose directory one server holds, it just
// runs fn.
func (s *Store) Exclusive(ctx context.Context, name string, fn func() error) error {
	if s.dialect != Postgres {
		return fn()
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: lock %q: %w", name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext(current_schema() || ':' || $1))`, name); err != nil {
		return fmt.Errorf("store: lock %q: %w", name, err)
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext(current_schema() || ':' || $1))`, name)
	}()
	return fn()
}
