package handler

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

type signatureDTO struct {
	Timestamp int64  `json:"timestamp"`
	NonceStr  string `json:"nonceStr"`
	Signature string `json:"signature"`
}

type jsapiResponse struct {
	CorpID      string       `json:"corp_id"`
	AgentID     int          `json:"agent_id"`
	URL         string       `json:"url"`
	Config      signatureDTO `json:"config"`
	AgentConfig signatureDTO `json:"agent_config"`
}

// jsapiSignature answers GET /api/sidebar/jsapi-signature?url=: both JS-SDK signatures of a trusted page.
func (h *SidebarHandler) jsapiSignature(c *gin.Context) {
	cfg, err := h.d.JSAPI.Sign(c.Request.Context(), c.Query("url"))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	sig := func(s sidebar.JSAPISignature) signatureDTO {
		return signatureDTO{Timestamp: s.Timestamp, NonceStr: s.NonceStr, Signature: s.Signature}
	}
	c.JSON(http.StatusOK, jsapiResponse{CorpID: cfg.CorpID, AgentID: cfg.AgentID, URL: cfg.URL,
		Config: sig(cfg.Config), AgentConfig: sig(cfg.AgentConfig)})
}

// customerCard answers GET /api/sidebar/customers/:external_userid with the whole card.
func (h *SidebarHandler) customerCard(c *gin.Context) {
	card, err := h.d.Sidebar.CustomerCard(c.Request.Context(), session(c).UserID, c.Param("external_userid"))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, toCardResponse(card))
}

type editTagsRequest struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// editTags answers POST /api/sidebar/customers/:external_userid/tags {add, remove}: WeCom first, then locally.
func (h *SidebarHandler) editTags(c *gin.Context) {
	var req editTagsRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		fail(c, h.d.Log, service.Invalid("body", "must be JSON {add:[], remove:[]}"))
		return
	}
	tags, err := h.d.Sidebar.EditTags(c.Request.Context(), session(c).UserID, c.Param("external_userid"),
		sidebar.TagEdit{Add: req.Add, Remove: req.Remove})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tags": toTagGroups(tags)})
}

// corpTags answers GET /api/sidebar/tags: every corp tag group with its single-choice rule, for the tag editor.
func (h *SidebarHandler) corpTags(c *gin.Context) {
	gs, err := h.d.Sidebar.CorpTags(c.Request.Context())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"groups": toCorpTagGroups(gs)})
}

type editRemarkRequest struct {
	Remark      *string   `json:"remark"`
	Description *string   `json:"description"`
	Mobiles     *[]string `json:"mobiles"`
}

// editRemark answers PUT /api/sidebar/customers/:external_userid/remark {remark?, description?, mobiles?}:
// WeCom first, then locally; a WeCom refusal comes back with its reason in Chinese.
func (h *SidebarHandler) editRemark(c *gin.Context) {
	var req editRemarkRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		fail(c, h.d.Log, service.Invalid("body", "must be JSON {remark, description, mobiles}"))
		return
	}
	e, err := h.d.Sidebar.EditRemark(c.Request.Context(), session(c).UserID, c.Param("external_userid"),
		sidebar.RemarkEdit{Remark: req.Remark, Description: req.Description, Mobiles: req.Mobiles})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"remark": e.Remark, "description": e.Description, "mobiles": nonNilStrings(e.RemarkMobiles)})
}

type shareRequest struct {
	ProductID      string `json:"product_id"`
	ExternalUserID string `json:"external_userid"`
	ChatID         string `json:"chat_id"`
	MsgType        string `json:"msgtype"`
}

// share answers POST /api/sidebar/shares: records a product card sent into a chat.
func (h *SidebarHandler) share(c *gin.Context) {
	var req shareRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		fail(c, h.d.Log, service.Invalid("body", "must be JSON {product_id, external_userid|chat_id, msgtype}"))
		return
	}
	sh, err := h.d.Sidebar.RecordShare(c.Request.Context(), session(c).UserID, sidebar.ShareRequest{ProductID: req.ProductID,
		ExternalUserID: req.ExternalUserID, ChatID: req.ChatID, MsgType: req.MsgType}, h.d.Now())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusCreated, toShareDTO(sh))
}

type groupCustomerDTO struct {
	ExternalUserID string   `json:"external_userid"`
	Name           string   `json:"name"`
	Mine           bool     `json:"mine"`
	Tags           []tagDTO `json:"tags"`
}

type groupResponse struct {
	ChatID      string             `json:"chat_id"`
	Name        string             `json:"name"`
	Notice      string             `json:"notice"`
	Owner       guideDTO           `json:"owner"`
	MemberCount int                `json:"member_count"`
	GuideCount  int                `json:"guide_count"`
	Guides      []guideDTO         `json:"guides"`
	Dismissed   bool               `json:"dismissed"`
	Customers   []groupCustomerDTO `json:"customers"`
}

// groupCard answers GET /api/sidebar/groups/:chat_id.
func (h *SidebarHandler) groupCard(c *gin.Context) {
	g, err := h.d.Sidebar.GroupCard(c.Request.Context(), session(c).UserID, c.Param("chat_id"))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	r := groupResponse{ChatID: g.ChatID, Name: g.Name, Notice: g.Notice, Owner: toGuideDTO(g.Owner), MemberCount: g.MemberCount,
		GuideCount: g.GuideCount, Dismissed: g.Dismissed, Customers: []groupCustomerDTO{}, Guides: []guideDTO{}}
	for _, gd := range g.Guides {
		r.Guides = append(r.Guides, toGuideDTO(gd))
	}
	for _, cu := range g.Customers {
		d := groupCustomerDTO{ExternalUserID: cu.ExternalUserID, Name: cu.Name, Mine: cu.Mine, Tags: []tagDTO{}}
		for _, t := range cu.Tags {
			d.Tags = append(d.Tags, tagDTO{TagID: t.TagID, Name: t.Name})
		}
		r.Customers = append(r.Customers, d)
	}
	c.JSON(http.StatusOK, r)
}
