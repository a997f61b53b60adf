package handover

import (
	"context"
	"fmt"
)

// WakeWaiting makes every waiting case due now, so the runner polls WeCom at once instead of at
// the takeover time it expects (the offline demo moves its simulator's clock a day ahead).
func (s *Runner) WakeWaiting(ctx context.Context) (int, error) {
	var ids []int64
	before := int64(0)
	for {
		cases, err := s.store.ListCases(ctx, CaseFilter{Status: CaseWaiting, BeforeID: before, Limit: 200})
		if err != nil {
			return 0, fmt.Errorf("wake waiting cases: %w", err)
		}
		for _, c := range cases {
			ids = append(ids, c.ID)
		}
		if len(cases) < 200 {
			break
		}
		before = cases[len(cases)-1].ID
	}
	if err := s.store.WakeCases(ctx, ids, s.now()); err != nil {
		return 0, fmt.Errorf("wake waiting cases: %w", err)
	}
	return len(ids), nil
}
