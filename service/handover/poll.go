package handover

import (
	"context"
	"fmt"
	"time"
)

// stateOfStatus maps a transfer_result status to an item state, errcode and reason.
func stateOfStatus(status int) (state string, code int, reason string) {
	switch status {
	case TransferStatusDone:
		return ItemDone, 0, ""
	case TransferStatusWaiting:
		return ItemWaiting, 0, ""
	case TransferStatusRefused:
		return ItemRefused, 0, "客户拒绝"
	case TransferStatusLimit:
		return ItemLimit, 40099, reasonOf(40099)
	}
	return ItemFailed, 0, fmt.Sprintf("无接替记录（status %d）", status)
}

// poll reads transfer_result, page by page, for every taker with waiting customers.
func (s *poller) poll(ctx context.Context, c Case) error {
	counts, err := s.store.TakerCounts(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("poll: %w", err)
	}
	for _, tc := range counts {
		if tc.Kind != ItemCustomer || tc.State != ItemWaiting || tc.N == 0 {
			continue
		}
		err := s.eachResult(ctx, c, tc.Takeover, func(page []TransferState) error {
			return s.applyResults(ctx, c.ID, page, nil, []string{ItemWaiting})
		})
		if err != nil {
			return fmt.Errorf("poll %s→%s: %w", c.HandoverUserID, tc.Takeover, err)
		}
	}
	return nil
}

// eachResult pages transfer_result for one handover/taker pair with its cursor.
func (s *poller) eachResult(ctx context.Context, c Case, taker string, fn func([]TransferState) error) error {
	cursor := ""
	for {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		page, next, err := s.api.TransferResults(ctx, c.Kind == KindResigned, c.HandoverUserID, taker, cursor)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if next == "" || len(page) == 0 {
			return nil
		}
		cursor = next
	}
}

// applyResults moves the case's items named in page (and, when keep is set, only those it
// accepts) from one of the states in from to what WeCom says; one update per new state.
func (s *poller) applyResults(ctx context.Context, caseID int64, page []TransferState, keep func(TransferState) bool, from []string) error {
	byExt := make(map[string]TransferState, len(page))
	exts := make([]string, 0, len(page))
	for _, r := range page {
		if keep == nil || keep(r) {
			byExt[r.ExternalUserID] = r
			exts = append(exts, r.ExternalUserID)
		}
	}
	if len(exts) == 0 {
		return nil
	}
	items, err := s.store.ItemsByTarget(ctx, caseID, ItemCustomer, exts)
	if err != nil {
		return err
	}
	type key struct {
		state string
		at    time.Time
	}
	groups := map[key][]int64{}
	for _, it := range items {
		r := byExt[it.TargetID]
		state, _, _ := stateOfStatus(r.Status)
		if !contains(from, it.State) || (state == it.State && state == ItemWaiting) {
			continue
		}
		k := key{state: state, at: r.TakeoverTime.UTC()}
		groups[k] = append(groups[k], it.ID)
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		for k, group := range groups {
			_, code, reason := stateOfStatus(statusOf(k.state))
			u := ItemUpdate{State: ptr(k.state), ErrCode: ptr(code), Reason: ptr(reason), OnlyStates: from}
			if !k.at.IsZero() && k.at.Unix() > 0 {
				u.TakeoverAt = ptr(k.at)
			}
			if _, err := s.store.UpdateItems(ctx, group, u); err != nil {
				return err
			}
		}
		return nil
	})
}

// statusOf is stateOfStatus's inverse for the states it produces.
func statusOf(state string) int {
	switch state {
	case ItemDone:
		return TransferStatusDone
	case ItemWaiting:
		return TransferStatusWaiting
	case ItemRefused:
		return TransferStatusRefused
	case ItemLimit:
		return TransferStatusLimit
	}
	return TransferStatusNoRecord
}

// recoverBatches settles batches recorded by a run that died before recording WeCom's answer.
// Customers transfer_result knows of (from this batch's time on) take that status; the others
// never reached WeCom and go back to pending. Nothing is sent twice.
func (s *poller) recoverBatches(ctx context.Context, c Case) error {
	batches, err := s.store.OpenBatches(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("open batches: %w", err)
	}
	for _, b := range batches {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		if b.Kind == ItemGroup {
			err = s.recoverGroupBatch(ctx, c, b)
		} else {
			err = s.recoverCustomerBatch(ctx, c, b)
		}
		if err != nil {
			return fmt.Errorf("recover batch %d: %w", b.ID, err)
		}
	}
	return nil
}

func (s *poller) recoverCustomerBatch(ctx context.Context, c Case, b Batch) error {
	items, err := s.store.ItemPage(ctx, c.ID, ItemFilter{BatchID: b.ID, States: []string{ItemSubmitting}, Limit: 100})
	if err != nil {
		return err
	}
	inBatch := make(map[string]bool, len(items))
	for _, it := range items {
		inBatch[it.TargetID] = true
	}
	// A transfer started by this batch takes over 24 h after the batch, or was refused (time 0);
	// an older record of the same pair is not this batch's.
	earliest := b.CreatedAt.Add(takeoverDelay - time.Hour)
	keep := func(r TransferState) bool {
		return inBatch[r.ExternalUserID] && (r.TakeoverTime.IsZero() || r.TakeoverTime.Unix() <= 0 || !r.TakeoverTime.Before(earliest))
	}
	err = s.eachResult(ctx, c, b.TakeoverUserID, func(page []TransferState) error {
		return s.applyResults(ctx, c.ID, page, keep, []string{ItemSubmitting})
	})
	if err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		// WeCom accepted those now waiting at batch time; the rest go back to pending.
		if _, err := s.store.UpdateItems(ctx, ids(items), ItemUpdate{SubmittedAt: &b.CreatedAt, OnlyStates: []string{ItemWaiting, ItemDone, ItemRefused, ItemLimit}}); err != nil {
			return err
		}
		if _, err := s.store.UpdateItems(ctx, ids(items), ItemUpdate{State: ptr(ItemPending), Reason: ptr(""), OnlyStates: []string{ItemSubmitting}}); err != nil {
			return err
		}
		return s.store.SetBatchState(ctx, b.ID, BatchApplied)
	})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// recoverGroupBatch settles a group batch whose answer was lost: groups the new owner now owns
// (groupchat/list) moved; the others go back to pending.
func (s *poller) recoverGroupBatch(ctx context.Context, c Case, b Batch) error {
	items, err := s.store.ItemPage(ctx, c.ID, ItemFilter{BatchID: b.ID, States: []string{ItemSubmitting}, Limit: 100})
	if err != nil {
		return err
	}
	inBatch := make(map[string]int64, len(items))
	for _, it := range items {
		inBatch[it.TargetID] = it.ID
	}
	var moved []int64
	cursor := ""
	for {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		chats, next, err := s.api.OwnedGroups(ctx, b.TakeoverUserID, cursor)
		if err != nil {
			return err
		}
		for _, id := range chats {
			if itemID, ok := inBatch[id]; ok {
				moved = append(moved, itemID)
			}
		}
		if next == "" || len(chats) == 0 {
			break
		}
		cursor = next
	}
	at := b.CreatedAt
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		only := []string{ItemSubmitting}
		if _, err := s.store.UpdateItems(ctx, moved, ItemUpdate{State: ptr(ItemDone), ErrCode: ptr(0), SubmittedAt: &at, TakeoverAt: &at, OnlyStates: only}); err != nil {
			return err
		}
		if _, err := s.store.UpdateItems(ctx, ids(items), ItemUpdate{State: ptr(ItemPending), OnlyStates: only}); err != nil {
			return err
		}
		return s.store.SetBatchState(ctx, b.ID, BatchApplied)
	})
}
