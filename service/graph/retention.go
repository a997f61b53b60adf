package graph

import (
	"context"
	"fmt"
	"time"
)

// PurgeInbox deletes applied callbacks done more than retain ago, in chunks, and returns how many
// it deleted. Pending and parked callbacks are never touched; the graph keeps what they changed.
func PurgeInbox(ctx context.Context, inbox InboxStore, retain time.Duration, now time.Time) (int64, error) {
	const chunk = 5000
	var total int64
	for ctx.Err() == nil {
		n, err := inbox.PurgeDone(ctx, now.Add(-retain), chunk)
		total += n
		if err != nil {
			return total, fmt.Errorf("purge inbox: %w", err)
		}
		if n < chunk {
			return total, nil
		}
	}
	return total, ctx.Err()
}
