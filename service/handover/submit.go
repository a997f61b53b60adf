package handover

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// takeoverDelay is WeCom's automatic takeover delay after a transfer starts.
const takeoverDelay = 24 * time.Hour

// ninetyDays is the in-service window: a customer may be transferred at most twice in it.
const ninetyDays = 90 * 24 * time.Hour

// submitCustomers sends every pending customer, at most 100 per call and one taker per call
// (WeCom's shape), and returns how many it sent.
func (s *Runner) submitCustomers(ctx context.Context, c Case) (int, error) {
	sent := 0
	for {
		head, err := s.store.ItemPage(ctx, c.ID, ItemFilter{Kind: ItemCustomer, States: []string{ItemPending}, Limit: 1})
		if err != nil || len(head) == 0 {
			return sent, err
		}
		taker := head[0].TakeoverUserID
		if taker == "" { // a reassignment left it without one: plan again
			a, err := s.planner.newAllocator(ctx, c)
			if err != nil {
				return sent, err
			}
			if err := s.planner.planItems(ctx, c, a); err != nil {
				return sent, err
			}
			continue
		}
		items, err := s.store.ItemPage(ctx, c.ID, ItemFilter{Kind: ItemCustomer, States: []string{ItemPending}, Takeover: taker, Limit: 100})
		if err != nil {
			return sent, err
		}
		if c.Kind == KindOnjob {
			if items, err = s.ninetyDayRule(ctx, items); err != nil || len(items) == 0 {
				if err != nil {
					return sent, err
				}
				continue
			}
		}
		n, err := s.sendCustomerBatch(ctx, c, taker, items)
		sent += n
		if err != nil {
			return sent, err
		}
	}
}

// ninetyDayRule fails, without sending, customers this service already transferred twice
// in 90 days (WeCom would answer 40128), and returns the others.
func (s *Runner) ninetyDayRule(ctx context.Context, items []Item) ([]Item, error) {
	counts, err := s.store.OnjobTransfers(ctx, targets(items), s.now().Add(-ninetyDays))
	if err != nil {
		return nil, fmt.Errorf("90-day rule: %w", err)
	}
	var ok []Item
	var blocked []int64
	for _, it := range items {
		if counts[it.TargetID] >= 2 {
			blocked = append(blocked, it.ID)
		} else {
			ok = append(ok, it)
		}
	}
	if len(blocked) > 0 {
		_, err = s.store.UpdateItems(ctx, blocked, ItemUpdate{State: ptr(ItemFailed), ErrCode: ptr(40128),
			Reason: ptr("40128 90天内已转接2次（本系统记录，未发送）"), OnlyStates: []string{ItemPending}})
	}
	return ok, err
}

// recordBatch makes the batch and its items' "submitting" state durable before the WeCom call.
func (s *Runner) recordBatch(ctx context.Context, caseID int64, kind, taker string, items []Item) (Batch, error) {
	var b Batch
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		b, err = s.store.CreateBatch(ctx, Batch{CaseID: caseID, Kind: kind, TakeoverUserID: taker, Size: len(items), State: BatchRecorded, CreatedAt: s.now()})
		if err != nil {
			return err
		}
		_, err = s.store.UpdateItems(ctx, ids(items), ItemUpdate{State: ptr(ItemSubmitting), BatchID: &b.ID, OnlyStates: []string{ItemPending}})
		return err
	})
	if err != nil {
		return b, fmt.Errorf("record batch: %w", err)
	}
	if h := s.cfg.Hooks.AfterBatchRecorded; h != nil {
		if err := h(b); err != nil {
			return b, err
		}
	}
	return b, nil
}

// sendCustomerBatch records, sends and applies one batch of customers for one taker.
func (s *Runner) sendCustomerBatch(ctx context.Context, c Case, taker string, items []Item) (int, error) {
	b, err := s.recordBatch(ctx, c.ID, ItemCustomer, taker, items)
	if err != nil {
		return 0, err
	}
	if err := s.keepLease(ctx); err != nil { // the batch stays recorded: the lease's new holder recovers it
		return 0, err
	}
	out, err := s.api.TransferCustomers(ctx, c.Kind == KindResigned, c.HandoverUserID, taker, targets(items), c.Message)
	if err != nil {
		if code := weComCode(err); code != 0 {
			return len(items), s.batchRejected(ctx, b, items, code, err)
		}
		if errors.Is(err, service.ErrNotSent) {
			return 0, s.batchNotSent(ctx, b, items, err)
		}
		return 0, fmt.Errorf("send batch %d: %w", b.ID, err) // unknown outcome: the next run reconciles it
	}
	if h := s.cfg.Hooks.AfterBatchSent; h != nil {
		if err := h(b); err != nil {
			return 0, err
		}
	}
	codes := make(map[string]int, len(out))
	for _, o := range out {
		codes[o.ExternalUserID] = o.ErrCode
	}
	return len(items), s.applyCodes(ctx, b, items, codes)
}

// applyCodes records each customer's errcode and closes the batch, in one transaction.
func (s *Runner) applyCodes(ctx context.Context, b Batch, items []Item, codes map[string]int) error {
	now := s.now()
	due := now.Add(takeoverDelay)
	byCode := map[int][]int64{}
	for _, it := range items {
		code, ok := codes[it.TargetID]
		if !ok {
			code = -3 // WeCom left the customer out of its answer
		}
		byCode[code] = append(byCode[code], it.ID)
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		for code, group := range byCode {
			u := ItemUpdate{ErrCode: ptr(code), OnlyStates: []string{ItemSubmitting}}
			switch code {
			case 0:
				u.State, u.SubmittedAt, u.TakeoverAt, u.Reason = ptr(ItemWaiting), &now, &due, ptr("")
			case 40099:
				u.State, u.Reason = ptr(ItemLimit), ptr(reasonOf(code))
			case -3:
				u.State, u.Reason = ptr(ItemFailed), ptr("企业微信未返回该客户的结果")
			default:
				u.State, u.Reason = ptr(ItemFailed), ptr(reasonOf(code))
			}
			if _, err := s.store.UpdateItems(ctx, group, u); err != nil {
				return err
			}
		}
		return s.store.SetBatchState(ctx, b.ID, BatchApplied)
	})
	if err != nil {
		return fmt.Errorf("apply batch %d: %w", b.ID, err)
	}
	return nil
}

// batchRejected handles a whole-call errcode: WeCom did nothing. 60111 says a member is unknown
// or gone without saying which (and its errmsg is not to be read), so WeCom is asked about the
// taker: a taker who is gone is skipped for the next candidate; with the taker still there, the
// handover guide is the one WeCom does not know and the items fail. Anything else (rate limits,
// busy, or no answer about the taker) puts them back for the next run.
func (s *Runner) batchRejected(ctx context.Context, b Batch, items []Item, code int, cause error) error {
	u := ItemUpdate{ErrCode: ptr(code), Reason: ptr(reasonOf(code)), OnlyStates: []string{ItemSubmitting}}
	var ret error
	takerActive, checkErr := false, error(nil)
	if code == codeUserNotFound {
		takerActive, checkErr = s.api.MemberActive(ctx, b.TakeoverUserID) // outside any transaction
	}
	switch {
	case code == codeUserNotFound && checkErr == nil && takerActive:
		u.State, u.Reason = ptr(ItemFailed), ptr("60111 原跟进成员不存在")
	case code == codeUserNotFound && checkErr == nil:
		u.State = ptr(ItemLimit)
	case checkErr != nil:
		u.State, u.ErrCode, u.Reason = ptr(ItemPending), ptr(0), ptr("")
		ret = fmt.Errorf("send batch %d: %w (taker check: %w)", b.ID, cause, checkErr)
	default:
		u.State, u.ErrCode, u.Reason = ptr(ItemPending), ptr(0), ptr("")
		ret = fmt.Errorf("send batch %d: %w", b.ID, cause)
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.UpdateItems(ctx, ids(items), u); err != nil {
			return err
		}
		return s.store.SetBatchState(ctx, b.ID, BatchApplied)
	})
	if err != nil {
		return fmt.Errorf("batch %d rejected: %w", b.ID, err)
	}
	return ret
}

func ids(items []Item) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func targets(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.TargetID
	}
	return out
}

// batchNotSent settles a batch whose call never left the process (the call budget had no room in
// time): its items go back to pending and the batch is closed, so no run has to ask WeCom what
// became of it. The error tells the runner to try again later.
func (s *Runner) batchNotSent(ctx context.Context, b Batch, items []Item, cause error) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.UpdateItems(ctx, ids(items), ItemUpdate{State: ptr(ItemPending), OnlyStates: []string{ItemSubmitting}}); err != nil {
			return err
		}
		return s.store.SetBatchState(ctx, b.ID, BatchApplied)
	})
	if err != nil {
		return fmt.Errorf("put back batch %d: %w", b.ID, err)
	}
	return fmt.Errorf("batch %d not sent: %w", b.ID, cause)
}
