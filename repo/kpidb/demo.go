package kpidb

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
)

// AppendActivity appends rows to the activity log as the domains' stores do (the offline demo's
// history and the benchmarks write past days this way; the live paths record their own).
func (s *Store) AppendActivity(ctx context.Context, acts []service.Activity) error {
	for len(acts) > 0 {
		n := min(len(acts), 2000)
		if err := sqlstore.RecordActivities(ctx, s.db, s.corp, acts[:n]); err != nil {
			return err
		}
		acts = acts[n:]
	}
	return nil
}

// HasActivity reports whether the log holds a row of kind from before t.
func (s *Store) HasActivity(ctx context.Context, kind string, before time.Time) (bool, error) {
	var n int64
	err := s.conn(ctx).Table("activity_log").Where("corp_id = ? AND kind = ? AND occurred_at < ?", s.corp, kind, before.UTC()).
		Limit(1).Count(&n).Error
	return n > 0, sqlstore.Translate(err)
}
