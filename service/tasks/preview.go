package tasks

import (
	"context"
	"fmt"
	"slices"
)

// maxPreviewScan bounds the customers a preview reads (in pages of PageSize): past it the counts are
// a lower bound (Reach.Capped), so that the form answers at once even for a corp-wide target.
const maxPreviewScan = 100_000

// Reach is how many guides and customers a target reaches, as the plan would choose them (one guide
// per customer, active edges of active guides, the scope's stores), per store.
type Reach struct {
	Customers int
	Guides    int
	Stores    []StoreReach // by customers, most first
	Capped    bool         // the target has more customers than a preview reads: the counts are at least these
}

// StoreReach is a target's reach in one store (the store of the guide who would send).
type StoreReach struct {
	StoreID   int64
	Customers int
	Guides    int
}

// Preview counts whom a task with this target would reach, without creating anything. The target is
// checked (and narrowed to a store manager's stores) as Create does.
func (s *Service) Preview(ctx context.Context, target Target, scope Scope) (Reach, error) {
	if err := s.validateTarget(ctx, &target, scope); err != nil {
		return Reach{}, err
	}
	t := Task{Target: target}
	listed := slices.Clone(target.ExternalUserIDs)
	slices.Sort(listed)
	guides := map[string]int64{}
	perStore := map[int64]*StoreReach{}
	storeGuides := map[int64]map[string]bool{}
	var r Reach
	size, after := s.cfg.PageSize, ""
	for scanned := 0; ; scanned += size {
		if scanned >= maxPreviewScan {
			r.Capped = true
			break
		}
		q := CandidateQuery{TagIDs: target.TagIDs, After: after, Limit: size}
		if len(listed) > 0 {
			if scanned >= len(listed) {
				break
			}
			q.IDs, q.After = listed[scanned:min(scanned+size, len(listed))], ""
		}
		cands, err := s.store.Candidates(ctx, q)
		if err != nil {
			return Reach{}, fmt.Errorf("preview: %w", err)
		}
		rs, err := s.choose(ctx, t, cands)
		if err != nil {
			return Reach{}, fmt.Errorf("preview: %w", err)
		}
		store := map[string]int64{}
		for _, c := range cands {
			if f, ok := pickGuide(c); ok {
				store[f.UserID] = f.StoreID
			}
		}
		for _, rc := range rs {
			sid := store[rc.UserID]
			guides[rc.UserID] = sid
			sr := perStore[sid]
			if sr == nil {
				sr, storeGuides[sid] = &StoreReach{StoreID: sid}, map[string]bool{}
				perStore[sid] = sr
			}
			sr.Customers++
			storeGuides[sid][rc.UserID] = true
			r.Customers++
		}
		if len(listed) == 0 {
			if len(cands) < size {
				break
			}
			after = cands[len(cands)-1].ExternalUserID
		}
	}
	r.Guides = len(guides)
	for sid, sr := range perStore {
		sr.Guides = len(storeGuides[sid])
		r.Stores = append(r.Stores, *sr)
	}
	slices.SortFunc(r.Stores, func(a, b StoreReach) int {
		if a.Customers != b.Customers {
			return b.Customers - a.Customers
		}
		return int(a.StoreID - b.StoreID)
	})
	return r, nil
}
