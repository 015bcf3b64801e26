// Package postgres holds the PostgreSQL backend's schema and how to open
// it, for cities and provinces that run several Yizhan nodes on one
// database.
package postgres

import (
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations are the schema steps, numbered and append-only.
func Migrations() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

// Open connects to the database at url. Reads and the group-commit writer
// share one pool; PostgreSQL's default synchronous_commit makes every
// acknowledged commit durable.
func Open(url string, conns int) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return db, nil
}
