package main

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo/timelinedb"
	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/timeline"
	"github.com/guidebox/guidebox/service/workbench"
	"github.com/guidebox/guidebox/wecom"
)

// newWorkbench wires the guide's workbench over its store and WeCom's media upload, in the corp's
// time zone (workbench.timezone).
func (a *app) newWorkbench() (*workbench.Service, error) {
	loc, err := time.LoadLocation(a.cfg.Workbench.Timezone)
	if err != nil {
		return nil, fmt.Errorf("config workbench.timezone: %w", err)
	}
	return workbench.New(workbenchdb.New(a.db, a.cfg.WeCom.CorpID), wecom.NewMaterials(a.wc), workbench.Config{Location: loc}), nil
}

// cardWorkbench is the sidebar card's Workbench port over the workbench service.
type cardWorkbench struct{ wb *workbench.Service }

var _ sidebar.Workbench = cardWorkbench{}

// CardSummary is the customer's stage and the guide's next follow-up.
func (c cardWorkbench) CardSummary(ctx context.Context, userID, extID string) (sidebar.WorkbenchSummary, error) {
	s, err := c.wb.Summary(ctx, userID, extID)
	if err != nil {
		return sidebar.WorkbenchSummary{}, err
	}
	return sidebar.WorkbenchSummary{Stage: s.StageName, NextFollowUp: s.NextFollowUp}, nil
}

// ChannelName is the corp's name of a state code.
func (c cardWorkbench) ChannelName(ctx context.Context, state string) (string, error) {
	return c.wb.ChannelName(ctx, state)
}

// workbenchRoutes are the workbench's routes: the guides' under /api/sidebar, the admins' under /api/admin.
func (a *app) workbenchRoutes(wb *workbench.Service, side *sidebar.Service, sessions handler.SessionVerifier, acc *access.Service) []handler.Mounter {
	return []handler.Mounter{
		handler.NewWorkbenchHandler(handler.WorkbenchDeps{Workbench: wb, Sessions: sessions, Log: a.log}),
		handler.NewWorkbenchAdminHandler(handler.WorkbenchAdminDeps{Workbench: wb, Sidebar: side, Sessions: sessions,
			Access: acc, Log: a.log}),
		handler.NewTimelineHandler(handler.TimelineDeps{Timeline: timeline.NewService(timelinedb.New(a.db, a.cfg.WeCom.CorpID)),
			Sessions: sessions, Log: a.log}),
	}
}
