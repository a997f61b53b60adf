package handler

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/kpi"
)

// The KPI exports: the same numbers as the JSON routes, amounts in yuan, rates as percentages.

var kpiHeader = []string{"登录率", "分享率", "成交率", "登录人天", "分享人天", "在职人天", "打开侧边栏", "分享商品", "发送素材/话术", "完成任务",
	"触达客户(人天)", "成交客户(人天)", "成交订单", "成交金额(元)", "退款订单", "退款金额(元)", "净成交额(元)", "新增客户", "客户删除导购",
	"导购删除客户", "净增客户", "转入客户", "转出客户"}

func kpiCells(t kpi.Totals) []any {
	return []any{pct(t.LoginRate()), pct(t.ShareRate()), pct(t.ConversionRate()), t.LoginGuideDays, t.ShareGuideDays, t.ActiveGuideDays,
		t.Opens, t.ProductShares, t.MaterialSends, t.TasksDone, t.Reached, t.Converted, t.Orders, yuan(t.AmountFen), t.Refunds,
		yuan(t.RefundFen), yuan(t.NetAmountFen()), t.Added, t.LostByCustomer, t.LostByGuide, t.NetCustomers(), t.HandoverIn, t.HandoverOut}
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

func yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// exportKPITrend exports the overview's days.
func (h *AdminHandler) exportKPITrend(c *gin.Context) {
	p, err := kpiPeriod(c, h.d.KPI.Location())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	h.export(c, exportTable{file: "kpi-days", sheet: "导购三率（按日）", header: append([]string{"日期"}, kpiHeader...),
		rows: func(emit func([]any) error) error {
			o, err := h.d.KPI.Overview(c.Request.Context(), p)
			if err != nil {
				return err
			}
			for _, d := range o.Trend {
				if err := emit(append([]any{d.Day.String()}, kpiCells(d.Totals)...)); err != nil {
					return err
				}
			}
			return nil
		}})
}

// exportKPIStores exports the stores' numbers.
func (h *AdminHandler) exportKPIStores(c *gin.Context) {
	p, err := kpiPeriod(c, h.d.KPI.Location())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	h.export(c, exportTable{file: "kpi-stores", sheet: "门店业绩", header: append([]string{"门店", "门店 ID", "在职导购", "起", "止"}, kpiHeader...),
		rows: func(emit func([]any) error) error {
			ss, err := h.d.KPI.Stores(c.Request.Context(), p)
			if err != nil {
				return err
			}
			for _, s := range ss {
				if err := emit(append([]any{s.Name, s.StoreID, s.Guides, p.From.String(), p.To.String()}, kpiCells(s.Totals)...)); err != nil {
					return err
				}
			}
			return nil
		}})
}

// exportKPIGuides exports one store's guides' numbers.
func (h *AdminHandler) exportKPIGuides(c *gin.Context) {
	p, err := kpiPeriod(c, h.d.KPI.Location())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	h.export(c, exportTable{file: "kpi-guides", sheet: "导购业绩",
		header: append([]string{"导购", "userid", "门店", "状态", "离职时间", "起", "止"}, kpiHeader...),
		rows: func(emit func([]any) error) error {
			gs, err := h.d.KPI.Guides(c.Request.Context(), p)
			if err != nil {
				return err
			}
			for _, g := range gs {
				status := "在职"
				if g.Resigned {
					status = "已离职"
				}
				row := []any{g.Name, g.UserID, g.StoreName, status, exportTime(g.ResignedAt), p.From.String(), p.To.String()}
				if err := emit(append(row, kpiCells(g.Totals)...)); err != nil {
					return err
				}
			}
			return nil
		}})
}

// exportKPICustomers exports a guide's customers with the period's credited orders, every page.
func (h *AdminHandler) exportKPICustomers(c *gin.Context) {
	p, err := kpiPeriod(c, h.d.KPI.Location())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	userID := c.Param("userid")
	h.export(c, exportTable{file: "kpi-customers", sheet: "导购的客户",
		header: []string{"客户", "external_userid", "备注", "添加时间", "仍是好友", "触达天数", "成交订单", "成交金额(元)", "退款金额(元)"},
		rows: func(emit func([]any) error) error {
			after := ""
			for {
				cs, err := h.d.KPI.Customers(c.Request.Context(), userID, p, after, kpi.MaxCustomers)
				if err != nil {
					return err
				}
				for _, x := range cs {
					active := "否"
					if x.Active {
						active = "是"
					}
					if err := emit([]any{x.Name, x.ExternalUserID, x.Remark, exportTime(x.AddedAt), active, x.ReachedDays, x.Orders,
						yuan(x.AmountFen), yuan(x.RefundFen)}); err != nil {
						return err
					}
				}
				if len(cs) < kpi.MaxCustomers {
					return nil
				}
				after = cs[len(cs)-1].ExternalUserID
			}
		}})
}
