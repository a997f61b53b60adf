package repo

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
)

// TxManager implements service.Transactor: it joins a transaction already on ctx,
// or opens one and carries it on ctx for every store to use.
//
// On MySQL, transactions run at READ COMMITTED: the graph serialises each customer on its row lock,
// and READ COMMITTED takes no gap locks, which otherwise make concurrent inserts of neighbouring
// customers deadlock. A deadlock or lock-wait timeout that still happens re-runs fn (up to 3 times):
// fn holds only database work (WeCom is never called inside a transaction), so re-running it is safe.
type TxManager struct{ db *gorm.DB }

var _ service.Transactor = (*TxManager)(nil)

// NewTxManager returns a TxManager over db.
func NewTxManager(db *gorm.DB) *TxManager { return &TxManager{db: db} }

const txAttempts = 3

// InTx runs fn in a transaction.
func (m *TxManager) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if sqlstore.InTx(ctx) {
		return fn(ctx)
	}
	var opts []*sql.TxOptions
	if sqlstore.IsMySQL(m.db) {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	}
	var err error
	for attempt := 1; attempt <= txAttempts; attempt++ {
		err = m.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return fn(sqlstore.WithTx(ctx, tx))
		}, opts...)
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	}
	return err
}

// retryable reports a MySQL deadlock (1213) or lock wait timeout (1205).
func retryable(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
}
