package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/yizhan/yizhan/internal/store/sqlite"
)

// Maintenance is the store as an operator's command opens it (migrate,
// backup, audit) beside a server that may be running on the same
// database: the connections alone, without Open's migrations, group
// commit, caches or duplicate index. Everything it reads, it reads in a
// snapshot, so a server's writes meanwhile neither block it nor show half
// done.
type Maintenance struct {
	s          *Store
	migrations fs.FS
	// file is the SQLite database; "" on PostgreSQL.
	file string
}

// OpenMaintenance opens the database that opt names for maintenance. An
// embedded database must exist already: a backup or an audit of a
// mistyped --data must not leave an empty store behind.
func OpenMaintenance(_ context.Context, opt Options) (*Maintenance, error) {
	return openMaintenance(opt, false)
}

// CreateMaintenance is OpenMaintenance for yizhan migrate, which makes the
// embedded database when it does not exist yet: migrating a new data
// directory prepares a store before its first start, as migrating an
// empty PostgreSQL database does.
func CreateMaintenance(_ context.Context, opt Options) (m *Maintenance, created bool, err error) {
	if opt.URL == "" {
		_, statErr := os.Stat(sqlite.Path(cmp.Or(opt.DataDir, "./data")))
		created = errors.Is(statErr, fs.ErrNotExist)
	}
	m, err = openMaintenance(opt, true)
	return m, created && err == nil, err
}

func openMaintenance(opt Options, create bool) (*Maintenance, error) {
	s := &Store{log: cmp.Or(opt.Logger, slog.Default()), loc: opt.Location}
	if s.loc == nil {
		s.loc = time.Local
	}
	m := &Maintenance{s: s}
	if opt.URL == "" {
		dir := cmp.Or(opt.DataDir, "./data")
		m.file = sqlite.Path(dir)
		if fi, err := os.Stat(m.file); !(create && errors.Is(err, fs.ErrNotExist)) && (err != nil || !fi.Mode().IsRegular()) {
			return nil, fmt.Errorf("store: %w at %s (yizhan serve --data %s creates it on first start)", ErrNoDatabase, m.file, dir)
		}
	}
	dialect, w, r, migrations, err := openDatabase(opt, 4, 2)
	if err != nil {
		return nil, err
	}
	s.dialect, s.wdb, s.rdb, m.migrations = dialect, w, r, migrations
	return m, nil
}

// Dialect answers which backend is open.
func (m *Maintenance) Dialect() Dialect { return m.s.dialect }

// Close closes the connections.
func (m *Maintenance) Close() error { return m.s.closeDBs() }

// snapshot begins a read-only transaction that sees the database as of
// its first read: a consistent picture however long the reading takes.
// On SQLite it holds the WAL back from being reset until it ends; on
// PostgreSQL it holds back vacuum.
func (m *Maintenance) snapshot(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if m.s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := m.s.rdb.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("store: begin snapshot: %w", err)
	}
	return tx, nil
}

// ErrNoDatabase answers a maintenance command pointed at a data directory
// that holds no store (a mistyped --data).
var ErrNoDatabase = errors.New("no database")

// ErrSchemaBehind answers a command that needs the schema this yizhan
// knows on a store that is not there yet.
var ErrSchemaBehind = errors.New("the store's schema is older than this yizhan: run yizhan migrate first")

// requireCurrent refuses a store whose schema lags behind this yizhan's
// migrations: verify's queries read the newest tables (the action log of audit
// reads only the first migration's, and runs on any schema).
func (m *Maintenance) requireCurrent(ctx context.Context) error {
	st, err := m.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	if len(st.Pending()) > 0 {
		return fmt.Errorf("store: schema version %d, this yizhan needs %d: %w", st.Version, st.Latest, ErrSchemaBehind)
	}
	return nil
}
