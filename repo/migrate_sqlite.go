package repo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/golang-migrate/migrate/v4/database"
)

// sqliteDriver is a golang-migrate database.Driver for SQLite over the connection guidebox already
// opened. golang-migrate's own sqlite driver links modernc.org/sqlite, which registers the
// database/sql name "sqlite" that glebarez/go-sqlite (gorm's pure-Go SQLite) registers too, and it
// locks only within its process.
//
// The lock is SQLite's own: a run is one BEGIN IMMEDIATE transaction, which no other connection or
// process can open until it commits (they wait busy_timeout, then golang-migrate tries again). A
// process killed mid-run leaves nothing behind: SQLite rolls the transaction back. Each file runs
// under a savepoint, so a file that fails is undone whole while its dirty mark is kept and committed.
type sqliteDriver struct {
	conn *sql.Conn
	inTx bool
}

var _ database.Driver = (*sqliteDriver)(nil)

func (d *sqliteDriver) exec(query string, args ...any) error {
	_, err := d.conn.ExecContext(context.Background(), query, args...)
	return err
}

// Open is not used: repo opens the driver over its own connection.
func (d *sqliteDriver) Open(string) (database.Driver, error) {
	return nil, errors.New("sqlite migrations: open through repo.Migrate")
}

// Close rolls back a run still open and releases the connection.
func (d *sqliteDriver) Close() error {
	if d.inTx {
		d.inTx = false
		_ = d.exec("ROLLBACK")
	}
	return d.conn.Close()
}

// Lock begins the run's write transaction; database.ErrLocked when another writer kept it busy.
func (d *sqliteDriver) Lock() error {
	if d.inTx {
		return database.ErrLocked
	}
	if err := d.exec("BEGIN IMMEDIATE"); err != nil {
		if sqliteBusy(err) {
			return database.ErrLocked
		}
		return fmt.Errorf("begin migration transaction: %w", err)
	}
	d.inTx = true
	if err := d.exec("CREATE TABLE IF NOT EXISTS " + versionTable + " (version INTEGER NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL)"); err != nil {
		d.inTx = false
		_ = d.exec("ROLLBACK")
		return fmt.Errorf("create %s: %w", versionTable, err)
	}
	return nil
}

// Unlock commits the run.
func (d *sqliteDriver) Unlock() error {
	if !d.inTx {
		return database.ErrNotLocked
	}
	d.inTx = false
	if err := d.exec("COMMIT"); err != nil {
		_ = d.exec("ROLLBACK")
		return fmt.Errorf("commit migrations: %w", err)
	}
	return nil
}

// Run runs a migration file under a savepoint, undoing it whole if a statement fails.
func (d *sqliteDriver) Run(migration io.Reader) error {
	body, err := io.ReadAll(migration)
	if err != nil {
		return err
	}
	if err := d.exec("SAVEPOINT migration"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := execStatements(context.Background(), d.conn, string(body)); err != nil {
		if rbErr := d.exec("ROLLBACK TO migration"); rbErr != nil {
			return errors.Join(err, fmt.Errorf("roll back the migration: %w", rbErr))
		}
		_ = d.exec("RELEASE migration")
		return err
	}
	if err := d.exec("RELEASE migration"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// SetVersion replaces the one row of the version table.
func (d *sqliteDriver) SetVersion(version int, dirty bool) error {
	if err := d.exec("DELETE FROM " + versionTable); err != nil {
		return fmt.Errorf("set version: %w", err)
	}
	if version >= 0 || (version == database.NilVersion && dirty) {
		if err := d.exec("INSERT INTO "+versionTable+" (version, dirty) VALUES (?, ?)", version, dirty); err != nil {
			return fmt.Errorf("set version: %w", err)
		}
	}
	return nil
}

// Version reads the version table; NilVersion when it is empty.
func (d *sqliteDriver) Version() (int, bool, error) {
	var v int
	var dirty bool
	err := d.conn.QueryRowContext(context.Background(), "SELECT version, dirty FROM "+versionTable+" LIMIT 1").Scan(&v, &dirty)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return database.NilVersion, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("read version: %w", err)
	}
	return v, dirty, nil
}

// Drop is not supported: guidebox never drops its schema.
func (d *sqliteDriver) Drop() error {
	return errors.New("sqlite migrations: drop is not supported")
}

// sqliteBusy tells SQLITE_BUSY or SQLITE_LOCKED (another connection holds the write lock).
func sqliteBusy(err error) bool {
	var e *gosqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff
	return code == 5 || code == 6
}
