package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// EnrichmentDrain estimates how long the inbox's backlog of contact reads takes at the enrichment
// lane's WeCom budget (guidebox_enrichment_drain_seconds). The calls are counted as the workers plan
// them: the pending events needing a read, by guide and distinct customer (a customer's events share
// one read), a guide's customers read with batch/get_by_user where that takes fewer calls than one
// externalcontact/get each. Each API has its own budget, so the estimate is the slower of the two.
// It leaves out what it cannot see cheaply: events a newer read answers already (fewer calls), a
// customer waiting for two guides (counted twice), and group, tag and member events (rare).
// -1 means never at the current budget (a lane with nothing sustained).
func (s *Service) EnrichmentDrain(ctx context.Context) (time.Duration, error) {
	waiting, err := s.inbox.PendingReads(ctx)
	if err != nil {
		return 0, fmt.Errorf("enrichment drain: %w", err)
	}
	budget, err := s.dir.ReadBudget(service.WithLane(ctx, service.LaneEnrichment))
	if err != nil {
		return 0, fmt.Errorf("enrichment drain: %w", err)
	}
	var several []string
	for u, k := range waiting {
		if k >= 2 {
			several = append(several, u)
		}
	}
	sizes := s.sizes.get(ctx, s.store, several)
	gets, batches := 0, 0
	for u, k := range waiting {
		if pages := max(1, (sizes[u]+k+batchPage-1)/batchPage); k >= 2 && pages < k { // the waiting counted as new edges
			batches += pages
		} else {
			gets += k
		}
	}
	g, b := budget.Get.Drain(gets), budget.Batch.Drain(batches)
	if g < 0 || b < 0 {
		return -1, nil
	}
	return max(g, b), nil
}
