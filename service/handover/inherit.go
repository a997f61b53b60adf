package handover

import (
	"context"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// inheritDone writes completed customer transfers to the graph, a page at a time: the owner,
// an ownership-history row (inherited for 离职, transferred for 在职) and, when configured,
// the previous guide's remark, description and tags on the taker's edge (also in WeCom
// with InheritToWeCom, outside the transaction).
func (s *Runner) inheritDone(ctx context.Context, c Case) error {
	reason := service.OwnerInherited
	if c.Kind == KindOnjob {
		reason = service.OwnerTransferred
	}
	note := fmt.Sprintf("交接单 #%d", c.ID)
	for {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		items, err := s.store.ItemPage(ctx, c.ID, ItemFilter{Kind: ItemCustomer, States: []string{ItemDone}, NotInherited: true, Limit: s.cfg.PageSize})
		if err != nil {
			return fmt.Errorf("inherit: %w", err)
		}
		if len(items) == 0 {
			return nil
		}
		if s.cfg.InheritEdge && s.cfg.InheritToWeCom {
			if err := s.copyToWeCom(ctx, c, items); err != nil {
				return err
			}
		}
		in := make([]Inheritance, len(items))
		for i, it := range items {
			at := s.now()
			if it.TakeoverAt != nil {
				at = *it.TakeoverAt
			}
			in[i] = Inheritance{ExternalUserID: it.TargetID, From: c.HandoverUserID, To: it.TakeoverUserID, Reason: reason,
				At: at, Note: note, CopyEdge: s.cfg.InheritEdge}
		}
		err = s.tx.InTx(ctx, func(ctx context.Context) error {
			if err := s.store.Inherit(ctx, in); err != nil {
				return err
			}
			_, err := s.store.UpdateItems(ctx, ids(items), ItemUpdate{Inherited: ptr(true)})
			return err
		})
		if err != nil {
			return fmt.Errorf("inherit: %w", err)
		}
	}
}

// copyToWeCom writes the previous edge's remark, description and tags onto the taker's edge in
// WeCom, so WeCom's next edit event keeps them. A failure is logged, not fatal: the graph copy stands.
func (s *Runner) copyToWeCom(ctx context.Context, c Case, items []Item) error {
	prev, err := s.store.EdgeDetails(ctx, c.HandoverUserID, targets(items))
	if err != nil {
		return fmt.Errorf("previous edges: %w", err)
	}
	for _, it := range items {
		f, ok := prev[it.TargetID]
		if !ok || (f.Remark == "" && f.Description == "" && len(f.TagIDs) == 0) {
			continue
		}
		if err := s.keepLease(ctx); err != nil { // two WeCom calls per customer: a page can take a while
			return err
		}
		if err := s.api.CopyFollow(ctx, it.TakeoverUserID, it.TargetID, f.Remark, f.Description, f.TagIDs); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.log.WarnContext(ctx, "copy remark to taker failed", "case", c.ID, "takeover", it.TakeoverUserID, "err", err)
		}
	}
	return nil
}
