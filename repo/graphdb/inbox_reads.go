package graphdb

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/graph"
)

// PendingReads counts, by guide, the distinct customers of the pending events that need a contact
// read, in one pass over idx_inbox_subject (the pending rows' index entries, not the rows).
func (s *InboxStore) PendingReads(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		UserID string `gorm:"column:userid"`
		N      int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&inboxRow{}).Select("userid, COUNT(DISTINCT external_userid) AS n").
		Where("status = ? AND userid <> '' AND change_type IN ?", graph.InboxPending, graph.ContactReadChanges).
		Group("userid").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count pending reads: %w", sqlstore.Translate(err))
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.N
	}
	return out, nil
}

// Waiting reports whether a pending event that needs a contact read of the edge (userID, extID)
// happened after after (idx_inbox_subject, then the few matching rows for their time).
func (s *InboxStore) Waiting(ctx context.Context, userID, extID string, after time.Time) (bool, error) {
	var ids []int64
	err := sqlstore.Conn(ctx, s.db).Model(&inboxRow{}).
		Where("status = ? AND userid = ? AND change_type IN ? AND external_userid = ? AND event_time > ?",
			graph.InboxPending, userID, graph.ContactReadChanges, extID, after.UTC()).Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("inbox waiting for %s/%s: %w", userID, extID, sqlstore.Translate(err))
	}
	return len(ids) > 0, nil
}
