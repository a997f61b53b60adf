package repo_test

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/repotest"
)

var drivers = []string{repo.DriverMySQL, repo.DriverSQLite}

// emptyDatabase returns the DSN of a fresh, empty database (no migrations applied).
func emptyDatabase(t *testing.T, driver string) string {
	t.Helper()
	if driver == repo.DriverMySQL {
		return repotest.DSN(t)
	}
	return filepath.Join(t.TempDir(), "guidebox.db")
}

// open opens the database as a process of its own would: a connection pool of its own.
func open(t *testing.T, driver, dsn string) *gorm.DB {
	t.Helper()
	db, err := repo.Open(driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return db
}

// schemaVersion reads golang-migrate's version row.
func schemaVersion(t *testing.T, db *gorm.DB) (version int, dirty bool) {
	t.Helper()
	require.NoError(t, db.Raw("SELECT version, dirty FROM schema_version").Row().Scan(&version, &dirty))
	return version, dirty
}

// withExtra is the production migrations of driver plus test-only files.
func withExtra(t testing.TB, driver string, extra map[string]string) fs.FS {
	t.Helper()
	prod, err := repo.FSOf(driver)
	require.NoError(t, err)
	out := fstest.MapFS{}
	ms, err := repo.Migrations(driver)
	require.NoError(t, err)
	for _, m := range ms {
		b, err := fs.ReadFile(prod, m.Name)
		require.NoError(t, err)
		out[m.Name] = &fstest.MapFile{Data: b}
	}
	for name, sql := range extra {
		out[name] = &fstest.MapFile{Data: []byte(sql)}
	}
	return out
}

// after counts the migrations of this build numbered above v (numbers may have gaps).
func after(t *testing.T, driver string, v int) int {
	t.Helper()
	ms, err := repo.Migrations(driver)
	require.NoError(t, err)
	n := 0
	for _, m := range ms {
		if m.Version > v {
			n++
		}
	}
	return n
}

func latest(t *testing.T, driver string) int {
	t.Helper()
	ms, err := repo.Migrations(driver)
	require.NoError(t, err)
	return ms[len(ms)-1].Version
}

// count is how many migrations the build has: not latest, since numbers taken by work in flight
// leave gaps in a branch's history.
func count(t *testing.T, driver string) int {
	t.Helper()
	ms, err := repo.Migrations(driver)
	require.NoError(t, err)
	return len(ms)
}

// legacyMigrate builds the schema the way the runner before golang-migrate did, its first upTo migrations:
// each file statement by statement, then a (version, name, applied_at) row in schema_migrations.
func legacyMigrate(t *testing.T, db *gorm.DB, driver string, upTo int) {
	t.Helper()
	require.NoError(t, db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INT NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, applied_at DATETIME NOT NULL)`).Error)
	ms, err := repo.Migrations(driver)
	require.NoError(t, err)
	for i, m := range ms {
		if i >= upTo { // the first upTo files: numbers taken by work in flight leave gaps
			break
		}
		for _, stmt := range repo.SplitSQL(m.SQL) {
			require.NoError(t, db.Exec(stmt).Error)
		}
		legacyName := m.Name[:len(m.Name)-len(".up.sql")] + ".sql"
		require.NoError(t, db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
			m.Version, legacyName).Error)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			var db *gorm.DB
			if driver == repo.DriverMySQL {
				db = repotest.New(t)
			} else {
				db = repotest.NewSQLite(t)
			}
			n, err := repo.Migrate(context.Background(), db)
			require.NoError(t, err)
			assert.Equal(t, 0, n, "a second migrate applies nothing")
			v, dirty := schemaVersion(t, db)
			assert.Equal(t, latest(t, driver), v)
			assert.False(t, dirty)
			assert.True(t, db.Migrator().HasTable("follows"))
		})
	}
}

// Four replicas starting together on one database: they take turns on the migration lock, every one
// of them starts, and the schema is built once. On a database of the runner before golang-migrate,
// the one that gets the lock first adopts it and applies only what is missing.
func TestConcurrentMigrationsBuildTheSchemaOnce(t *testing.T) {
	for _, driver := range drivers {
		for _, legacyUpTo := range []int{0, 2} {
			name := driver + "/empty"
			if legacyUpTo > 0 {
				name = driver + "/legacy"
			}
			t.Run(name, func(t *testing.T) {
				dsn := emptyDatabase(t, driver)
				if legacyUpTo > 0 {
					legacyMigrate(t, open(t, driver, dsn), driver, legacyUpTo)
				}
				dbs := make([]*gorm.DB, 4)
				for i := range dbs {
					dbs[i] = open(t, driver, dsn)
				}
				applied := make([]int, len(dbs))
				errs := make([]error, len(dbs))
				var start, done sync.WaitGroup
				start.Add(1)
				for i, db := range dbs {
					done.Add(1)
					go func() {
						defer done.Done()
						start.Wait()
						applied[i], errs[i] = repo.Migrate(context.Background(), db)
					}()
				}
				start.Done()
				done.Wait()
				total := 0
				for i := range dbs {
					assert.NoError(t, errs[i], "replica %d", i)
					total += applied[i]
				}
				assert.Equal(t, count(t, driver)-legacyUpTo, total, "each migration ran once")
				v, dirty := schemaVersion(t, dbs[0])
				assert.Equal(t, latest(t, driver), v)
				assert.False(t, dirty)
				for _, table := range []string{"inbox_events", "follows", "handover_cases", "products"} {
					assert.True(t, dbs[0].Migrator().HasTable(table), table)
				}
			})
		}
	}
}

// A database made by the runner before golang-migrate (schema_migrations rows 1..3) is adopted
// without running anything again; one that stopped at the second migration gets only the ones after it.
func TestMigrateAdoptsTheLegacyRunnersDatabase(t *testing.T) {
	for _, driver := range drivers {
		for _, upTo := range []int{count(t, driver), 2} {
			t.Run(fmt.Sprintf("%s/legacy_%d", driver, upTo), func(t *testing.T) {
				db := open(t, driver, emptyDatabase(t, driver))
				legacyMigrate(t, db, driver, upTo)
				n, err := repo.Migrate(context.Background(), db)
				require.NoError(t, err)
				assert.Equal(t, count(t, driver)-upTo, n)
				v, dirty := schemaVersion(t, db)
				assert.Equal(t, latest(t, driver), v)
				assert.False(t, dirty)
				n, err = repo.Migrate(context.Background(), db)
				require.NoError(t, err)
				assert.Zero(t, n, "adopted once")
			})
		}
	}
}

const brokenMigration = `-- test only: the first statement works, the second fails
CREATE TABLE broken_half (id INT NOT NULL PRIMARY KEY);
INSERT INTO no_such_table (id) VALUES (1);
`

// A migration that fails part-way leaves the schema marked dirty at its version; the next start
// refuses, naming the migration and the way out, until the schema is repaired and forced clean.
func TestFailedMigrationLeavesADirtySchemaThatIsRefused(t *testing.T) {
	ctx := context.Background()
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			dsn := emptyDatabase(t, driver)
			withBroken := withExtra(t, driver, map[string]string{"9000_broken.up.sql": brokenMigration})
			db := open(t, driver, dsn)
			n, err := repo.MigrateFS(ctx, db, withBroken)
			var dirty *repo.DirtyError
			require.ErrorAs(t, err, &dirty)
			assert.Equal(t, count(t, driver), n, "the good migrations before it are applied")
			assert.Equal(t, 9000, dirty.Version)
			assert.Equal(t, "9000_broken.up.sql", dirty.File)
			assert.ErrorContains(t, err, "migration 9000 (9000_broken.up.sql) failed: statement 2 (INSERT INTO no_such_table")
			v, isDirty := schemaVersion(t, db)
			assert.Equal(t, 9000, v)
			assert.True(t, isDirty)
			// MySQL keeps what the first statement did; SQLite rolled the file back whole.
			assert.Equal(t, driver == repo.DriverMySQL, db.Migrator().HasTable("broken_half"))

			next := open(t, driver, dsn) // the next start
			_, err = repo.MigrateFS(ctx, next, withBroken)
			require.ErrorAs(t, err, &dirty)
			assert.ErrorContains(t, err, "schema is dirty at migration 9000 (9000_broken.up.sql)")
			assert.ErrorContains(t, err, fmt.Sprintf("guidebox migrate --force %d", latest(t, driver)))
			_, err = repo.Migrate(ctx, next) // a build without the broken file refuses too
			assert.ErrorContains(t, err, "schema is dirty at migration 9000 (not in this build)")

			if driver == repo.DriverMySQL { // undo by hand what MySQL kept
				require.NoError(t, next.Exec("DROP TABLE broken_half").Error)
			}
			require.NoError(t, repo.ForceVersion(ctx, next, latest(t, driver)))
			n, err = repo.Migrate(ctx, next)
			require.NoError(t, err)
			assert.Zero(t, n)
			v, isDirty = schemaVersion(t, next)
			assert.Equal(t, latest(t, driver), v)
			assert.False(t, isDirty)
		})
	}
}

// An older build starting on a schema a newer build migrated further (a rolling upgrade) goes on.
func TestMigrateAcceptsANewerSchema(t *testing.T) {
	ctx := context.Background()
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			db := open(t, driver, emptyDatabase(t, driver))
			newer := withExtra(t, driver, map[string]string{"9001_later.up.sql": "CREATE TABLE later_things (id INT NOT NULL PRIMARY KEY);"})
			n, err := repo.MigrateFS(ctx, db, newer)
			require.NoError(t, err)
			assert.Equal(t, count(t, driver)+1, n)
			n, err = repo.Migrate(ctx, db)
			require.NoError(t, err)
			assert.Zero(t, n)
			v, _ := schemaVersion(t, db)
			assert.Equal(t, 9001, v)
		})
	}
}

func TestForceVersionNeedsAKnownVersion(t *testing.T) {
	db := repotest.NewSQLite(t)
	err := repo.ForceVersion(context.Background(), db, 42)
	ms, merr := repo.Migrations(repo.DriverSQLite)
	require.NoError(t, merr)
	versions := []string{"0 for none"}
	for _, m := range ms {
		versions = append(versions, strconv.Itoa(m.Version))
	}
	assert.ErrorContains(t, err, "no migration 42 in this build (versions: "+strings.Join(versions, ", ")+")")
	v, dirty := schemaVersion(t, db)
	assert.Equal(t, latest(t, repo.DriverSQLite), v)
	assert.False(t, dirty)
}
