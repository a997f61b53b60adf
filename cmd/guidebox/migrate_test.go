package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// A dirty schema stops both `migrate` and `serve` with the migration's name and the way out, until
// `migrate --force N` marks it clean.
func TestMigrateAndServeRefuseADirtySchemaUntilForced(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "guidebox.db")
	t.Setenv("GUIDEBOX_CONFIG", "")
	t.Setenv("GUIDEBOX_DATABASE_DRIVER", "sqlite")
	t.Setenv("GUIDEBOX_DATABASE_DSN", dsn)
	require.NoError(t, run(ctx, []string{"migrate"}))

	ms, err := repo.Migrations(repo.DriverSQLite)
	require.NoError(t, err)
	last, prev := ms[len(ms)-1], ms[len(ms)-2]
	dirtyAt := fmt.Sprintf("schema is dirty at migration %d (%s)", last.Version, last.Name)
	db, err := repo.Open(repo.DriverSQLite, dsn) // the last migration cut off, as the runner records it
	require.NoError(t, err)
	require.NoError(t, db.Exec("UPDATE schema_version SET dirty = 1").Error)
	sqlDB, _ := db.DB()
	require.NoError(t, sqlDB.Close())

	err = run(ctx, []string{"migrate"})
	require.ErrorContains(t, err, dirtyAt)
	assert.ErrorContains(t, err, fmt.Sprintf("run `guidebox migrate --force %d`", prev.Version))

	env := simtest.New(t)
	cfg, err := LoadConfig("")
	require.NoError(t, err)
	cfg.Sidebar.SessionKey = "test-session-key-0123456789"
	cfg.WeCom = WeComConfig{CorpID: simtest.CorpID, AgentID: 1000002, Secret: env.Secret, Token: simtest.Token, AESKey: simtest.AESKey, BaseURL: env.URL}
	serve := func() error { // what serve does before it listens
		a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err == nil {
			a.close()
		}
		return err
	}
	assert.ErrorContains(t, serve(), dirtyAt)

	assert.ErrorContains(t, run(ctx, []string{"migrate", "--froce", "3"}), "usage: guidebox migrate")
	assert.ErrorContains(t, run(ctx, []string{"migrate", "--force", "three"}), `--force: "three" is not a migration version`)
	assert.ErrorContains(t, run(ctx, []string{"migrate", "--force", "9999"}), "no migration 9999 in this build")
	require.NoError(t, run(ctx, []string{"migrate", "--force", fmt.Sprint(last.Version)})) // it was in fact complete
	require.NoError(t, run(ctx, []string{"migrate"}))
	assert.NoError(t, serve())
}
