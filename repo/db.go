// Package repo opens guidebox's database with gorm (MySQL in production, an embedded SQLite file as
// the zero-setup default), migrates its schema (repo/migrations, one history per dialect) and runs
// transactions (TxManager). The stores that implement the service domains' ports live beside it,
// one package per domain: graphdb (graph and inbox), handoverdb, sidebardb, jobdb (the scheduled
// jobs' leases), workbenchdb and the rest (docs/architecture.md); what they share (the connection on
// ctx, error translation, the graph tables' rows) is repo/internal/sqlstore.
package repo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/guidebox/guidebox/service"
)

// Drivers.
const (
	DriverMySQL  = "mysql"
	DriverSQLite = "sqlite"
)

// Open connects to the database. For MySQL the DSN gets parseTime and UTC if it lacks them;
// for SQLite the file's folder is created and WAL with a busy timeout is used.
func Open(driver, dsn string) (*gorm.DB, error) {
	// Transactions are opened by the service (TxManager); gorm need not wrap each write in its own.
	cfg := &gorm.Config{TranslateError: true, SkipDefaultTransaction: true, Logger: logger.Discard, NowFunc: func() time.Time { return time.Now().UTC() }}
	var dial gorm.Dialector
	switch driver {
	case DriverMySQL:
		dial = mysql.Open(mysqlDSN(dsn))
	case DriverSQLite:
		if dir := filepath.Dir(dsn); dir != "." && !strings.HasPrefix(dsn, "file:") {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("create sqlite folder: %w", err)
			}
		}
		dial = sqlite.Open(sqliteDSN(dsn))
	default:
		return nil, fmt.Errorf("unknown database driver %q", driver)
	}
	db, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", driver, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if driver == DriverSQLite {
		sqlDB.SetMaxOpenConns(1) // one writer; WAL keeps reads cheap
	} else {
		sqlDB.SetMaxOpenConns(64)
		sqlDB.SetMaxIdleConns(64)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
	return db, nil
}

func mysqlDSN(dsn string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	// interpolateParams sends each query in one round trip instead of prepare, execute and close.
	for _, kv := range []string{"parseTime=true", "loc=UTC", "charset=utf8mb4", "interpolateParams=true"} {
		if !strings.Contains(dsn, strings.SplitN(kv, "=", 2)[0]+"=") {
			dsn += sep + kv
			sep = "&"
		}
	}
	return dsn
}

func sqliteDSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_time_format=sqlite"
}

// Ping reports whether the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w: %w", service.ErrUnavailable, err)
	}
	return nil
}
