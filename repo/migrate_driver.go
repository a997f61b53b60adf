package repo

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	migratemysql "github.com/golang-migrate/migrate/v4/database/mysql"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"gorm.io/gorm"
)

const (
	// versionTable is golang-migrate's one-row table (version, dirty).
	versionTable = "schema_version"
	// legacyTable is where the runner before golang-migrate recorded (version, name, applied_at) per migration.
	legacyTable = "schema_migrations"
)

// runner is one golang-migrate instance over a dedicated connection of db.
type runner struct {
	m   *migrate.Migrate
	drv *schemaDriver
}

func openRunner(ctx context.Context, db *gorm.DB, fsys fs.FS) (*runner, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// One connection for the whole run: GET_LOCK belongs to a MySQL session, and SQLite's lock is a
	// transaction on a connection.
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	dialect := db.Dialector.Name()
	var inner database.Driver
	switch dialect {
	case DriverMySQL:
		my, err := migratemysql.WithConnection(ctx, conn, &migratemysql.Config{MigrationsTable: versionTable})
		if err != nil {
			discard(conn)
			return nil, err
		}
		inner = &mysqlDriver{Mysql: my, conn: conn}
	case DriverSQLite:
		inner = &sqliteDriver{conn: conn}
	default:
		_ = conn.Close()
		return nil, fmt.Errorf("no migrations for driver %q", dialect)
	}
	drv := &schemaDriver{Driver: inner, conn: conn, dialect: dialect, dirtyAt: database.NilVersion, current: database.NilVersion}
	src, err := iofs.New(fsys, ".")
	if err != nil {
		_ = inner.Close()
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, dialect, drv)
	if err != nil {
		_ = inner.Close()
		return nil, err
	}
	// Above the drivers' own ~10 s wait, so that golang-migrate never gives up on a Lock still in flight.
	m.LockTimeout = time.Minute
	return &runner{m: m, drv: drv}, nil
}

// close releases the connection. After a MySQL error the connection is dropped rather than pooled,
// so that a GET_LOCK it may still hold ends with its session.
func (r *runner) close(err error) {
	if err != nil && r.drv.dialect == DriverMySQL {
		discard(r.drv.conn)
	}
	_, _ = r.m.Close()
}

// discard closes the connection's session instead of returning it to the pool.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}

// schemaDriver is what golang-migrate drives: the dialect's driver, plus adoption of the legacy
// table and bookkeeping for Migrate's result and errors.
type schemaDriver struct {
	database.Driver
	conn    *sql.Conn
	dialect string
	locked  bool
	current int // the version read under the lock
	dirtyAt int // the version marked dirty and not yet clean in this run, or NilVersion
	applied int // migrations run in this run
}

// Lock takes the dialect's lock.
func (d *schemaDriver) Lock() error {
	if err := d.Driver.Lock(); err != nil {
		return err
	}
	d.locked = true
	return nil
}

// Unlock releases it.
func (d *schemaDriver) Unlock() error {
	d.locked = false
	return d.Driver.Unlock()
}

// Version reads the version; under the lock, a database with no version yet but with the legacy
// table is adopted at the last migration the legacy table records, so nothing is run twice.
func (d *schemaDriver) Version() (int, bool, error) {
	v, dirty, err := d.Driver.Version()
	if err != nil || v != database.NilVersion || !d.locked {
		d.current = v
		return v, dirty, err
	}
	legacy, err := legacyVersion(context.Background(), d.conn, d.dialect)
	if err != nil {
		return 0, false, err
	}
	if legacy > 0 {
		if err := d.Driver.SetVersion(legacy, false); err != nil {
			return 0, false, fmt.Errorf("adopt %s at version %d: %w", legacyTable, legacy, err)
		}
		v = legacy
	}
	d.current = v
	return v, false, nil
}

// SetVersion records the version and remembers a dirty mark until it is cleared.
func (d *schemaDriver) SetVersion(version int, dirty bool) error {
	if err := d.Driver.SetVersion(version, dirty); err != nil {
		return err
	}
	d.dirtyAt = database.NilVersion
	if dirty {
		d.dirtyAt = version
	}
	return nil
}

// Run runs one migration file and counts it.
func (d *schemaDriver) Run(migration io.Reader) error {
	if err := d.Driver.Run(migration); err != nil {
		return err
	}
	d.applied++
	return nil
}

// legacyVersion is the highest version in the legacy schema_migrations table, 0 if there is none.
func legacyVersion(ctx context.Context, conn *sql.Conn, dialect string) (int, error) {
	q := `SELECT COUNT(*) FROM information_schema.columns
		WHERE table_schema = DATABASE() AND table_name = '` + legacyTable + `' AND column_name = 'applied_at'`
	if dialect == DriverSQLite {
		q = `SELECT COUNT(*) FROM pragma_table_info('` + legacyTable + `') WHERE name = 'applied_at'`
	}
	var n int
	if err := conn.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("look for %s: %w", legacyTable, err)
	}
	if n == 0 {
		return 0, nil
	}
	var v int
	if err := conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM "+legacyTable).Scan(&v); err != nil {
		return 0, fmt.Errorf("read %s: %w", legacyTable, err)
	}
	return v, nil
}

// mysqlDriver is golang-migrate's MySQL driver, running each file statement by statement on its
// connection (the driver would send the file whole, which needs multiStatements on the DSN).
type mysqlDriver struct {
	*migratemysql.Mysql
	conn *sql.Conn
}

// Run runs a migration file.
func (d *mysqlDriver) Run(migration io.Reader) error {
	body, err := io.ReadAll(migration)
	if err != nil {
		return err
	}
	return execStatements(context.Background(), d.conn, string(body))
}

// execStatements runs a migration file statement by statement; an error names the statement.
// Statements run to the end even when the caller is stopping: a migration is cut off only between files.
func execStatements(ctx context.Context, conn *sql.Conn, body string) error {
	for i, stmt := range splitSQL(body) {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("statement %d (%s): %w", i+1, firstLine(stmt), err)
		}
	}
	return nil
}

func firstLine(stmt string) string {
	line, _, more := strings.Cut(strings.TrimSpace(stmt), "\n")
	if r := []rune(line); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	if more {
		return line + " …"
	}
	return line
}
