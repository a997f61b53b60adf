package repo

import (
	"context"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/service"
)

type txKey struct{}

// TxManager implements service.Transactor: it joins a transaction already on ctx,
// or opens one and carries it on ctx for every store to use.
type TxManager struct{ db *gorm.DB }

var _ service.Transactor = (*TxManager)(nil)

// NewTxManager returns a TxManager over db.
func NewTxManager(db *gorm.DB) *TxManager { return &TxManager{db: db} }

// InTx runs fn in a transaction.
func (m *TxManager) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	return m.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// conn returns the transaction on ctx, or db bound to ctx.
func conn(ctx context.Context, db *gorm.DB) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return db.WithContext(ctx)
}
