package service

import "context"

// Transactor runs fn in one database transaction, joining one already on ctx.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}
