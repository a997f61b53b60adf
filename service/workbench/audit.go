package workbench

import (
	"context"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// Audit actions of the corp's workbench settings (操作日志). A guide's own replies and materials are
// theirs and not logged.
const (
	ActionSaveGroup     = "library_group_save"
	ActionDeleteGroup   = "library_group_delete"
	ActionSaveItem      = "library_item_save"
	ActionDeleteItem    = "library_item_delete"
	ActionSaveField     = "field_save"
	ActionSaveStages    = "stages_save"
	ActionSaveChannel   = "channel_save"
	ActionDeleteChannel = "channel_delete"
)

// AuditStore appends admin actions to the audit log.
type AuditStore interface {
	Audit(ctx context.Context, a service.AuditEntry) error
}

// audit records an admin's change of the corp's settings (corp false: a guide's own, not logged). The
// change is one statement, committed already.
func (s *Service) audit(ctx context.Context, corp bool, action, target, detail string) error {
	if !corp {
		return nil
	}
	a, ok := service.AuditOf(ctx, action, target, 0, detail, s.now())
	if !ok {
		return nil
	}
	if err := s.store.Audit(ctx, a); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// itemName names an item for the log: its title, else the start of its text.
func itemName(it Item) string {
	if it.Title != "" {
		return "「" + it.Title + "」"
	}
	r := []rune(it.Content)
	if len(r) > 20 {
		r = append(r[:20], '…')
	}
	return "「" + string(r) + "」"
}
