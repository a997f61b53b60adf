package repo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/repotest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	for _, driver := range []string{repo.DriverMySQL, repo.DriverSQLite} {
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
			ms, err := repo.Migrations(driver)
			require.NoError(t, err)
			var count int64
			require.NoError(t, db.Table("schema_migrations").Count(&count).Error)
			assert.Equal(t, int64(len(ms)), count)
			assert.True(t, db.Migrator().HasTable("follows"))
		})
	}
}
