package handler

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/handover"
)

func (h *AdminHandler) listCases(c *gin.Context) {
	before, err := queryInt(c, "before_id")
	if err == nil {
		err = oneOf("status", c.Query("status"), handover.CaseOpen, handover.CaseRunning, handover.CaseWaiting, handover.CaseDone, handover.CaseCancelled)
	}
	if err == nil {
		err = oneOf("kind", c.Query("kind"), handover.KindResigned, handover.KindOnjob)
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	cases, err := h.d.Handover.ListCases(c.Request.Context(), handover.CaseFilter{Status: c.Query("status"), Kind: c.Query("kind"),
		Handover: c.Query("handover_userid"), BeforeID: before, Limit: 50})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]caseResponse, len(cases))
	for i, cs := range cases {
		out[i] = toCaseResponse(cs)
	}
	c.JSON(http.StatusOK, gin.H{"cases": out})
}

func (h *AdminHandler) openCase(c *gin.Context) {
	var req openCaseRequest
	if err := bind(c, &req); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	ctx := c.Request.Context()
	if req.Kind == handover.KindResigned {
		cs, err := h.d.Handover.OpenResigned(ctx, actor(c), req.HandoverUserID)
		if err != nil {
			fail(c, h.d.Log, err)
			return
		}
		c.JSON(http.StatusCreated, gin.H{"case": toCaseResponse(cs)})
		return
	}
	r := handover.OnjobRequest{HandoverUserID: req.HandoverUserID, Customers: req.Customers, Groups: req.Groups,
		AllCustomers: req.AllCustomers, AllGroups: req.AllGroups, Message: req.Message}
	if req.Plan != nil {
		r.Plan = handover.Plan{Strategy: req.Plan.Strategy, TakeoverUserID: req.Plan.TakeoverUserID, KeepExisting: req.Plan.KeepExisting}
	}
	v, err := h.d.Handover.OpenOnjob(ctx, actor(c), r)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusCreated, toViewResponse(v))
}

func (h *AdminHandler) reconcile(c *gin.Context) {
	n, err := h.d.Handover.ReconcileAs(c.Request.Context(), actor(c))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"new_items": n})
}

// withCase runs fn with the parsed :id.
func (h *AdminHandler) withCase(c *gin.Context, fn func(id int64) (any, error)) {
	id, err := caseID(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out, err := fn(id)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (h *AdminHandler) viewCase(c *gin.Context) {
	h.withCase(c, func(id int64) (any, error) {
		v, err := h.d.Handover.View(c.Request.Context(), id)
		return toViewResponse(v), err
	})
}

func (h *AdminHandler) preview(c *gin.Context) {
	h.withCase(c, func(id int64) (any, error) {
		v, err := h.d.Handover.Preview(c.Request.Context(), id)
		return toViewResponse(v), err
	})
}

func (h *AdminHandler) listItems(c *gin.Context) {
	h.withCase(c, func(id int64) (any, error) {
		after, err := queryInt(c, "after_id")
		if err == nil {
			err = oneOf("kind", c.Query("kind"), handover.ItemCustomer, handover.ItemGroup)
		}
		if err == nil {
			err = oneOf("state", c.Query("state"), handover.ItemPending, handover.ItemSubmitting, handover.ItemWaiting, handover.ItemDone,
				handover.ItemRefused, handover.ItemLimit, handover.ItemFailed, handover.ItemExcluded)
		}
		if err != nil {
			return nil, err
		}
		f := handover.ItemFilter{Kind: c.Query("kind"), Takeover: c.Query("takeover_userid"), AfterID: after, Limit: 100}
		if s := c.Query("state"); s != "" {
			f.States = []string{s}
		}
		items, err := h.d.Handover.Items(c.Request.Context(), id, f)
		out := make([]itemResponse, len(items))
		for i, it := range items {
			out[i] = toItemResponse(it)
		}
		return gin.H{"items": out}, err
	})
}

func (h *AdminHandler) setPlan(c *gin.Context) {
	h.withCase(c, func(id int64) (any, error) {
		var req planDTO
		if err := bind(c, &req); err != nil {
			return nil, err
		}
		v, err := h.d.Handover.SetPlan(c.Request.Context(), actor(c), id,
			handover.Plan{Strategy: req.Strategy, TakeoverUserID: req.TakeoverUserID, KeepExisting: req.KeepExisting})
		return toViewResponse(v), err
	})
}

func (h *AdminHandler) editItems(c *gin.Context) {
	h.withCase(c, func(id int64) (any, error) {
		var req editItemsRequest
		if err := bind(c, &req); err != nil {
			return nil, err
		}
		if err := h.d.Handover.EditItems(c.Request.Context(), actor(c), id, req.edits()); err != nil {
			return nil, err
		}
		v, err := h.d.Handover.Preview(c.Request.Context(), id)
		return toViewResponse(v), err
	})
}

func (h *AdminHandler) execute(c *gin.Context) {
	h.withCase(c, func(id int64) (any, error) {
		v, err := h.d.Handover.Execute(c.Request.Context(), actor(c), id)
		return toViewResponse(v), err
	})
}

func (h *AdminHandler) cancel(c *gin.Context) {
	h.withCase(c, func(id int64) (any, error) {
		return gin.H{"status": handover.CaseCancelled}, h.d.Handover.Cancel(c.Request.Context(), actor(c), id)
	})
}

func (h *AdminHandler) audit(c *gin.Context) {
	id, err := queryInt(c, "case_id")
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	entries, err := h.d.Handover.AuditLog(c.Request.Context(), id, 100)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]auditResponse, len(entries))
	for i, a := range entries {
		out[i] = auditResponse(a)
	}
	c.JSON(http.StatusOK, gin.H{"entries": out})
}
