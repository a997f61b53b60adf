package repo_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	gosqlite "github.com/glebarez/go-sqlite" // database/sql driver "sqlite", to probe the write lock
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
)

// hangingMigration is a test-only migration whose first statement completes and whose second never
// does on its own: on MySQL it waits for a row lock the test holds, on SQLite it counts forever.
var hangingMigration = map[string]string{
	repo.DriverMySQL: `CREATE TABLE killed_half (id INT NOT NULL PRIMARY KEY);
UPDATE migrate_gate SET n = n + 1;`,
	repo.DriverSQLite: `CREATE TABLE killed_half (id INTEGER NOT NULL PRIMARY KEY);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c;`,
}

// TestMigrationHelperProcess is the process TestKilledMigration kills: it migrates with the hanging
// migration on top of the production ones.
func TestMigrationHelperProcess(t *testing.T) {
	driver, dsn := os.Getenv("GUIDEBOX_MIGRATE_HELPER_DRIVER"), os.Getenv("GUIDEBOX_MIGRATE_HELPER_DSN")
	if dsn == "" {
		t.Skip("the process TestKilledMigration starts and kills")
	}
	db, err := repo.Open(driver, dsn)
	require.NoError(t, err)
	_, err = repo.MigrateFS(context.Background(), db, withExtra(t, driver, map[string]string{"9000_hang.up.sql": hangingMigration[driver]}))
	t.Fatalf("the hanging migration returned: %v", err)
}

// startMigrationProcess runs TestMigrationHelperProcess in a process of its own.
func startMigrationProcess(t *testing.T, driver, dsn string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMigrationHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GUIDEBOX_MIGRATE_HELPER_DRIVER="+driver, "GUIDEBOX_MIGRATE_HELPER_DSN="+dsn)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd
}

func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
}

// A MySQL migration killed between its two statements leaves the schema dirty at its version (MySQL
// cannot roll back the first statement's DDL); the next start refuses and names it.
func TestKilledMigrationLeavesMySQLDirty(t *testing.T) {
	ctx := context.Background()
	dsn := emptyDatabase(t, repo.DriverMySQL)
	db := open(t, repo.DriverMySQL, dsn)
	require.NoError(t, db.Exec("CREATE TABLE migrate_gate (n INT NOT NULL)").Error)
	require.NoError(t, db.Exec("INSERT INTO migrate_gate (n) VALUES (0)").Error)
	gate := db.Begin()
	require.NoError(t, gate.Exec("SELECT n FROM migrate_gate FOR UPDATE").Error)
	defer gate.Rollback()

	cmd := startMigrationProcess(t, repo.DriverMySQL, dsn)
	require.Eventually(t, func() bool { // 9000 marked dirty and its first statement done: it waits on the gate
		var v int
		var dirty bool
		err := db.Raw("SELECT version, dirty FROM schema_version").Row().Scan(&v, &dirty)
		return err == nil && v == 9000 && dirty && db.Migrator().HasTable("killed_half")
	}, time.Minute, 20*time.Millisecond)
	kill(t, cmd)
	gate.Rollback() // the dead process's session finishes its statement, finds its client gone and ends

	_, err := repo.MigrateFS(ctx, open(t, repo.DriverMySQL, dsn), withExtra(t, repo.DriverMySQL, map[string]string{"9000_hang.up.sql": "SELECT 1;"}))
	var dirty *repo.DirtyError
	require.ErrorAs(t, err, &dirty)
	assert.Equal(t, 9000, dirty.Version)
	assert.ErrorContains(t, err, "schema is dirty at migration 9000 (9000_hang.up.sql)")
	assert.ErrorContains(t, err, "guidebox migrate --force 9000")
	assert.ErrorContains(t, err, fmt.Sprintf("guidebox migrate --force %d", latest(t, repo.DriverMySQL)))
}

// A SQLite migration run killed while it holds the lock leaves nothing behind: the run is one
// transaction, which SQLite rolls back, so the next start migrates from scratch.
func TestKilledMigrationLeavesSQLiteUntouched(t *testing.T) {
	ctx := context.Background()
	dsn := emptyDatabase(t, repo.DriverSQLite)
	cmd := startMigrationProcess(t, repo.DriverSQLite, dsn)
	probe, err := sql.Open("sqlite", dsn+"?_pragma=busy_timeout(0)")
	require.NoError(t, err)
	defer probe.Close()
	probe.SetMaxOpenConns(1)            // BEGIN and ROLLBACK on one connection
	require.Eventually(t, func() bool { // the helper holds the write lock: it is migrating
		var busy *gosqlite.Error
		if _, err := probe.Exec("BEGIN IMMEDIATE"); errors.As(err, &busy) && busy.Code() == 5 { // SQLITE_BUSY
			return true
		}
		_, _ = probe.Exec("ROLLBACK")
		return false
	}, time.Minute, 20*time.Millisecond)
	kill(t, cmd)

	db := open(t, repo.DriverSQLite, dsn)
	assert.False(t, db.Migrator().HasTable("follows"), "nothing of the killed run is left")
	n, err := repo.Migrate(ctx, db)
	require.NoError(t, err)
	assert.Equal(t, count(t, repo.DriverSQLite), n)
	assert.False(t, db.Migrator().HasTable("killed_half"))
	v, dirty := schemaVersion(t, db)
	assert.Equal(t, latest(t, repo.DriverSQLite), v)
	assert.False(t, dirty)
}
