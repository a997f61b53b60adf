// Package repotest gives each test a throwaway MySQL database with the production migrations applied.
// It reads TEST_MYSQL_DSN (default root@tcp(127.0.0.1:3306)/); `make test` starts or finds a MySQL first.
// With -short, tests that need MySQL are skipped; otherwise an unreachable MySQL fails them.
package repotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
)

// DefaultDSN is used when TEST_MYSQL_DSN is unset.
const DefaultDSN = "root@tcp(127.0.0.1:3306)/"

// ServerDSN returns the DSN of the MySQL server tests use, without a database name.
func ServerDSN() string {
	dsn := os.Getenv("TEST_MYSQL_DSN")
	if dsn == "" {
		dsn = DefaultDSN
	}
	if i := strings.Index(dsn, ")/"); i >= 0 { // drop any database name, keep parameters
		rest := dsn[i+2:]
		params := ""
		if q := strings.Index(rest, "?"); q >= 0 {
			params = rest[q:]
		}
		dsn = dsn[:i+2] + params
	}
	return dsn
}

// DSN creates a fresh database and returns its DSN; the database is dropped when t ends.
func DSN(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs MySQL; skipped with -short")
	}
	server := ServerDSN()
	admin, err := repo.Open(repo.DriverMySQL, server)
	if err != nil {
		t.Fatalf("repotest: open MySQL at %s: %v (set TEST_MYSQL_DSN or run `make mysql-up`)", server, err)
	}
	if err := repo.Ping(context.Background(), admin); err != nil {
		t.Fatalf("repotest: MySQL at %s unreachable: %v (set TEST_MYSQL_DSN or run `make mysql-up`)", server, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "test_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").Error; err != nil {
		t.Fatalf("repotest: create database: %v", err)
	}
	t.Cleanup(func() {
		_ = admin.Exec("DROP DATABASE IF EXISTS " + name).Error
		if sqlDB, err := admin.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	i := strings.Index(server, ")/")
	return server[:i+2] + name + server[i+2:]
}

// New returns a migrated throwaway MySQL database.
func New(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := repo.Open(repo.DriverMySQL, DSN(t))
	if err != nil {
		t.Fatalf("repotest: open: %v", err)
	}
	return migrate(t, db)
}

// NewSQLite returns a migrated SQLite database in a temp folder (for the embedded default's smoke tests).
func NewSQLite(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := repo.Open(repo.DriverSQLite, filepath.Join(t.TempDir(), "guidebox.db"))
	if err != nil {
		t.Fatalf("repotest: open sqlite: %v", err)
	}
	return migrate(t, db)
}

func migrate(t testing.TB, db *gorm.DB) *gorm.DB {
	t.Helper()
	if _, err := repo.Migrate(context.Background(), db); err != nil {
		t.Fatalf("repotest: migrate: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return db
}

// RandomHex returns n random bytes in hex, for unique ids in tests.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
