package catalog

import (
	"context"
	"errors"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// Audit actions of the catalogue's imports (操作日志).
const (
	ActionImportProducts = "import_products"
	ActionImportOrders   = "import_orders"
)

// ImportProducts upserts the products of a file by SKU (see importProducts) and, for an admin, records
// the import and its counts in the audit log.
func (s *Service) ImportProducts(ctx context.Context, rows Rows) (Report, error) {
	rep, err := s.importProducts(ctx, rows)
	return rep, errors.Join(err, s.auditImport(ctx, ActionImportProducts, rep))
}

// ImportOrders stores the orders of a file (see importOrders) and, for an admin, records the import
// and its counts in the audit log.
func (s *Service) ImportOrders(ctx context.Context, rows Rows) (Report, error) {
	rep, err := s.importOrders(ctx, rows)
	return rep, errors.Join(err, s.auditImport(ctx, ActionImportOrders, rep))
}

// auditImport records an admin's import that read rows (an unreadable file changed nothing). An import
// writes in batches, each its own transaction, so the row follows the last of them.
func (s *Service) auditImport(ctx context.Context, action string, rep Report) error {
	if rep.Rows == 0 {
		return nil
	}
	detail := fmt.Sprintf("共 %d 行，导入 %d 行，跳过 %d 行", rep.Rows, rep.Imported, rep.Refused)
	a, ok := service.AuditOf(ctx, action, "", 0, detail, s.now())
	if !ok {
		return nil
	}
	if err := s.store.Audit(ctx, a); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
