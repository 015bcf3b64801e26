// Package store is the only package that speaks SQL. One implementation
// over database/sql serves both backends: the embedded SQLite of a single
// zone and PostgreSQL for several nodes. Writes go through a group commit;
// every action writes its event and the projections derived from it in one
// transaction.
package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/store/postgres"
	"github.com/yizhan/yizhan/internal/store/sqlite"
)

// Dialect names a backend.
type Dialect string

// The backends.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options say which database to open.
type Options struct {
	// DataDir holds the embedded database (DataDir/yizhan.db).
	DataDir string
	// URL, when it starts with postgres:// or postgresql://, selects PostgreSQL.
	URL string
	// Logger receives migration and background messages.
	Logger *slog.Logger
	// MaxBatch bounds how many writes share one commit (default 256).
	MaxBatch int
	// Location is the zone's time zone; times come back in it.
	Location *time.Location
	// Clocks are the SLA policies and calendar; nil means the built-in
	// ones.
	Clocks *casework.Clocks
}

// Store is the database behind Yizhan.
type Store struct {
	dialect Dialect
	wdb     *sql.DB // writes: SQLite's single connection, or the PostgreSQL pool
	rdb     *sql.DB // reads
	w       *writer
	q       map[string]string
	wstmt   map[string]*sql.Stmt // the named queries prepared on the write connection
	rstmt   map[string]*sql.Stmt // and for the readers
	log     *slog.Logger
	loc     *time.Location
	clocks  atomic.Pointer[casework.Clocks]
	// marks keeps the clock marks of cases read and written (clockMarks).
	marks  *clockMarks
	recent *recentKeys
	// summaries caches the duplicate check's candidates (SQLite only).
	summaries *summaryCache
	// window holds the newest rows of the duplicate index (SQLite only).
	window *windowIndex
	// spillQueued says a spill of the duplicate index log is queued
	// (spillKeyLog); the writer's goroutine alone touches it. spillChunk
	// bounds the rows one spill moves.
	spillQueued bool
	spillChunk  int
	hooks       activeHooks            // the active webhooks, kept a second
	bulk        sync.Map               // multi-row inserts of history loads, by table and size
	channel     atomic.Pointer[string] // the live-event relay's channel (PostgreSQL)
}

// ErrConnect answers a PostgreSQL store that cannot be reached.
var ErrConnect = errors.New("cannot connect to the database")

// ErrOpenFile answers an embedded store whose file cannot be opened or
// made (a missing or read-only --data directory).
var ErrOpenFile = errors.New("cannot open the database file")

// ErrNotPostgresURL answers a --db that is no postgres:// URL.
var ErrNotPostgresURL = errors.New("--db must be a postgres:// URL")

// IsPostgresURL reports whether a --db value selects PostgreSQL.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// openDatabase opens the database opt names: PostgreSQL with a pool of
// pgConns, or the embedded SQLite's write connection and sqliteReaders
// read connections. It answers the backend's migrations too.
func openDatabase(opt Options, pgConns, sqliteReaders int) (d Dialect, w, r *sql.DB, migrations fs.FS, err error) {
	switch {
	case opt.URL != "" && !IsPostgresURL(opt.URL):
		return "", nil, nil, nil, fmt.Errorf("store: %w, got %q", ErrNotPostgresURL, opt.URL)
	case opt.URL != "":
		db, err := postgres.Open(opt.URL, pgConns)
		if err != nil {
			return "", nil, nil, nil, fmt.Errorf("store: %w: %w", ErrConnect, err)
		}
		return Postgres, db, db, postgres.Migrations(), nil
	}
	w, r, err = sqlite.Open(cmp.Or(opt.DataDir, "./data"), sqliteReaders)
	if err != nil {
		return "", nil, nil, nil, fmt.Errorf("store: %w: %w", ErrOpenFile, err)
	}
	return SQLite, w, r, sqlite.Migrations(), nil
}

// Open opens the database, applies pending migrations and starts the group
// commit.
func Open(ctx context.Context, opt Options) (*Store, error) {
	s := &Store{
		log:    cmp.Or(opt.Logger, slog.Default()),
		loc:    opt.Location,
		recent: newRecentKeys(),
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	clocks := opt.Clocks
	if clocks == nil {
		clocks = &casework.Clocks{Policies: sla.DefaultPolicies(), Calendar: sla.DefaultCalendar()}
	}
	s.clocks.Store(clocks)
	s.marks = newClockMarks(maxClockMarks)
	dialect, w, r, migrations, err := openDatabase(opt, 16, 8)
	if err != nil {
		return nil, err
	}
	s.dialect, s.wdb, s.rdb = dialect, w, r
	if dialect == SQLite {
		s.summaries = newSummaryCache(8 << 20)
		s.window = newWindowIndex(windowSpan, windowMaxRows)
		s.spillChunk = spillChunk
	}
	s.q = make(map[string]string, len(queries))
	for name, q := range queries {
		s.q[name] = s.rebind(q)
	}
	if s.dialect == SQLite {
		maps.Copy(s.q, sqliteQueries)
	}
	if err := s.migrate(ctx, migrations); err != nil {
		s.closeDBs()
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		s.closeDBs()
		return nil, err
	}
	index := []bulkTable{bulkKeys}
	if s.dialect == SQLite {
		index = append(index, bulkLog)
	}
	if err := s.prepareBulk(ctx, index...); err != nil {
		s.closeDBs()
		return nil, err
	}
	s.w = newWriter(s.wdb, cmp.Or(opt.MaxBatch, 256))
	s.w.flush = s.flushBatch
	if s.window != nil {
		if err := s.window.load(ctx, s, time.Now()); err != nil {
			s.closeDBs()
			return nil, err
		}
	}
	s.w.committed = func(d *deltas) {
		s.marks.putAll(d.marks)
		if s.window != nil {
			s.summaries.write(d.written)
			s.logCommitted(d)
		}
	}
	s.w.start()
	return s, nil
}

// SetClocks replaces the SLA policies and calendar (an administrator
// edited the calendar).
func (s *Store) SetClocks(k *casework.Clocks) { s.clocks.Store(k) }

// Clocks answers the SLA policies and calendar in force.
func (s *Store) Clocks() *casework.Clocks { return s.clocks.Load() }

// Dialect answers which backend is open.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close finishes queued writes and closes the database.
func (s *Store) Close() error {
	s.w.close()
	return s.closeDBs()
}

func (s *Store) closeDBs() error {
	s.bulk.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	for _, st := range s.wstmt {
		st.Close()
	}
	for _, st := range s.rstmt {
		st.Close()
	}
	err := s.wdb.Close()
	if s.rdb != s.wdb {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// Collectors are the store's Prometheus metrics.
func (s *Store) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.w.batchSize, s.w.commitDur, s.marks.read}
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.rdb.PingContext(ctx) }

// rebind renumbers ? placeholders as $1, $2… for PostgreSQL, and spells
// the JSON fields the duplicate check and the clocks read its way. Queries hold no
// literal question marks.
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	q = strings.NewReplacer(extraCallers, pgCallers, extraLastReport, pgLastReport, transferFrom, pgTransferFrom,
		eventClockFields, pgEventClockFields).Replace(q)
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// prepare compiles every named query once: parsing SQL on every write
// would cost more than running it. On SQLite the write connection gets
// them all, the read-only ones the queries that only read.
func (s *Store) prepare(ctx context.Context) error {
	s.wstmt = make(map[string]*sql.Stmt, len(s.q))
	s.rstmt = make(map[string]*sql.Stmt, len(s.q))
	for name, q := range s.q {
		st, err := s.wdb.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: prepare %s: %w", name, err)
		}
		s.wstmt[name] = st
		if s.rdb == s.wdb {
			s.rstmt[name] = st
			continue
		}
		if !reads(q) {
			continue // the read-only connections never run it
		}
		rst, err := s.rdb.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: prepare %s for reading: %w", name, err)
		}
		s.rstmt[name] = rst
	}
	return nil
}

// reads reports whether a query only reads (a SELECT, or a WITH before
// one): only those are prepared on SQLite's read-only connections.
func reads(q string) bool {
	q = strings.ToUpper(strings.TrimSpace(q))
	return strings.HasPrefix(q, "SELECT") || strings.HasPrefix(q, "WITH")
}

func (s *Store) wst(ctx context.Context, tx *sql.Tx, name string) *sql.Stmt {
	st, ok := s.wstmt[name]
	if !ok {
		panic("store: unknown query " + name)
	}
	return tx.StmtContext(ctx, st)
}

// txExec, txRow and txRows run a named query inside a write transaction.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, name string, args ...any) (sql.Result, error) {
	return s.wst(ctx, tx, name).ExecContext(ctx, args...)
}

func (s *Store) txRow(ctx context.Context, tx *sql.Tx, name string, args ...any) *sql.Row {
	return s.wst(ctx, tx, name).QueryRowContext(ctx, args...)
}

func (s *Store) txRows(ctx context.Context, tx *sql.Tx, name string, args ...any) (*sql.Rows, error) {
	return s.wst(ctx, tx, name).QueryContext(ctx, args...)
}

// row and rows run a named query on the readers.
func (s *Store) row(ctx context.Context, name string, args ...any) *sql.Row {
	st, ok := s.rstmt[name]
	if !ok {
		panic("store: unknown query " + name)
	}
	return st.QueryRowContext(ctx, args...)
}

func (s *Store) rows(ctx context.Context, name string, args ...any) (*sql.Rows, error) {
	st, ok := s.rstmt[name]
	if !ok {
		panic("store: unknown query " + name)
	}
	return st.QueryContext(ctx, args...)
}

// micros turns a time into the stored form: microseconds since 1970 (UTC).
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros turns a stored time back into the zone's time.
func (s *Store) fromMicros(v int64) time.Time { return time.UnixMicro(v).In(s.loc) }

func nullID(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func idPtr(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	id := v.Int64
	return &id
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
