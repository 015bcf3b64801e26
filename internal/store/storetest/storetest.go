// Package storetest opens real, fresh databases for tests: a new SQLite
// file per test, and a new PostgreSQL schema per test when a server is
// reachable. Tests never mock the store.
package storetest

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for schema set-up

	"github.com/yizhan/yizhan/internal/store"
)

// Backend opens a fresh store of one kind.
type Backend struct {
	Name string
	Open func(t testing.TB) *store.Store
}

var quiet = slog.New(slog.DiscardHandler)

// Zone is the time zone tests use.
var Zone = mustZone()

func mustZone() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}

// SQLite opens a fresh embedded database in the test's temporary directory.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return openStore(t, store.Options{DataDir: t.TempDir(), Location: Zone, Logger: quiet})
}

// PostgresURL is the server tests use: YIZHAN_TEST_PG, else the local one.
func PostgresURL() string {
	if v := os.Getenv("YIZHAN_TEST_PG"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Postgres opens a store in a fresh schema, dropped when the test ends. It
// skips the test when no server answers, unless YIZHAN_TEST_PG_REQUIRED is
// set (CI sets it, so that a missing server fails instead of hiding).
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	return openStore(t, FreshPostgres(t).Options)
}

func openStore(t testing.TB, opt store.Options) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), opt)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Backends lists every backend a shared suite must pass.
func Backends() []Backend {
	return []Backend{{Name: "sqlite", Open: SQLite}, {Name: "postgres", Open: Postgres}}
}

// OnEach runs test on a fresh store of every backend, each in a parallel
// subtest named after it.
func OnEach(t *testing.T, test func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, b.Open(t))
		})
	}
}
