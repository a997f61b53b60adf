package tasks_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/tasks"
)

// catalog is a product catalogue for the Catalog port.
type catalog map[string]tasks.ProductCard

func (c catalog) ProductCards(_ context.Context, ids []string) ([]tasks.ProductCard, error) {
	var out []tasks.ProductCard
	for _, id := range ids {
		if p, ok := c[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

func TestCreateRefusesBadTasksNamingTheField(t *testing.T) {
	e := newTEnv(t)
	e.deps.Catalog = catalog{
		"coat":   {ID: "coat", Name: "羊绒大衣", PriceCents: 129900, LinkURL: "https://shop.example.com/p/coat", ImageURL: "/demo/coat.svg"},
		"nolink": {ID: "nolink", Name: "无链接"},
	}
	e.svc = e.newService(e.cfg)
	ok := func() tasks.NewTask {
		return tasks.NewTask{Title: "新品", Text: "您好", Target: tasks.Target{StoreIDs: []int64{10}}, Deadline: e.clock.Now().Add(24 * time.Hour)}
	}
	links := func(n int) []tasks.Link {
		out := make([]tasks.Link, n)
		for i := range out {
			out[i] = tasks.Link{Title: "链接", URL: "https://shop.example.com/x"}
		}
		return out
	}
	cases := []struct {
		name  string
		edit  func(*tasks.NewTask)
		field string
	}{
		{"no title", func(n *tasks.NewTask) { n.Title = "  " }, "title"},
		{"long title", func(n *tasks.NewTask) { n.Title = strings.Repeat("长", 65) }, "title"},
		{"nothing to send", func(n *tasks.NewTask) { n.Text = "" }, "text"},
		{"text over WeCom's 4000 bytes", func(n *tasks.NewTask) { n.Text = strings.Repeat("新", 1334) }, "text"},
		{"ten attachments", func(n *tasks.NewTask) { n.Links = links(10) }, "attachments"},
		{"no deadline", func(n *tasks.NewTask) { n.Deadline = time.Time{} }, "deadline"},
		{"deadline passed", func(n *tasks.NewTask) { n.Deadline = e.clock.Now().Add(-time.Minute) }, "deadline"},
		{"deadline too far", func(n *tasks.NewTask) { n.Deadline = e.clock.Now().Add(31 * 24 * time.Hour) }, "deadline"},
		{"no target", func(n *tasks.NewTask) { n.Target = tasks.Target{} }, "target"},
		{"bad store", func(n *tasks.NewTask) { n.Target.StoreIDs = []int64{0} }, "target.store_ids"},
		{"customer twice", func(n *tasks.NewTask) { n.Target.ExternalUserIDs = []string{"wm1", "wm1"} }, "target.external_userids"},
		{"stages not there yet", func(n *tasks.NewTask) { n.Target.Stage = "意向" }, "target.stage"},
		{"link without url", func(n *tasks.NewTask) { n.Links = []tasks.Link{{Title: "x", URL: "ftp://x"}} }, "links[0].url"},
		{"link without title", func(n *tasks.NewTask) { n.Links = []tasks.Link{{URL: "https://x.example.com"}} }, "links[0].title"},
		{"unknown product", func(n *tasks.NewTask) { n.ProductIDs = []string{"nope"} }, "product_ids"},
		{"product without link", func(n *tasks.NewTask) { n.ProductIDs = []string{"nolink"} }, "product_ids"},
		{"materials not there yet", func(n *tasks.NewTask) { n.MaterialIDs = []string{"m1"} }, "material_ids"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := ok()
			c.edit(&n)
			_, err := e.svc.Create(e.ctx, "hq", n, tasks.AllStores)
			var ve *service.ValidationError
			require.True(t, errors.As(err, &ve), "a validation error, got %v", err)
			assert.Equal(t, c.field, ve.Field)
		})
	}
	list, err := e.svc.List(e.ctx, tasks.TaskFilter{}, tasks.AllStores)
	require.NoError(t, err)
	assert.Empty(t, list, "nothing was recorded")

	n := ok()
	n.ProductIDs = []string{"coat"}
	n.Text = strings.Repeat("新", 1333) // 3999 bytes
	task, err := e.svc.Create(e.ctx, "hq", n, tasks.AllStores)
	require.NoError(t, err)
	require.Len(t, task.Content.Attachments, 1)
	assert.Equal(t, tasks.Attachment{Kind: tasks.KindLink, Title: "羊绒大衣", URL: "https://shop.example.com/p/coat", Desc: "¥1299.00",
		ProductID: "coat"}, task.Content.Attachments[0], "a product card is a link card; a relative picture is left out")
}

// A store manager's scope: a task reaches their stores only.
func TestScopeLimitsTheTarget(t *testing.T) {
	e := newTEnv(t)
	manager := tasks.Scope{StoreIDs: []int64{10}}
	n := tasks.NewTask{Title: "店内活动", Text: "周末活动", Target: tasks.Target{TagIDs: []string{"tag-vip"}}, Deadline: e.clock.Now().Add(time.Hour)}
	task, err := e.svc.Create(e.ctx, "manager", n, manager)
	require.NoError(t, err)
	assert.Equal(t, []int64{10}, task.Target.StoreIDs, "narrowed to the manager's store")
	n.Target.StoreIDs = []int64{10, 20}
	_, err = e.svc.Create(e.ctx, "manager", n, manager)
	assert.ErrorIs(t, err, service.ErrForbidden)
	all, err := e.svc.Create(e.ctx, "hq", tasks.NewTask{Title: "全国", Text: "hi", Target: tasks.Target{TagIDs: []string{"t"}},
		Deadline: e.clock.Now().Add(time.Hour)}, tasks.AllStores)
	require.NoError(t, err)
	_, err = e.svc.View(e.ctx, all.ID, manager)
	assert.ErrorIs(t, err, service.ErrForbidden, "a corp-wide task is not a store manager's")
}
