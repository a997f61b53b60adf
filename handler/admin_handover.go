package handler

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/handover"
)

// caseFilter parses the case list's filters (shared by the list and its export); a bad one is a 400
// naming the parameter.
func caseFilter(c *gin.Context) (handover.CaseFilter, error) {
	f := handover.CaseFilter{Status: c.Query("status"), Kind: c.Query("kind"), Oldest: c.Query("order") == "asc"}
	var err error
	if f.StoreID, err = queryInt(c, "store_id"); err != nil {
		return f, err
	}
	if f.Handover, err = queryText(c, "handover_userid", 64); err != nil {
		return f, err
	}
	cursor, err := queryInt(c, "cursor")
	if err != nil {
		return f, err
	}
	if cursor == 0 { // the older parameter
		if cursor, err = queryInt(c, "before_id"); err != nil {
			return f, err
		}
	}
	if f.Oldest {
		f.AfterID = cursor
	} else {
		f.BeforeID = cursor
	}
	if err := oneOf("order", c.Query("order"), "asc", "desc"); err != nil {
		return f, err
	}
	if err := oneOf("status", f.Status, handover.CaseOpen, handover.CaseRunning, handover.CaseWaiting, handover.CaseDone, handover.CaseCancelled); err != nil {
		return f, err
	}
	return f, oneOf("kind", f.Kind, handover.KindResigned, handover.KindOnjob)
}

func (h *AdminHandler) listCases(c *gin.Context) {
	f, err := caseFilter(c)
	if err == nil {
		f.Limit, err = queryLimit(c, 50, 200)
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	cases, err := h.d.Handover.CaseList(c.Request.Context(), f)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]caseSummaryResponse, len(cases))
	next := ""
	for i, cs := range cases {
		out[i] = caseSummaryResponse{caseResponse: toNamedCase(cs.Case, cs.Guide), Counts: cs.Counts}
		if len(cases) == f.Limit {
			next = strconv.FormatInt(cs.Case.ID, 10)
		}
	}
	c.JSON(http.StatusOK, gin.H{"cases": out, "next_cursor": next})
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

// itemFilter parses a case's item filters (shared by the list and its export).
func itemFilter(c *gin.Context) (handover.ItemFilter, error) {
	f := handover.ItemFilter{Kind: c.Query("kind")}
	var err error
	if f.AfterID, err = queryInt(c, "cursor"); err != nil {
		return f, err
	}
	if f.AfterID == 0 { // the older parameter
		if f.AfterID, err = queryInt(c, "after_id"); err != nil {
			return f, err
		}
	}
	if f.Takeover, err = queryText(c, "takeover_userid", 64); err != nil {
		return f, err
	}
	if f.Q, err = queryText(c, "q", 64); err != nil {
		return f, err
	}
	if err := oneOf("kind", f.Kind, handover.ItemCustomer, handover.ItemGroup); err != nil {
		return f, err
	}
	s := c.Query("state")
	if err := oneOf("state", s, handover.ItemPending, handover.ItemSubmitting, handover.ItemWaiting, handover.ItemDone,
		handover.ItemRefused, handover.ItemLimit, handover.ItemFailed, handover.ItemExcluded); err != nil {
		return f, err
	}
	if s != "" {
		f.States = []string{s}
	}
	return f, nil
}

func (h *AdminHandler) listItems(c *gin.Context) {
	h.withCase(c, func(id int64) (any, error) {
		f, err := itemFilter(c)
		if err == nil {
			f.Limit, err = queryLimit(c, 100, 500)
		}
		if err != nil {
			return nil, err
		}
		items, err := h.d.Handover.ItemList(c.Request.Context(), id, f)
		out := make([]itemResponse, len(items))
		next := ""
		for i, it := range items {
			out[i] = toItemResponse(it)
			if len(items) == f.Limit {
				next = strconv.FormatInt(it.Item.ID, 10)
			}
		}
		return gin.H{"items": out, "next_cursor": next}, err
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
