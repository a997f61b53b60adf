package sim

import "unicode/utf8"

// remarkRequest is externalcontact/remark's body; pointers tell which
// fields were sent.
type remarkRequest struct {
	UserID         string    `json:"userid"`
	ExternalUserID string    `json:"external_userid"`
	Remark         *string   `json:"remark"`
	Description    *string   `json:"description"`
	RemarkCompany  *string   `json:"remark_company"`
	RemarkMobiles  *[]string `json:"remark_mobiles"`
	RemarkPic      *string   `json:"remark_pic_mediaid"`
}

// tooLong reports whether p holds more than n characters.
func tooLong(p *string, n int) bool { return p != nil && utf8.RuneCountInString(*p) > n }

// apiRemark mimics "修改客户备注信息" (POST externalcontact/remark): only the
// fields sent change; remark ≤20, description ≤150, remark_company ≤20
// characters (40058 past them); at least one field (40058); remark_mobiles
// [""] clears the mobiles; 84061 when userid does not follow the customer.
func (s *Sim) apiRemark(c *call) result {
	var req remarkRequest
	if res := c.decode(&req); res != nil {
		return res
	}
	if req.Remark == nil && req.Description == nil && req.RemarkCompany == nil &&
		req.RemarkMobiles == nil && req.RemarkPic == nil {
		return errInvalidParam("remark, description, remark_company, remark_mobiles and remark_pic_mediaid are all empty")
	}
	if tooLong(req.Remark, 20) || tooLong(req.Description, 150) || tooLong(req.RemarkCompany, 20) {
		return errInvalidParam("remark ≤20, description ≤150, remark_company ≤20 characters")
	}
	if s.st.activeUser(req.UserID) == nil {
		return fail(60111, "userid not found")
	}
	f := s.st.follow(req.UserID, req.ExternalUserID)
	if f == nil {
		return fail(84061, "not exist contact")
	}
	if req.Remark != nil {
		f.Remark = *req.Remark
	}
	if req.Description != nil {
		f.Description = *req.Description
	}
	if req.RemarkCompany != nil {
		f.RemarkCorpName = *req.RemarkCompany
	}
	if req.RemarkMobiles != nil {
		f.RemarkMobiles = nonEmpty(*req.RemarkMobiles)
	}
	s.notifyEditLocked(c, f)
	return result{}
}

// nonEmpty drops empty strings (remark_mobiles [""] clears the list).
func nonEmpty(in []string) []string {
	var out []string
	for _, v := range in {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// notifyEditLocked pushes edit_external_contact for an API edit when
// Config.NotifyAPIChanges is set.
func (s *Sim) notifyEditLocked(c *call, f *Follow) {
	if !s.cfg.NotifyAPIChanges {
		return
	}
	m := s.event(c.now, "change_external_contact", "edit_external_contact")
	m.UserID, m.ExternalUserID = f.UserID, f.ExternalUserID
	s.emit(m)
}
