package sim

import (
	"time"
	"unicode/utf8"
)

// takeoverDelay is WeCom's automatic takeover delay for customer transfers.
const takeoverDelay = 24 * time.Hour

// transferWindow and maxTransfers are the in-service 90-day rule: a customer
// can be transferred at most twice in 90 natural days (40128).
const (
	transferWindow = 90 * 24 * time.Hour
	maxTransfers   = 2
)

// TransferRecord is one customer transfer as WeCom tracks it. Status follows
// transfer_result: 1 taken over, 2 waiting, 3 refused by the customer,
// 4 the takeover member's customer limit was reached.
type TransferRecord struct {
	ExternalUserID string
	Handover       string
	Takeover       string
	Resigned       bool // submitted through resigned/transfer_customer
	Start          time.Time
	TakeoverTime   time.Time // Start + 24 h
	Status         int
}

// transferState holds customer transfers and unassigned customers.
type transferState struct {
	all     []*TransferRecord
	pending []*TransferRecord            // status 2, in TakeoverTime order
	active  map[string]*TransferRecord   // external_userid → pending transfer
	history map[string][]time.Time       // in-service starts per customer
	byPair  map[string][]*TransferRecord // pairKey → records, oldest first
	limits  map[string]int               // SetCustomerLimit

	unassigned []*unassignedRec
	unIdx      map[string]*unassignedRec // handover+"\x00"+external_userid
}

func newTransferState() transferState {
	return transferState{active: map[string]*TransferRecord{}, history: map[string][]time.Time{},
		byPair: map[string][]*TransferRecord{}, limits: map[string]int{}, unIdx: map[string]*unassignedRec{}}
}

// pairKey keys transfer_result's (handover, takeover) lookups per flow.
func pairKey(resigned bool, handover, takeover string) string {
	k := "o"
	if resigned {
		k = "r"
	}
	return k + "\x00" + handover + "\x00" + takeover
}

// transferRequest is the body of transfer_customer and its resigned twin.
type transferRequest struct {
	HandoverUserID     string   `json:"handover_userid"`
	TakeoverUserID     string   `json:"takeover_userid"`
	ExternalUserID     []string `json:"external_userid"`
	TransferSuccessMsg string   `json:"transfer_success_msg"`
	Cursor             string   `json:"cursor"`
}

// apiTransferCustomer mimics "分配在职成员的客户" (POST transfer_customer).
// Whole-call errors: 40058 for 0 or more than 100 external_userid or a
// transfer_success_msg over 200 characters; 60111 when either member is
// unknown or has resigned (use the resigned API then). Per customer:
// 40096 unknown customer, 40130 same member, 40131 not the handover's
// customer, 40129 a transfer is in progress, 40128 transferred twice in 90
// days, 40099 the takeover member is at their customer limit; 0 starts a
// transfer that completes 24 h later on the sim clock.
func (s *Sim) apiTransferCustomer(c *call) result {
	return s.submitTransfers(c, false)
}

// apiResignedTransferCustomer mimics "分配离职成员的客户" (POST
// resigned/transfer_customer): as transfer_customer, but the handover must
// have resigned (40097 per customer otherwise) and the customer must be
// among the handover's unassigned customers (40131). No 90-day rule.
func (s *Sim) apiResignedTransferCustomer(c *call) result {
	return s.submitTransfers(c, true)
}

// submitTransfers runs the shared request checks, then checkTransfer per
// customer.
func (s *Sim) submitTransfers(c *call, resigned bool) result {
	var req transferRequest
	if res := c.decode(&req); res != nil {
		return res
	}
	if n := len(req.ExternalUserID); n == 0 || n > 100 {
		return errInvalidParam("external_userid must hold 1 to 100 ids")
	}
	if utf8.RuneCountInString(req.TransferSuccessMsg) > 200 {
		return errInvalidParam("transfer_success_msg must be at most 200 characters")
	}
	ho := s.st.users[req.HandoverUserID]
	if ho == nil || (!resigned && ho.Status == 5) {
		return fail(60111, "handover userid not found")
	}
	if s.st.activeUser(req.TakeoverUserID) == nil {
		return fail(60111, "takeover userid not found")
	}
	out := make([]map[string]any, 0, len(req.ExternalUserID))
	for _, ext := range req.ExternalUserID {
		code := s.checkTransfer(c.now, resigned, ho, req.TakeoverUserID, ext)
		if code == 0 {
			s.startTransfer(c.now, resigned, ho.UserID, req.TakeoverUserID, ext)
		}
		out = append(out, map[string]any{"external_userid": ext, "errcode": code})
	}
	return result{"customer": out}
}

// checkTransfer returns the per-customer errcode of one transfer request.
func (s *Sim) checkTransfer(now time.Time, resigned bool, ho *userRec, takeover, ext string) int {
	st := s.st
	switch {
	case st.custs[ext] == nil:
		return 40096
	case resigned && ho.Status != 5:
		return 40097
	case ho.UserID == takeover:
		return 40130
	case resigned && st.unassignedOf(ho.UserID, ext) == nil:
		return 40131
	case !resigned && ho.follows[ext] == nil:
		return 40131
	case st.xfer.active[ext] != nil:
		return 40129
	case !resigned && st.transfersSince(ext, now.Add(-transferWindow)) >= maxTransfers:
		return 40128
	case st.atLimit(takeover):
		return 40099
	}
	return 0
}

// transfersSince counts a customer's in-service transfers started after t.
func (st *state) transfersSince(ext string, t time.Time) int {
	n := 0
	for _, at := range st.xfer.history[ext] {
		if at.After(t) {
			n++
		}
	}
	return n
}

// atLimit reports whether a member holds as many customers as their limit.
func (st *state) atLimit(userID string) bool {
	lim := st.xfer.limits[userID]
	return lim > 0 && len(st.users[userID].follows) >= lim
}

// startTransfer records a waiting transfer.
func (s *Sim) startTransfer(now time.Time, resigned bool, handover, takeover, ext string) {
	x := &s.st.xfer
	r := &TransferRecord{ExternalUserID: ext, Handover: handover, Takeover: takeover,
		Resigned: resigned, Start: now, TakeoverTime: now.Add(takeoverDelay), Status: 2}
	x.all = append(x.all, r)
	x.pending = append(x.pending, r)
	x.active[ext] = r
	if !resigned {
		x.history[ext] = append(x.history[ext], now)
	}
	k := pairKey(resigned, handover, takeover)
	x.byPair[k] = append(x.byPair[k], r)
}
