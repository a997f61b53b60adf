package repo

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	"github.com/golang-migrate/migrate/v4/source"
	"gorm.io/gorm"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one versioned schema change: a file NNNN_name.up.sql under repo/migrations/<driver>.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the schema changes for a driver, oldest first.
func Migrations(driver string) ([]Migration, error) {
	fsys, err := migrationsFor(driver)
	if err != nil {
		return nil, err
	}
	return readMigrations(fsys)
}

// migrationsFor is the embedded migrations folder of a driver.
func migrationsFor(driver string) (fs.FS, error) {
	fsys, err := fs.Sub(migrationFS, "migrations/"+driver)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", driver, err)
	}
	return fsys, nil
}

// readMigrations reads the up migrations of a folder, oldest first.
func readMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		m, err := source.Parse(e.Name())
		if err != nil || m.Direction != source.Up {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.up.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, Migration{Version: int(m.Version), Name: e.Name(), SQL: string(b)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	return out, nil
}

// Migrate applies every pending migration and returns how many it applied. golang-migrate runs them
// under a database lock (MySQL GET_LOCK; on SQLite the run is one BEGIN IMMEDIATE transaction), so
// replicas starting together wait for each other and the schema is built once. Before each migration
// the schema is marked dirty at its version and after it clean; a dirty schema (a migration that
// failed or was cut off) is refused with a *DirtyError until `guidebox migrate --force` clears it.
// A database made by the runner before golang-migrate is adopted at its last recorded version.
func Migrate(ctx context.Context, db *gorm.DB) (int, error) {
	fsys, err := migrationsFor(db.Dialector.Name())
	if err != nil {
		return 0, err
	}
	return migrateFS(ctx, db, fsys)
}

// ForceVersion marks the schema clean at version (0: no migration applied) without running anything:
// the way out of a dirty schema once it has been repaired by hand.
func ForceVersion(ctx context.Context, db *gorm.DB, version int) error {
	fsys, err := migrationsFor(db.Dialector.Name())
	if err != nil {
		return err
	}
	return forceFS(ctx, db, fsys, version)
}

func migrateFS(ctx context.Context, db *gorm.DB, fsys fs.FS) (int, error) {
	ms, err := readMigrations(fsys)
	if err != nil {
		return 0, err
	}
	applied := 0
	err = retryLocked(ctx, db, fsys, func(r *runner) error {
		stop := context.AfterFunc(ctx, func() { r.m.GracefulStop <- true })
		defer stop()
		err := r.m.Up()
		applied += r.drv.applied
		var dirty migrate.ErrDirty
		switch {
		case errors.As(err, &dirty):
			return newDirtyError(r.drv.dialect, ms, dirty.Version, nil)
		case err != nil && r.drv.dirtyAt != database.NilVersion:
			return newDirtyError(r.drv.dialect, ms, r.drv.dirtyAt, err)
		case err != nil && errors.Is(err, fs.ErrNotExist) && len(ms) > 0 && r.drv.current > ms[len(ms)-1].Version:
			return nil // the schema is newer than this build (a rolling upgrade): nothing here to apply
		case errors.Is(err, migrate.ErrNoChange):
			return nil
		case err != nil:
			return err
		}
		if ctx.Err() != nil { // stopped between two migrations
			return fmt.Errorf("migration stopped: %w", ctx.Err())
		}
		return nil
	})
	if err != nil {
		return applied, fmt.Errorf("migrate %s: %w", db.Dialector.Name(), err)
	}
	return applied, nil
}

func forceFS(ctx context.Context, db *gorm.DB, fsys fs.FS, version int) error {
	ms, err := readMigrations(fsys)
	if err != nil {
		return err
	}
	target := database.NilVersion
	if version != 0 {
		if !slices.ContainsFunc(ms, func(m Migration) bool { return m.Version == version }) {
			return fmt.Errorf("force: no migration %d in this build (%s)", version, versionList(ms))
		}
		target = version
	}
	return retryLocked(ctx, db, fsys, func(r *runner) error {
		if err := r.m.Force(target); err != nil {
			return fmt.Errorf("force version %d: %w", version, err)
		}
		return nil
	})
}

// retryLocked runs fn on a fresh runner until it gets past the migration lock or ctx ends: a lock
// held elsewhere means another process is migrating, and this one waits its turn. Each attempt waits
// about 10 s for the lock (MySQL GET_LOCK's timeout, SQLite's busy_timeout).
func retryLocked(ctx context.Context, db *gorm.DB, fsys fs.FS, fn func(*runner) error) error {
	for {
		r, err := openRunner(ctx, db, fsys)
		if err == nil {
			err = fn(r)
			r.close(err)
		}
		if !errors.Is(err, database.ErrLocked) && !errors.Is(err, migrate.ErrLockTimeout) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for the migration lock: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// DirtyError says a migration failed or was cut off part-way: the schema is marked dirty at Version,
// and neither serve nor migrate goes on until it is repaired and `guidebox migrate --force` clears it.
type DirtyError struct {
	Driver  string
	Version int
	File    string // the migration's file, "" when this build does not have it
	Prev    int    // the migration before it in this build, 0 when none
	Cause   error  // why it failed, when it failed in this run
}

func newDirtyError(driver string, ms []Migration, version int, cause error) *DirtyError {
	e := &DirtyError{Driver: driver, Version: version, Cause: cause}
	for _, m := range ms {
		if m.Version < version {
			e.Prev = m.Version
		}
		if m.Version == version {
			e.File = m.Name
		}
	}
	return e
}

// Error names the migration and how to recover.
func (e *DirtyError) Error() string {
	file := e.File
	if file == "" {
		file = "not in this build"
	}
	var b strings.Builder
	if e.Cause != nil {
		fmt.Fprintf(&b, "migration %d (%s) failed: %v; the schema is now marked dirty", e.Version, file, e.Cause)
	} else {
		fmt.Fprintf(&b, "schema is dirty at migration %d (%s): it failed or was cut off part-way", e.Version, file)
	}
	if e.Driver == DriverSQLite {
		fmt.Fprintf(&b, ". SQLite rolled that migration back, so the schema is as of migration %d: "+
			"fix the cause, then run `guidebox migrate --force %d` and start again", e.Prev, e.Prev)
	} else {
		fmt.Fprintf(&b, ". MySQL cannot roll back DDL: finish the migration by hand and run `guidebox migrate --force %d`, "+
			"or undo what it did and run `guidebox migrate --force %d`, then start again", e.Version, e.Prev)
	}
	return b.String()
}

// Unwrap gives the failure behind a migration that failed in this run.
func (e *DirtyError) Unwrap() error { return e.Cause }

func versionList(ms []Migration) string {
	vs := make([]string, 0, len(ms)+1)
	vs = append(vs, "0 for none")
	for _, m := range ms {
		vs = append(vs, fmt.Sprint(m.Version))
	}
	return "versions: " + strings.Join(vs, ", ")
}

// splitSQL splits a migration file into statements on ";" at line ends, dropping "--" comments.
func splitSQL(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
