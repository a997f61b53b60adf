package handler_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/autotagdb"
	"github.com/guidebox/guidebox/repo/tasksdb"
	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/service/workbench"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// consoleWork is what the console's work pages need besides handover, wired as serve wires it: tasks
// (with their runner and one task of store 3), the catalogue with the demo orders, and the auto-tags with one rule.
type consoleWork struct {
	tasks *tasks.Service
	tags  *autotag.Service
}

// pagesScenario is what sidebar-ui/e2e/admin-pages.mjs needs to know of the seeded data.
type pagesScenario struct {
	TaskStore    string `json:"task_store"`    // a store whose guides get the task created in the browser
	Product      string `json:"product"`       // a demo product's name
	ProductSKU   string `json:"product_sku"`   // and its SKU
	Customer     string `json:"customer"`      // the customer with a refunded order, by name
	RefundedID   string `json:"refunded_id"`   // that order
	Rule         string `json:"rule"`          // the seeded auto-tag rule (written to WeCom)
	Reply        string `json:"reply"`         // a seeded quick reply's title
	ReplyGroup   string `json:"reply_group"`   // its group
	Field        string `json:"field"`         // a seeded profile field
	Channel      string `json:"channel"`       // a seeded channel name
	ManagerStore string `json:"manager_store"` // the store manager's only store
}

// newConsoleWork seeds the demo orders and an auto-tag rule and starts the tasks runner.
func newConsoleWork(t testing.TB, st *sidebarStack, log *slog.Logger) consoleWork {
	t.Helper()
	ctx := context.Background()
	st.seedOrders(t)
	svc, err := tasks.New(tasks.Config{}, tasksdb.New(st.db, sbCorp), wecom.NewMass(st.wc), repo.NewTxManager(st.db), tasks.Deps{}, log)
	require.NoError(t, err)
	run, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go svc.Run(run)
	seeded, err := svc.Create(ctx, "admin", tasks.NewTask{Title: "会员日预热", Text: "本周六会员日全场 9 折，欢迎到店～",
		Target: tasks.Target{StoreIDs: []int64{3}}, Deadline: time.Now().Add(48 * time.Hour)}, tasks.AllStores)
	require.NoError(t, err)
	_, err = svc.RunTask(ctx, seeded.ID) // planned, and each guide's 群发 waits in WeCom
	require.NoError(t, err)
	tags := autotag.New(autotag.Config{}, autotagdb.New(st.db, sbCorp), wecom.NewAutoTags(st.wc), st.graph.SyncDirectory, log)
	t.Cleanup(tags.Close)
	_, err = tags.CreateRule(ctx, autotag.RuleInput{Name: "高消费客户", Kind: autotag.KindSpend, MinFen: 50000, TagName: "高消费", ToWeCom: true})
	require.NoError(t, err)
	_, err = tags.CreateRule(ctx, autotag.RuleInput{Name: "沉睡客户", Kind: autotag.KindLifecycle, Stage: autotag.StageDormant, TagName: "沉睡"})
	require.NoError(t, err)
	_, err = tags.RunPass(ctx)
	require.NoError(t, err)
	return consoleWork{tasks: svc, tags: tags}
}

// seedPages gives the work pages something to show: a quick reply, a link material, a profile field and
// a channel name and the pipeline's stages.
func (st *consoleStack) seedPages(t testing.TB, sc *pagesScenario) {
	t.Helper()
	ctx := context.Background()
	admin := workbench.Actor{UserID: "admin", Admin: true}
	g, err := st.wb.SaveGroup(ctx, admin, workbench.Group{Library: workbench.LibraryReply, Name: "开场白"}, true)
	require.NoError(t, err)
	_, err = st.wb.SaveItem(ctx, admin, workbench.Item{GroupID: g.ID, Kind: workbench.KindText, Title: "欢迎语",
		Content: "您好，我是您的专属导购，有任何需要随时找我～"}, true)
	require.NoError(t, err)
	m, err := st.wb.SaveGroup(ctx, admin, workbench.Group{Library: workbench.LibraryMaterial, Name: "新品"}, true)
	require.NoError(t, err)
	_, err = st.wb.SaveItem(ctx, admin, workbench.Item{GroupID: m.ID, Kind: workbench.KindLink, Title: "秋冬新品上市",
		URL: "https://shop.example.com/new", Content: "限时 8 折"}, true)
	require.NoError(t, err)
	_, err = st.wb.CreateField(ctx, admin, workbench.Field{FieldID: "skin", Name: "肤质", Type: workbench.FieldSelect,
		Options: []string{"干性", "油性", "混合性"}, Order: 1})
	require.NoError(t, err)
	_, err = st.wb.SetChannel(ctx, admin, workbench.Channel{State: "store_poster", Name: "门店海报"})
	require.NoError(t, err)
	_, err = st.wb.SetStages(ctx, admin, []workbench.Stage{{Name: "初次接触"}, {Name: "有意向"}, {Name: "已成交"}, {Name: "复购"}})
	require.NoError(t, err)
	p := sim.DemoProducts()[0]
	*sc = pagesScenario{TaskStore: "上海南京西路店", Product: p.Name, ProductSKU: p.ID, RefundedID: "SC-REFUNDED", Rule: "高消费客户",
		Reply: "欢迎语", ReplyGroup: "开场白", Field: "肤质", Channel: "门店海报", ManagerStore: "上海南京西路店"}
	for _, c := range st.corp.Customers {
		if c.ExternalUserID == st.mine {
			sc.Customer = c.Name
		}
	}
	require.NotEmpty(t, sc.Customer)
}
