package handover

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// cst is China Standard Time, the day boundary of WeCom's daily limits.
var cst = time.FixedZone("CST", 8*3600)

// cstDay returns the start of now's China day and of the next one.
func cstDay(now time.Time) (start, next time.Time) {
	t := now.In(cst)
	start = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cst)
	return start.UTC(), start.AddDate(0, 0, 1).UTC()
}

// submitGroups moves pending groups with groupchat/transfer (resigned) or onjob_transfer,
// ≤100 per call and within each new owner's daily quota; groups over it wait for the next day.
func (s *Runner) submitGroups(ctx context.Context, c Case) (int, error) {
	sent := 0
	for {
		now := s.now()
		head, err := s.store.ItemPage(ctx, c.ID, ItemFilter{Kind: ItemGroup, States: []string{ItemPending}, DueAt: &now, Limit: 1})
		if err != nil || len(head) == 0 {
			return sent, err
		}
		taker := head[0].TakeoverUserID
		if taker == "" {
			return sent, fmt.Errorf("group %s has no taker", head[0].TargetID)
		}
		start, tomorrow := cstDay(now)
		used, err := s.store.GroupsReceived(ctx, taker, start)
		if err != nil {
			return sent, fmt.Errorf("group quota of %s: %w", taker, err)
		}
		quota := s.cfg.GroupDailyLimit - used
		items, err := s.store.ItemPage(ctx, c.ID, ItemFilter{Kind: ItemGroup, States: []string{ItemPending}, Takeover: taker, DueAt: &now, Limit: 100})
		if err != nil {
			return sent, err
		}
		if quota <= 0 {
			_, err := s.store.UpdateItems(ctx, ids(items), ItemUpdate{NotBefore: &tomorrow, Reason: ptr("接替成员今日接收客户群已达上限，次日继续")})
			if err != nil {
				return sent, err
			}
			continue
		}
		if len(items) > quota {
			items = items[:quota]
		}
		n, err := s.sendGroupBatch(ctx, c, taker, items, tomorrow)
		sent += n
		if err != nil {
			return sent, err
		}
	}
}

// sendGroupBatch records, sends and applies one batch of groups for one new owner.
func (s *Runner) sendGroupBatch(ctx context.Context, c Case, taker string, items []Item, tomorrow time.Time) (int, error) {
	b, err := s.recordBatch(ctx, c.ID, ItemGroup, taker, items)
	if err != nil {
		return 0, err
	}
	if err := s.keepLease(ctx); err != nil {
		return 0, err
	}
	failed, err := s.api.TransferGroups(ctx, c.Kind == KindResigned, targets(items), taker)
	if err != nil {
		if code := weComCode(err); code != 0 {
			return len(items), s.batchRejected(ctx, b, items, code, err)
		}
		if errors.Is(err, service.ErrNotSent) {
			return 0, s.batchNotSent(ctx, b, items, err)
		}
		return 0, fmt.Errorf("send group batch %d: %w", b.ID, err)
	}
	if h := s.cfg.Hooks.AfterBatchSent; h != nil {
		if err := h(b); err != nil {
			return 0, err
		}
	}
	fails := make(map[string]GroupFailure, len(failed))
	for _, f := range failed {
		fails[f.ChatID] = f
	}
	return len(items), s.applyGroupResults(ctx, b, items, fails, tomorrow)
}

// applyGroupResults records each group's outcome: moved, over the daily quota (45009, retried
// tomorrow), or failed with WeCom's reason.
func (s *Runner) applyGroupResults(ctx context.Context, b Batch, items []Item, fails map[string]GroupFailure, tomorrow time.Time) error {
	now := s.now()
	var done, later []int64
	failed := map[int][]int64{}
	for _, it := range items {
		f, bad := fails[it.TargetID]
		switch {
		case !bad:
			done = append(done, it.ID)
		case f.ErrCode == 45009:
			later = append(later, it.ID)
		default:
			failed[f.ErrCode] = append(failed[f.ErrCode], it.ID)
		}
	}
	only := []string{ItemSubmitting}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.UpdateItems(ctx, done, ItemUpdate{State: ptr(ItemDone), ErrCode: ptr(0), Reason: ptr(""), SubmittedAt: &now, TakeoverAt: &now, OnlyStates: only}); err != nil {
			return err
		}
		if _, err := s.store.UpdateItems(ctx, later, ItemUpdate{State: ptr(ItemPending), ErrCode: ptr(45009), Reason: ptr(reasonOf(45009) + "，次日继续"), NotBefore: &tomorrow, OnlyStates: only}); err != nil {
			return err
		}
		for code, group := range failed {
			if _, err := s.store.UpdateItems(ctx, group, ItemUpdate{State: ptr(ItemFailed), ErrCode: ptr(code), Reason: ptr(reasonOf(code)), OnlyStates: only}); err != nil {
				return err
			}
		}
		return s.store.SetBatchState(ctx, b.ID, BatchApplied)
	})
}
