package handler

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/handover"
)

// exportLabels names kinds, statuses, states and strategies in exports as the console does.
var exportLabels = map[string]string{
	handover.CaseOpen: "待执行", handover.CaseRunning: "执行中", handover.CaseWaiting: "等待接替", handover.CaseDone: "已完成",
	handover.CaseCancelled: "已取消", handover.ItemPending: "待分配", handover.ItemSubmitting: "提交中", handover.ItemRefused: "客户拒绝",
	handover.ItemLimit: "客户数已满", handover.ItemFailed: "失败", handover.ItemExcluded: "已排除", handover.KindResigned: "离职继承",
	handover.KindOnjob: "在职转接", handover.StrategyOne: "全部给一人", handover.StrategyRoundRobin: "门店轮流分配",
	handover.StrategyLeastLoaded: "门店最少客户优先", handover.ItemCustomer: "客户", handover.ItemGroup: "客户群",
}

func label(s string) string {
	if l, ok := exportLabels[s]; ok {
		return l
	}
	return s
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// exportCases exports the case list with the list's filters, every page.
func (h *AdminHandler) exportCases(c *gin.Context) {
	f, err := caseFilter(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	f.Limit = 200
	h.export(c, exportTable{file: "handover-cases", sheet: "交接单",
		header: []string{"编号", "类型", "原跟进成员", "原跟进成员 userid", "门店", "门店 ID", "状态", "分配方式", "客户数", "待分配",
			"等待接替", "已完成", "失败或拒绝", "客户群数", "创建时间", "完成时间"},
		rows: func(emit func([]any) error) error {
			for {
				page, err := h.d.Handover.CaseList(c.Request.Context(), f)
				if err != nil {
					return err
				}
				for _, cs := range page {
					k, cu := cs.Case, cs.Counts[handover.ItemCustomer]
					store := toNamedCase(k, cs.Guide).StoreName
					if err := emit([]any{k.ID, label(k.Kind), cs.Guide.Name, k.HandoverUserID, store, k.StoreID, label(k.Status),
						label(k.Plan.Strategy), sum(cu), cu[handover.ItemPending], cu[handover.ItemWaiting], cu[handover.ItemDone],
						cu[handover.ItemFailed] + cu[handover.ItemRefused] + cu[handover.ItemLimit], sum(cs.Counts[handover.ItemGroup]),
						exportTime(&k.OpenedAt), exportTime(k.FinishedAt)}); err != nil {
						return err
					}
				}
				if len(page) < f.Limit {
					return nil
				}
				if f.Oldest {
					f.AfterID = page[len(page)-1].Case.ID
				} else {
					f.BeforeID = page[len(page)-1].Case.ID
				}
			}
		}})
}

// exportItems exports a case's items with the list's filters, every page.
func (h *AdminHandler) exportItems(c *gin.Context) {
	id, err := caseID(c)
	var f handover.ItemFilter
	if err == nil {
		f, err = itemFilter(c)
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	f.Limit = 500
	h.export(c, exportTable{file: "handover-case-" + strconv.FormatInt(id, 10), sheet: "交接明细",
		header: []string{"类型", "客户或群", "客户或群 ID", "接替成员", "接替成员 userid", "接替成员门店", "手动指定", "状态", "原因", "提交时间", "接替时间"},
		rows: func(emit func([]any) error) error {
			for {
				page, err := h.d.Handover.ItemList(c.Request.Context(), id, f)
				if err != nil {
					return err
				}
				for _, v := range page {
					it, manual := v.Item, ""
					if it.OverrideUserID != "" {
						manual = "是"
					}
					if err := emit([]any{label(it.Kind), v.Target.Name, it.TargetID, v.Taker.Name, it.TakeoverUserID, v.Taker.StoreName,
						manual, label(it.State), it.Reason, exportTime(it.SubmittedAt), exportTime(it.TakeoverAt)}); err != nil {
						return err
					}
				}
				if len(page) < f.Limit {
					return nil
				}
				f.AfterID = page[len(page)-1].Item.ID
			}
		}})
}

// exportDeparted exports 离职待分配.
func (h *AdminHandler) exportDeparted(c *gin.Context) {
	storeID, err := queryInt(c, "store_id")
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	h.export(c, exportTable{file: "departed-guides", sheet: "离职待分配",
		header: []string{"成员", "userid", "门店", "门店 ID", "离职时间", "名下客户", "名下客户群", "交接单", "交接单状态", "待分配", "等待接替", "已完成"},
		rows: func(emit func([]any) error) error {
			ds, err := h.d.Handover.DepartedList(c.Request.Context(), handover.DepartedFilter{StoreID: storeID})
			if err != nil {
				return err
			}
			for _, d := range ds {
				caseNo, status := "", ""
				if d.Case != nil {
					caseNo, status = strconv.FormatInt(d.Case.ID, 10), label(d.Case.Status)
				}
				cu := d.Counts[handover.ItemCustomer]
				if err := emit([]any{d.Guide.Name, d.Guide.UserID, d.Guide.StoreName, d.Guide.StoreID, exportTime(d.ResignedAt), d.Customers,
					d.Groups, caseNo, status, cu[handover.ItemPending], cu[handover.ItemWaiting], cu[handover.ItemDone]}); err != nil {
					return err
				}
			}
			return nil
		}})
}

// exportAudit exports the audit log with the list's filters, every page.
func (h *AdminHandler) exportAudit(c *gin.Context) {
	f, err := auditFilter(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	f.Limit = 500
	h.export(c, exportTable{file: "audit-log", sheet: "操作日志",
		header: []string{"时间", "操作人", "操作人 userid", "操作", "对象", "门店", "门店 ID", "权限范围", "详情"},
		rows: func(emit func([]any) error) error {
			for {
				page, err := h.d.Access.AuditLog(c.Request.Context(), f)
				if err != nil {
					return err
				}
				for _, a := range page {
					if err := emit([]any{exportTime(&a.At), a.ActorName, a.Actor, a.Action, a.Target, a.StoreName, a.StoreID, a.Scope, a.Detail}); err != nil {
						return err
					}
				}
				if len(page) < f.Limit {
					return nil
				}
				f.BeforeID = page[len(page)-1].ID
			}
		}})
}
