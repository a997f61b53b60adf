package handler

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/autotag"
)

// mountAutoTags adds the auto-tag rules (自动标签) under the admin group (sidebar.admins, JSON writes).
func (h *AdminHandler) mountAutoTags(g *gin.RouterGroup) {
	g.GET("/autotags/rules", h.listRules)
	g.POST("/autotags/rules", h.createRule)
	g.PUT("/autotags/rules/:id", h.updateRule)
	g.DELETE("/autotags/rules/:id", h.deleteRule)
	g.POST("/autotags/run", h.runAutoTags)
}

// ruleRequest is a rule as the admin API takes it: the tag by tag_id, or by tag_name (in tag_group,
// default 自动标签), created in WeCom if the corp has no such tag.
type ruleRequest struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Category string `json:"category"`
	Days     int    `json:"days"`
	LostDays int    `json:"lost_days"`
	MinFen   int64  `json:"min_fen"`
	Stage    string `json:"stage"`
	TagID    string `json:"tag_id"`
	TagName  string `json:"tag_name"`
	TagGroup string `json:"tag_group"`
	ToWeCom  bool   `json:"to_wecom"`
	Enabled  *bool  `json:"enabled"` // absent: on for a new rule, unchanged for an update
}

type ruleDTO struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Category  string    `json:"category,omitempty"`
	Days      int       `json:"days,omitempty"`
	LostDays  int       `json:"lost_days,omitempty"`
	MinFen    int64     `json:"min_fen,omitempty"`
	Stage     string    `json:"stage,omitempty"`
	TagID     string    `json:"tag_id"`
	TagName   string    `json:"tag_name"`
	ToWeCom   bool      `json:"to_wecom"`
	Enabled   bool      `json:"enabled"`
	Customers int       `json:"customers"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toRuleDTO(r autotag.Rule) ruleDTO {
	return ruleDTO{ID: r.ID, Name: r.Name, Kind: r.Kind, Category: r.Category, Days: r.Days, LostDays: r.LostDays, MinFen: r.MinFen,
		Stage: r.Stage, TagID: r.TagID, TagName: r.TagName, ToWeCom: r.ToWeCom, Enabled: r.Enabled, Customers: r.Customers, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (r ruleRequest) input() autotag.RuleInput {
	return autotag.RuleInput{Name: r.Name, Kind: r.Kind, Category: r.Category, Days: r.Days, LostDays: r.LostDays, MinFen: r.MinFen,
		Stage: r.Stage, TagID: r.TagID, TagName: r.TagName, TagGroup: r.TagGroup, ToWeCom: r.ToWeCom, Enabled: r.Enabled}
}

// listRules answers GET /api/admin/autotags/rules: every rule with how many customers it tags now.
func (h *AdminHandler) listRules(c *gin.Context) {
	rs, err := h.d.AutoTags.Rules(c.Request.Context())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]ruleDTO, len(rs))
	for i, r := range rs {
		out[i] = toRuleDTO(r)
	}
	c.JSON(http.StatusOK, gin.H{"rules": out})
}

// createRule answers POST /api/admin/autotags/rules: 201 with the rule; 400 naming the field.
// Customers get its tag at their next order or the next pass (POST /autotags/run for now).
func (h *AdminHandler) createRule(c *gin.Context) {
	var req ruleRequest
	if err := bind(c, &req); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	r, err := h.d.AutoTags.CreateRule(c.Request.Context(), req.input())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusCreated, toRuleDTO(r))
}

// updateRule answers PUT /api/admin/autotags/rules/:id with the rule as changed.
func (h *AdminHandler) updateRule(c *gin.Context) {
	id, err := caseID(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	var req ruleRequest
	if err := bind(c, &req); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	r, err := h.d.AutoTags.UpdateRule(c.Request.Context(), id, req.input())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, toRuleDTO(r))
}

// deleteRule answers DELETE /api/admin/autotags/rules/:id: 204; its tags leave the cards.
func (h *AdminHandler) deleteRule(c *gin.Context) {
	id, err := caseID(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	if err := h.d.AutoTags.DeleteRule(c.Request.Context(), id); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// runAutoTags answers POST /api/admin/autotags/run: 202 and the pass over every customer runs in the
// background (the nightly job's work, now); 409 while one runs on this replica.
func (h *AdminHandler) runAutoTags(c *gin.Context) {
	if err := h.d.AutoTags.StartPass(c.Request.Context()); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"started": true})
}
