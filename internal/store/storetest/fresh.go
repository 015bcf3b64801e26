package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/postgres"
	"github.com/yizhan/yizhan/internal/store/sqlite"
)

// Place is where a fresh, empty database of one backend lives, for tests
// that run a command on the store rather than hold it open: the options
// that open it and the command-line flags that name it.
type Place struct {
	Name string
	New  func(t testing.TB) Target
}

// Target is one fresh database.
type Target struct {
	Options store.Options
	// Args are --data DIR or --db URL.
	Args []string
}

// Places lists a place of every backend a command must work on.
func Places() []Place {
	return []Place{{Name: "sqlite", New: FreshSQLite}, {Name: "postgres", New: FreshPostgres}}
}

// OnEachPlace runs test, in parallel, on a fresh database of every
// backend, for commands that open the store themselves.
func OnEachPlace(t *testing.T, test func(t *testing.T, tg Target)) {
	t.Helper()
	for _, p := range Places() {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			test(t, p.New(t))
		})
	}
}

// FreshSQLite is a new data directory in the test's temporary directory.
func FreshSQLite(t testing.TB) Target {
	t.Helper()
	dir := t.TempDir()
	return Target{Options: store.Options{DataDir: dir, Location: Zone, Logger: quiet}, Args: []string{"--data", dir}}
}

// FreshPostgres is a new schema, dropped when the test ends; the test is
// skipped when no server answers, unless YIZHAN_TEST_PG_REQUIRED is set.
func FreshPostgres(t testing.TB) Target {
	t.Helper()
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("YIZHAN_TEST_PG_REQUIRED") != "" {
			t.Fatalf("PostgreSQL required but unreachable at %s: %v", base, err)
		}
		t.Skipf("PostgreSQL unreachable at %s: %v", base, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "yz_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return Target{Options: store.Options{URL: u.String(), Location: Zone, Logger: quiet}, Args: []string{"--db", u.String()}}
}

// Open opens the target's store and answers it with its close, which a
// test calls to let a command run on the store alone; whatever is still
// open closes when the test ends.
func (tg Target) Open(t testing.TB) (*store.Store, func()) {
	t.Helper()
	st, err := store.Open(context.Background(), tg.Options)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	var once sync.Once
	closeStore := func() { once.Do(func() { st.Close() }) }
	t.Cleanup(closeStore)
	return st, closeStore
}

// Raw opens the target's database behind the store's back, for a test
// that builds an old schema or damages a row; closed when the test ends.
func (tg Target) Raw(t testing.TB) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", tg.Options.URL
	if dsn == "" {
		driver, dsn = "sqlite", "file:"+sqlite.Path(tg.Options.DataDir)+"?_pragma=busy_timeout(15000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// Exec runs statements on the target's database behind the store's back.
func (tg Target) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	db := tg.Raw(t)
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Migrations answers the target backend's migrations, in order.
func (tg Target) Migrations(t testing.TB) (fs.FS, []string) {
	t.Helper()
	fsys := sqlite.Migrations()
	if tg.Options.URL != "" {
		fsys = postgres.Migrations()
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return fsys, names
}

// OlderSchema builds the schema of the first k migrations, as a store last
// opened by an older yizhan has it, recorded as applied at at, and answers
// the names of the migrations left to apply.
func (tg Target) OlderSchema(t testing.TB, k int, at time.Time) []string {
	t.Helper()
	fsys, names := tg.Migrations(t)
	stmts := []string{`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`}
	for i, name := range names[:k] {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, string(body), fmt.Sprintf(`INSERT INTO schema_migrations VALUES (%d, '%s', %d)`, i+1, name, at.UnixMicro()))
	}
	tg.Exec(t, stmts...)
	return names[k:]
}
