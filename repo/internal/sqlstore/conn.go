// Package sqlstore is what guidebox's gorm stores share: the connection (or the transaction
// repo.TxManager put on ctx), error translation to service sentinels, time scanning that reads
// both MySQL and SQLite, and the rows of the graph tables several stores read.
package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/guidebox/guidebox/service"
	"gorm.io/gorm"
)

// txKey carries the transaction of repo.TxManager on a context.
type txKey struct{}

// WithTx returns ctx carrying tx; Conn then returns tx.
func WithTx(ctx context.Context, tx *gorm.DB) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// Conn returns the transaction on ctx, or db bound to ctx.
func Conn(ctx context.Context, db *gorm.DB) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return db.WithContext(ctx)
}

// Translate maps gorm errors to service sentinels.
func Translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return service.ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %w", service.ErrConflict, err)
	}
	return err
}

// IsMySQL tells the dialect, for the few statements that differ.
func IsMySQL(db *gorm.DB) bool { return db.Dialector.Name() == "mysql" }
