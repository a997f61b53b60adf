package handler_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service/workbench"
)

// wbScenario is what the browser tests find in the workbench: guide A's follow-ups (one due today,
// one overdue), the pipeline, profile fields, a corp reply, and 客户等级 made single-choice.
type wbScenario struct {
	dueToday, overdue string // customers of guide A
	replyID           int64
	replyText         string
	levelGroup        string
}

// seedWorkbench writes the browser tests' workbench data as the demo's seed does: settings through the
// services, notes with times of the past straight into the store.
func (st *sidebarStack) seedWorkbench(t *testing.T) wbScenario {
	t.Helper()
	ctx := context.Background()
	boss := workbench.Actor{UserID: st.admin, Admin: true}
	_, err := st.wb.SetStages(ctx, boss, []workbench.Stage{{StageID: "contact", Name: "初次接触"}, {StageID: "intent", Name: "有意向"},
		{StageID: "deal", Name: "已成交"}, {StageID: "repeat", Name: "复购"}})
	require.NoError(t, err)
	for i, f := range []workbench.Field{
		{FieldID: "birthday", Name: "生日", Type: workbench.FieldDate, Birthday: true},
		{FieldID: "skin", Name: "肤质", Type: workbench.FieldMulti, Options: []string{"干性", "油性", "混合", "敏感"}},
		{FieldID: "size", Name: "尺码", Type: workbench.FieldSelect, Options: []string{"S", "M", "L", "XL"}},
		{FieldID: "level", Name: "会员等级", Type: workbench.FieldSelect, Options: []string{"普通会员", "银卡会员", "金卡会员"}},
	} {
		f.Order = i
		_, err := st.wb.CreateField(ctx, boss, f)
		require.NoError(t, err)
	}
	sc := wbScenario{dueToday: st.mine, overdue: st.anotherOfA(t), replyText: "您好，我是您的专属导购，有任何需要随时找我～"}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	store := workbenchdb.New(st.db, sbCorp)
	for ext, due := range map[string]time.Time{sc.dueToday: today.Add(12 * time.Hour), sc.overdue: today.Add(-14 * time.Hour)} {
		_, err := store.AddNote(ctx, workbench.Note{ExternalUserID: ext, UserID: st.guideA, Body: "约好回访：确认大衣尺码", StageID: "intent",
			NextAt: &due, CreatedAt: today.AddDate(0, 0, -2)})
		require.NoError(t, err)
	}
	g, err := st.wb.SaveGroup(ctx, boss, workbench.Group{Library: workbench.LibraryReply, Name: "开场问候"}, true)
	require.NoError(t, err)
	it, err := st.wb.SaveItem(ctx, boss, workbench.Item{GroupID: g.ID, Kind: workbench.KindText, Title: "初次问候", Content: sc.replyText}, true)
	require.NoError(t, err)
	sc.replyID = it.ID
	for _, tg := range st.sim.TagGroups() {
		if tg.Name == "客户等级" {
			sc.levelGroup = tg.ID
			require.NoError(t, st.side.SetSingleChoice(ctx, tg.ID, true))
		}
	}
	return sc
}

// mountWorkbenchProbes adds what the browser tests read of the server side: the sends recorded and
// a customer's remark in the simulator.
func (p *probe) mountWorkbenchProbes(r *gin.Engine) {
	r.GET("/test/sends", func(c *gin.Context) {
		var rows []struct {
			UserID         string `gorm:"column:userid" json:"userid"`
			ExternalUserID string `gorm:"column:external_userid" json:"external_userid"`
			ItemID         int64  `json:"item_id"`
			Kind           string `json:"kind"`
		}
		if err := p.st.db.Table("wb_sends").Select("userid, external_userid, item_id, kind").Order("id").Scan(&rows).Error; err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"code": "internal"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"sends": rows})
	})
}
