package handler

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/directory"
	"github.com/guidebox/guidebox/service/handover"
)

type storeDTO struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	ParentID int64  `json:"parent_id,omitempty"`
}

type adminMeResponse struct {
	UserID string     `json:"userid"`
	Name   string     `json:"name"`
	Role   string     `json:"role"` // admin | store_manager
	All    bool       `json:"all"`  // every store
	Stores []storeDTO `json:"stores"`
}

// me is the signed-in admin and their scope, for the console's header.
func (h *AdminHandler) me(c *gin.Context) {
	ctx := c.Request.Context()
	sc := service.ScopeOf(ctx)
	stores, err := h.d.Access.StoresIn(ctx, sc)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, adminMeResponse{UserID: sc.UserID, Name: sc.Name, Role: sc.Role, All: sc.All, Stores: toStoreDTOs(stores)})
}

func toStoreDTOs(stores []service.Store) []storeDTO {
	out := make([]storeDTO, len(stores))
	for i, s := range stores {
		out[i] = storeDTO(s)
	}
	return out
}

func (h *AdminHandler) stores(c *gin.Context) {
	stores, err := h.d.Directory.Stores(c.Request.Context())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"stores": toStoreDTOs(stores)})
}

type adminGuideDTO struct {
	UserID     string     `json:"userid"`
	Name       string     `json:"name"`
	StoreID    int64      `json:"store_id"`
	StoreName  string     `json:"store_name"`
	Status     string     `json:"status"`
	Customers  int        `json:"customers"`
	ResignedAt *time.Time `json:"resigned_at,omitempty"`
}

// guides is the member picker: guides in the admin's scope by name, userid or store name.
func (h *AdminHandler) guides(c *gin.Context) {
	f := directory.GuideFilter{Status: c.Query("status"), After: c.Query("cursor")}
	var err error
	if f.Q, err = queryText(c, "q", 64); err == nil {
		f.StoreID, err = queryInt(c, "store_id")
	}
	if err == nil {
		f.Limit, err = queryLimit(c, 50, 200)
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	gs, err := h.d.Directory.Guides(c.Request.Context(), f)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out, next := make([]adminGuideDTO, len(gs)), ""
	for i, g := range gs {
		out[i] = adminGuideDTO{UserID: g.UserID, Name: g.Name, StoreID: g.StoreID, StoreName: g.StoreName, Status: g.Status,
			Customers: g.Customers, ResignedAt: g.ResignedAt}
		if len(gs) == f.Limit {
			next = g.UserID
		}
	}
	c.JSON(http.StatusOK, gin.H{"guides": out, "next_cursor": next})
}

type adminCustomerDTO struct {
	ExternalUserID string     `json:"external_userid"`
	Name           string     `json:"name"`
	Avatar         string     `json:"avatar,omitempty"`
	Remark         string     `json:"remark,omitempty"`
	AddedAt        *time.Time `json:"added_at,omitempty"`
}

// customers is the customer picker: a guide's active customers, searchable by name or remark.
func (h *AdminHandler) customers(c *gin.Context) {
	f := directory.CustomerFilter{After: c.Query("cursor")}
	var err error
	if f.Q, err = queryText(c, "q", 64); err == nil {
		f.Limit, err = queryLimit(c, 100, 500)
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	cs, err := h.d.Directory.Customers(c.Request.Context(), c.Param("userid"), f)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out, next := make([]adminCustomerDTO, len(cs)), ""
	for i, x := range cs {
		out[i] = adminCustomerDTO{ExternalUserID: x.ID, Name: x.Name, Avatar: x.Avatar, Remark: x.Remark, AddedAt: x.AddedAt}
		if len(cs) == f.Limit {
			next = x.ID
		}
	}
	c.JSON(http.StatusOK, gin.H{"customers": out, "next_cursor": next})
}

type departedDTO struct {
	UserID     string                    `json:"userid"`
	Name       string                    `json:"name"`
	StoreID    int64                     `json:"store_id"`
	StoreName  string                    `json:"store_name"`
	ResignedAt *time.Time                `json:"resigned_at,omitempty"`
	Customers  int                       `json:"customers"`
	Groups     int                       `json:"groups"`
	Case       *caseResponse             `json:"case,omitempty"`
	Counts     map[string]map[string]int `json:"counts,omitempty"`
}

func toDepartedDTO(d handover.Departed) departedDTO {
	out := departedDTO{UserID: d.Guide.UserID, Name: d.Guide.Name, StoreID: d.Guide.StoreID, StoreName: d.Guide.StoreName,
		ResignedAt: d.ResignedAt, Customers: d.Customers, Groups: d.Groups, Counts: d.Counts}
	if d.Case != nil {
		cr := toNamedCase(*d.Case, d.Guide)
		out.Case = &cr
	}
	return out
}

// departed is 离职待分配: departed guides whose customers still wait, with their open case.
func (h *AdminHandler) departed(c *gin.Context) {
	storeID, err := queryInt(c, "store_id")
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	ds, err := h.d.Handover.DepartedList(c.Request.Context(), handover.DepartedFilter{StoreID: storeID})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]departedDTO, len(ds))
	for i, d := range ds {
		out[i] = toDepartedDTO(d)
	}
	c.JSON(http.StatusOK, gin.H{"departed": out})
}

// auditFilter parses the audit log's filters (shared by the list and its export).
func auditFilter(c *gin.Context) (access.AuditFilter, error) {
	f := access.AuditFilter{}
	var err error
	if f.Actor, err = queryText(c, "actor", 64); err != nil {
		return f, err
	}
	if f.Action, err = queryText(c, "action", 32); err != nil {
		return f, err
	}
	if f.StoreID, err = queryInt(c, "store_id"); err != nil {
		return f, err
	}
	if f.CaseID, err = queryInt(c, "case_id"); err != nil {
		return f, err
	}
	f.BeforeID, err = queryInt(c, "cursor")
	return f, err
}

// audit is 操作日志: admin writes newest first, limited to the admin's stores.
func (h *AdminHandler) audit(c *gin.Context) {
	f, err := auditFilter(c)
	if err == nil {
		f.Limit, err = queryLimit(c, 100, 500)
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	entries, err := h.d.Access.AuditLog(c.Request.Context(), f)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out, next := make([]auditResponse, len(entries)), ""
	for i, a := range entries {
		out[i] = auditResponse(a)
		if len(entries) == f.Limit {
			next = strconv.FormatInt(a.ID, 10)
		}
	}
	c.JSON(http.StatusOK, gin.H{"entries": out, "next_cursor": next})
}
