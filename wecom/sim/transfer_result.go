package sim

import "strconv"

// resultPage is transfer_result's page size.
const resultPage = 1000

// apiTransferResult mimics "查询客户接替状态" (POST transfer_result): the
// latest transfer of each customer between the two members, 1000 per page
// with next_cursor. takeover_time is the (future) takeover time, 0 when the
// customer refused.
func (s *Sim) apiTransferResult(c *call) result { return s.transferResult(c, false) }

// apiResignedTransferResult mimics resigned/transfer_result (same shape).
func (s *Sim) apiResignedTransferResult(c *call) result { return s.transferResult(c, true) }

func (s *Sim) transferResult(c *call, resigned bool) result {
	var req transferRequest
	if res := c.decode(&req); res != nil {
		return res
	}
	off, ok := parseOffset(req.Cursor)
	if !ok {
		return errInvalidParam("cursor")
	}
	recs := latestPerCustomer(s.st.xfer.byPair[pairKey(resigned, req.HandoverUserID, req.TakeoverUserID)])
	out := []map[string]any{}
	end := min(off+resultPage, len(recs))
	for i := off; i < end; i++ {
		r := recs[i]
		tt := unix(r.TakeoverTime)
		if r.Status == 3 {
			tt = 0
		}
		out = append(out, map[string]any{"external_userid": r.ExternalUserID, "status": r.Status, "takeover_time": tt})
	}
	res := result{"customer": out, "next_cursor": ""}
	if end < len(recs) {
		res["next_cursor"] = "o" + strconv.Itoa(end)
	}
	return res
}

// latestPerCustomer keeps each customer's newest record, in first-seen order.
func latestPerCustomer(recs []*TransferRecord) []*TransferRecord {
	pos := map[string]int{}
	var out []*TransferRecord
	for _, r := range recs {
		if i, ok := pos[r.ExternalUserID]; ok {
			out[i] = r
			continue
		}
		pos[r.ExternalUserID] = len(out)
		out = append(out, r)
	}
	return out
}

// completeDueLocked finishes every waiting transfer whose takeover time has
// passed on the sim clock, oldest first.
func (s *Sim) completeDueLocked() {
	now := s.clock.Now()
	x := &s.st.xfer
	i := 0
	for ; i < len(x.pending) && !x.pending[i].TakeoverTime.After(now); i++ {
		s.finishTransferLocked(x.pending[i])
	}
	if i > 0 {
		x.pending = append(x.pending[:0:0], x.pending[i:]...)
	}
}

// finishTransferLocked applies one takeover: refusal (status 3) and a full
// takeover member (status 4) push transfer_fail with the takeover member as
// UserID; success (status 1) moves the customer.
func (s *Sim) finishTransferLocked(r *TransferRecord) {
	st := s.st
	delete(st.xfer.active, r.ExternalUserID)
	switch {
	case st.custs[r.ExternalUserID].refuses:
		r.Status = 3
		s.emitTransferFail(r, "customer_refused")
	case st.follow(r.Takeover, r.ExternalUserID) == nil && st.atLimit(r.Takeover):
		r.Status = 4
		s.emitTransferFail(r, "customer_limit_exceed")
	default:
		r.Status = 1
		s.moveCustomerLocked(r)
	}
}

// emitTransferFail pushes change_external_contact/transfer_fail.
func (s *Sim) emitTransferFail(r *TransferRecord, reason string) {
	m := s.event(r.TakeoverTime, "change_external_contact", "transfer_fail")
	m.UserID, m.ExternalUserID, m.FailReason = r.Takeover, r.ExternalUserID, reason
	s.emit(m)
}

// moveCustomerLocked gives the customer to the takeover member as WeCom
// does: a fresh edge (add_way 202 "assigned by admin", remark, description
// and tags not copied) and add_external_contact unless they were already
// connected. An in-service handover loses the edge with
// del_external_contact Source=DELETE_BY_TRANSFER; a resigned handover's
// customer leaves the unassigned list (the member is gone, no event).
func (s *Sim) moveCustomerLocked(r *TransferRecord) {
	st, ext := s.st, r.ExternalUserID
	st.removeUnassigned(r.Handover, ext) // also when the handover resigned while waiting
	if !r.Resigned && st.removeFollow(r.Handover, ext) != nil {
		m := s.event(r.TakeoverTime, "change_external_contact", "del_external_contact")
		m.UserID, m.ExternalUserID, m.Source = r.Handover, ext, "DELETE_BY_TRANSFER"
		s.emit(m)
	}
	if st.follow(r.Takeover, ext) != nil {
		return
	}
	st.addFollow(Follow{UserID: r.Takeover, ExternalUserID: ext, CreateTime: r.TakeoverTime,
		AddWay: 202, OperUserID: r.Takeover})
	m := s.event(r.TakeoverTime, "change_external_contact", "add_external_contact")
	m.UserID, m.ExternalUserID = r.Takeover, ext
	s.emit(m)
}
