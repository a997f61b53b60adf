package handler

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/kpi"
)

// mountKPI adds the guides' performance (导购三率) under the admin group: every route reads within the
// caller's scope (a store manager asking for another store's numbers: 403).
func (h *AdminHandler) mountKPI(g *gin.RouterGroup) {
	g.GET("/kpi/overview", h.kpiOverview)
	g.GET("/kpi/overview/export", h.exportKPITrend)
	g.GET("/kpi/stores", h.kpiStores)
	g.GET("/kpi/stores/export", h.exportKPIStores)
	g.GET("/kpi/guides", h.kpiGuides)
	g.GET("/kpi/guides/export", h.exportKPIGuides)
	g.GET("/kpi/guides/:userid", h.kpiGuide)
	g.GET("/kpi/guides/:userid/customers", h.kpiCustomers)
	g.GET("/kpi/guides/:userid/customers/export", h.exportKPICustomers)
}

// kpiTotalsDTO is a period's numbers: the counts, the guide-days behind the rates, and the rates.
type kpiTotalsDTO struct {
	Opens           int64   `json:"opens"`
	ProductShares   int64   `json:"product_shares"`
	MaterialSends   int64   `json:"material_sends"`
	TasksDone       int64   `json:"tasks_done"`
	Reached         int64   `json:"reached"`
	Converted       int64   `json:"converted"`
	Orders          int64   `json:"orders"`
	AmountFen       int64   `json:"amount_fen"`
	Refunds         int64   `json:"refunds"`
	RefundFen       int64   `json:"refund_fen"`
	NetAmountFen    int64   `json:"net_amount_fen"`
	Added           int64   `json:"added"`
	LostByCustomer  int64   `json:"lost_by_customer"`
	LostByGuide     int64   `json:"lost_by_guide"`
	NetCustomers    int64   `json:"net_customers"`
	HandoverIn      int64   `json:"handover_in"`
	HandoverOut     int64   `json:"handover_out"`
	LoginGuideDays  int64   `json:"login_guide_days"`
	ShareGuideDays  int64   `json:"share_guide_days"`
	ActiveGuideDays int64   `json:"active_guide_days"`
	LoginRate       float64 `json:"login_rate"`
	ShareRate       float64 `json:"share_rate"`
	ConversionRate  float64 `json:"conversion_rate"`
}

func toKPITotalsDTO(t kpi.Totals) kpiTotalsDTO {
	return kpiTotalsDTO{Opens: t.Opens, ProductShares: t.ProductShares, MaterialSends: t.MaterialSends, TasksDone: t.TasksDone,
		Reached: t.Reached, Converted: t.Converted, Orders: t.Orders, AmountFen: t.AmountFen, Refunds: t.Refunds, RefundFen: t.RefundFen,
		NetAmountFen: t.NetAmountFen(), Added: t.Added, LostByCustomer: t.LostByCustomer, LostByGuide: t.LostByGuide,
		NetCustomers: t.NetCustomers(), HandoverIn: t.HandoverIn, HandoverOut: t.HandoverOut, LoginGuideDays: t.LoginGuideDays,
		ShareGuideDays: t.ShareGuideDays, ActiveGuideDays: t.ActiveGuideDays, LoginRate: round4(t.LoginRate()),
		ShareRate: round4(t.ShareRate()), ConversionRate: round4(t.ConversionRate())}
}

func round4(f float64) float64 { return float64(int64(f*10000+0.5)) / 10000 }

type kpiDayDTO struct {
	Day string `json:"day"`
	kpiTotalsDTO
}

type kpiPeriodDTO struct {
	From    string `json:"from"`
	To      string `json:"to"`
	StoreID int64  `json:"store_id,omitempty"`
}

type kpiStoreDTO struct {
	StoreID int64  `json:"store_id"`
	Name    string `json:"name"`
	Guides  int64  `json:"guides"`
	kpiTotalsDTO
}

type kpiGuideDTO struct {
	UserID     string     `json:"userid"`
	Name       string     `json:"name"`
	StoreID    int64      `json:"store_id"`
	StoreName  string     `json:"store_name"`
	Resigned   bool       `json:"resigned"`
	ResignedAt *time.Time `json:"resigned_at,omitempty"`
	kpiTotalsDTO
}

func toKPIGuideDTO(g kpi.GuideTotals) kpiGuideDTO {
	return kpiGuideDTO{UserID: g.UserID, Name: g.Name, StoreID: g.StoreID, StoreName: g.StoreName, Resigned: g.Resigned,
		ResignedAt: g.ResignedAt, kpiTotalsDTO: toKPITotalsDTO(g.Totals)}
}

func toKPIDaysDTO(ds []kpi.DayTotals) []kpiDayDTO {
	out := make([]kpiDayDTO, len(ds))
	for i, d := range ds {
		out[i] = kpiDayDTO{Day: d.Day.String(), kpiTotalsDTO: toKPITotalsDTO(d.Totals)}
	}
	return out
}

type kpiCustomerDTO struct {
	ExternalUserID string     `json:"external_userid"`
	Name           string     `json:"name"`
	Avatar         string     `json:"avatar,omitempty"`
	Remark         string     `json:"remark,omitempty"`
	AddedAt        *time.Time `json:"added_at,omitempty"`
	Active         bool       `json:"active"`
	ReachedDays    int64      `json:"reached_days"`
	Orders         int64      `json:"orders"`
	AmountFen      int64      `json:"amount_fen"`
	RefundFen      int64      `json:"refund_fen"`
}

// kpiPeriod reads from, to (days, 2006-01-02; default the 30 days to today in the corp's time zone)
// and store_id.
func kpiPeriod(c *gin.Context, loc *time.Location) (kpi.Period, error) {
	var p kpi.Period
	today := kpi.DayOf(time.Now(), loc)
	p.To, p.From = today, today.AddDays(-29)
	var err error
	if v := c.Query("to"); v != "" {
		if p.To, err = kpi.ParseDay(v); err != nil {
			return p, invalidDay("to")
		}
		p.From = p.To.AddDays(-29)
	}
	if v := c.Query("from"); v != "" {
		if p.From, err = kpi.ParseDay(v); err != nil {
			return p, invalidDay("from")
		}
	}
	if p.StoreID, err = queryInt(c, "store_id"); err != nil {
		return p, err
	}
	return p, p.Validate()
}

func invalidDay(field string) error { return service.Invalid(field, "a day like 2026-03-01") }

// kpiOverview answers GET /api/admin/kpi/overview: the period's totals, rates and days.
func (h *AdminHandler) kpiOverview(c *gin.Context) { kpiOverview(c, h.d.KPI, h.d.Log) }

func kpiOverview(c *gin.Context, svc *kpi.Service, log *slog.Logger) {
	p, err := kpiPeriod(c, svc.Location())
	if err != nil {
		fail(c, log, err)
		return
	}
	o, err := svc.Overview(c.Request.Context(), p)
	if err != nil {
		fail(c, log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"period": kpiPeriodOf(p), "guides": o.Guides, "totals": toKPITotalsDTO(o.Totals), "days": toKPIDaysDTO(o.Trend)})
}

func kpiPeriodOf(p kpi.Period) kpiPeriodDTO {
	return kpiPeriodDTO{From: p.From.String(), To: p.To.String(), StoreID: p.StoreID}
}

// kpiStores answers GET /api/admin/kpi/stores: each store's numbers (the corp → store drill-down).
func (h *AdminHandler) kpiStores(c *gin.Context) { kpiStores(c, h.d.KPI, h.d.Log) }

func kpiStores(c *gin.Context, svc *kpi.Service, log *slog.Logger) {
	p, err := kpiPeriod(c, svc.Location())
	if err != nil {
		fail(c, log, err)
		return
	}
	ss, err := svc.Stores(c.Request.Context(), p)
	if err != nil {
		fail(c, log, err)
		return
	}
	out := make([]kpiStoreDTO, len(ss))
	for i, s := range ss {
		out[i] = kpiStoreDTO{StoreID: s.StoreID, Name: s.Name, Guides: s.Guides, kpiTotalsDTO: toKPITotalsDTO(s.Totals)}
	}
	c.JSON(http.StatusOK, gin.H{"period": kpiPeriodOf(p), "stores": out})
}

// kpiGuides answers GET /api/admin/kpi/guides?store_id=: a store's guides (the store → guide drill-down).
func (h *AdminHandler) kpiGuides(c *gin.Context) { kpiGuides(c, h.d.KPI, h.d.Log) }

func kpiGuides(c *gin.Context, svc *kpi.Service, log *slog.Logger) {
	p, err := kpiPeriod(c, svc.Location())
	if err != nil {
		fail(c, log, err)
		return
	}
	gs, err := svc.Guides(c.Request.Context(), p)
	if err != nil {
		fail(c, log, err)
		return
	}
	out := make([]kpiGuideDTO, len(gs))
	for i, g := range gs {
		out[i] = toKPIGuideDTO(g)
	}
	c.JSON(http.StatusOK, gin.H{"period": kpiPeriodOf(p), "guides": out})
}

// kpiGuide answers GET /api/admin/kpi/guides/:userid: one guide's numbers and days.
func (h *AdminHandler) kpiGuide(c *gin.Context) {
	p, err := kpiPeriod(c, h.d.KPI.Location())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	g, days, err := h.d.KPI.Guide(c.Request.Context(), c.Param("userid"), p)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"period": kpiPeriodOf(p), "guide": toKPIGuideDTO(g), "days": toKPIDaysDTO(days)})
}

// kpiCustomers answers GET /api/admin/kpi/guides/:userid/customers: the guide's customers (present
// and past) with the period's credited orders, by external_userid (cursor, limit ≤ 200).
func (h *AdminHandler) kpiCustomers(c *gin.Context) {
	p, err := kpiPeriod(c, h.d.KPI.Location())
	var limit int
	if err == nil {
		limit, err = queryLimit(c, 50, kpi.MaxCustomers)
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	cs, err := h.d.KPI.Customers(c.Request.Context(), c.Param("userid"), p, c.Query("cursor"), limit)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out, next := make([]kpiCustomerDTO, len(cs)), ""
	for i, x := range cs {
		out[i] = kpiCustomerDTO{ExternalUserID: x.ExternalUserID, Name: x.Name, Avatar: x.Avatar, Remark: x.Remark, AddedAt: x.AddedAt,
			Active: x.Active, ReachedDays: x.ReachedDays, Orders: x.Orders, AmountFen: x.AmountFen, RefundFen: x.RefundFen}
		if len(cs) == limit {
			next = x.ExternalUserID
		}
	}
	c.JSON(http.StatusOK, gin.H{"period": kpiPeriodOf(p), "customers": out, "next_cursor": next})
}
