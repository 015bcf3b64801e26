package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/store/sqlite"
)

// The queries of a backup. VACUUM INTO writes a consistent snapshot of
// the database into a new file: it reads in one transaction, which in WAL
// mode neither waits for the server's writer nor holds it up.
var backupQueries = map[string]string{
	"vacuum_into":     `VACUUM INTO ?`,
	"integrity_check": `PRAGMA integrity_check`,
	"count_cases":     `SELECT COUNT(*) FROM cases`,
	"schema_version":  `SELECT MAX(version) FROM schema_migrations`,
}

// BackupResult describes a backup written.
type BackupResult struct {
	File          string
	Bytes         int64
	Cases         int64
	SchemaVersion int
	Took          time.Duration
}

// ErrBackupPostgres answers a backup of a PostgreSQL store: the database's
// own tools do it, consistently and without stopping the nodes.
var ErrBackupPostgres = errors.New("yizhan backup copies the embedded SQLite store; for PostgreSQL use pg_dump (pg_dump -Fc -f yizhan.dump URL, restored with pg_restore)")

// ErrBackupExists answers a backup onto an existing file without force.
var ErrBackupExists = errors.New("the backup file exists (--force replaces it)")

// Backup writes a consistent copy of the embedded database to out while a
// server may go on writing: VACUUM INTO a temporary file beside out, an
// integrity check of the copy, an fsync, then the copy takes out's name.
// Without force an existing out is refused; the live database never is
// overwritten. Nothing is left behind on failure.
func (m *Maintenance) Backup(ctx context.Context, out string, force bool) (BackupResult, error) {
	started := time.Now()
	res := BackupResult{File: out}
	if m.s.dialect != SQLite {
		return res, ErrBackupPostgres
	}
	out, err := filepath.Abs(out)
	if err != nil {
		return res, fmt.Errorf("store: backup: %w", err)
	}
	res.File = out
	if err := m.checkTarget(out, force); err != nil {
		return res, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return res, fmt.Errorf("store: backup: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // gone already once renamed; the hard link's twin otherwise
	if err := tmp.Close(); err != nil {
		return res, fmt.Errorf("store: backup: %w", err)
	}
	// The write connection of this process, not the server's: VACUUM INTO
	// takes only a read snapshot of the database (the readers' query_only
	// refuses it all the same).
	if _, err := m.s.wdb.ExecContext(ctx, backupQueries["vacuum_into"], tmpName); err != nil {
		return res, fmt.Errorf("store: backup: vacuum into %s: %w", tmpName, err)
	}
	if res.Cases, res.SchemaVersion, err = checkCopy(ctx, tmpName); err != nil {
		return res, err
	}
	if err := syncFile(tmpName); err != nil {
		return res, err
	}
	if err := place(tmpName, out, force); err != nil {
		return res, err
	}
	if err := syncFile(filepath.Dir(out)); err != nil {
		return res, err
	}
	fi, err := os.Stat(out)
	if err != nil {
		return res, fmt.Errorf("store: backup: %w", err)
	}
	res.Bytes, res.Took = fi.Size(), time.Since(started)
	return res, nil
}

// checkTarget refuses a backup onto a directory, onto the live database,
// or onto an existing file without force.
func (m *Maintenance) checkTarget(out string, force bool) error {
	fi, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if fi.IsDir() {
		return fmt.Errorf("store: backup: %s is a directory", out)
	}
	if live, err := os.Stat(m.file); err == nil && os.SameFile(fi, live) {
		return fmt.Errorf("store: backup: %s is the live database", out)
	}
	if !force {
		return fmt.Errorf("store: backup: %s: %w", out, ErrBackupExists)
	}
	return nil
}

// checkCopy opens the copy on its own and answers its case count and
// schema version once PRAGMA integrity_check finds it sound.
func checkCopy(ctx context.Context, file string) (cases int64, version int, err error) {
	db, err := sqlite.OpenFile(file)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, backupQueries["integrity_check"])
	if err != nil {
		return 0, 0, fmt.Errorf("store: backup: integrity check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("store: backup: integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("store: backup: integrity check: %w", err)
	}
	if len(problems) > 0 {
		return 0, 0, fmt.Errorf("store: backup: the copy fails its integrity check: %s", strings.Join(problems, "; "))
	}
	if err := db.QueryRowContext(ctx, backupQueries["count_cases"]).Scan(&cases); err != nil {
		return 0, 0, fmt.Errorf("store: backup: count cases: %w", err)
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, backupQueries["schema_version"]).Scan(&v); err != nil {
		return 0, 0, fmt.Errorf("store: backup: schema version: %w", err)
	}
	return cases, int(v.Int64), nil
}

// place gives the checked copy its name: a rename with force, else a hard
// link, which fails rather than replace a file that appeared meanwhile.
func place(tmp, out string, force bool) error {
	if force {
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("store: backup: %w", err)
		}
		return nil
	}
	err := os.Link(tmp, out)
	switch {
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("store: backup: %s: %w", out, ErrBackupExists)
	case err != nil:
		// A file system without hard links: check, then rename.
		if _, serr := os.Lstat(out); serr == nil {
			return fmt.Errorf("store: backup: %s: %w", out, ErrBackupExists)
		}
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("store: backup: %w", err)
		}
	}
	return nil
}

// syncFile flushes a file or a directory (the rename in it) to disk.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("store: backup: sync %s: %w", name, err)
	}
	return nil
}
