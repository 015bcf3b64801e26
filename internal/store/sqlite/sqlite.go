// Package sqlite holds the embedded SQLite backend's schema and how to open
// it: a pure-Go driver, so the binary builds with CGO_ENABLED=0.
package sqlite

import (
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the schema steps, numbered and append-only.
func Migrations() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

// Path is where the database of a data directory lives.
func Path(dataDir string) string { return filepath.Join(dataDir, "yizhan.db") }

// Open opens (creating if needed) the database in dataDir twice: a single
// write connection, which the group commit owns, and a pool of read-only
// connections that WAL lets run beside it. synchronous=FULL makes every
// commit wait for the WAL to reach the disk: what is acknowledged survives
// a power cut. On the write connection temp_store=MEMORY keeps the group
// commit's savepoint journals in memory rather than in a temporary file
// (each savepoint wrote the pages it touched there first); the readers
// keep their sorts in temporary files, which bounds their memory. The
// write connection copies the WAL into the database (a checkpoint, with
// an fsync of its own) once the WAL holds 16,000 pages (64 MiB) rather
// than SQLite's 1,000: a page the batches rewrite again and again (a
// counter, an index's last leaf) is copied once per checkpoint, and the
// writer, which every request waits for, checkpoints a sixteenth as often
// (docs/PERFORMANCE.md). What is acknowledged is synced in the WAL either
// way; a restart after a crash reads the WAL back.
func Open(dataDir string, readers int) (write, read *sql.DB, err error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("sqlite: create data directory: %w", err)
	}
	path := Path(dataDir)
	pragmas := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(15000)", "foreign_keys(1)"} {
		pragmas.Add("_pragma", p)
	}
	wq := url.Values{"_txlock": {"immediate"}, "_pragma": {"temp_store(MEMORY)", "wal_autocheckpoint(16000)"}}
	for _, p := range pragmas["_pragma"] {
		wq.Add("_pragma", p)
	}
	write, err = sql.Open("sqlite", "file:"+path+"?"+wq.Encode())
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: open: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := write.Ping(); err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	rq := url.Values{}
	for _, p := range pragmas["_pragma"] {
		rq.Add("_pragma", p)
	}
	rq.Add("_pragma", "query_only(1)")
	read, err = sql.Open("sqlite", "file:"+path+"?"+rq.Encode())
	if err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("sqlite: open readers: %w", err)
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	read.SetConnMaxIdleTime(0)
	read.SetConnMaxLifetime(0)
	return write, read, nil
}
