package autotag_test

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/autotagdb"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// env is the auto-tags on a throwaway MySQL with the simulator as WeCom: store 2 with guide g1, a
// catalogue (护肤 face cream S1 and toner S2, 美妆 lipstick M1, 母婴 maternity dress B1 tagged 孕期 and
// diapers B2 tagged 0-1岁), the catalogue's orders observed by the auto-tags, and its clock at the
// simulator's (2026-11-01 10:00 UTC).
type env struct {
	t       *testing.T
	db      *gorm.DB
	wc      *simtest.Env
	graph   *graph.Service
	cat     *catalog.Service
	svc     *autotag.Service
	stage   map[string]string // baby-stage tag ids by name
	ruleTag map[string]string // tags of the 自动标签 group by name
	n       int
	marks   atomic.Int64 // mark_tag calls the auto-tags made
}

func newEnv(t *testing.T, cfg autotag.Config) *env {
	return newEnvOn(t, repotest.New(t), cfg, wecom.QuotaConfig{Disabled: true})
}

// newEnvQuota is env with the auto-tags' WeCom client under the given budget.
func newEnvQuota(t *testing.T, cfg autotag.Config, quota wecom.QuotaConfig) *env {
	return newEnvOn(t, repotest.New(t), cfg, quota)
}

// newEnvOn is env on a given migrated database (MySQL, or the embedded SQLite's smoke test).
func newEnvOn(t *testing.T, db *gorm.DB, cfg autotag.Config, quota wecom.QuotaConfig) *env {
	t.Helper()
	ctx := context.Background()
	wc := simtest.New(t)
	wc.Sim.AddDepartment(sim.Department{ID: 2, Name: "上海南京西路店", ParentID: 1})
	wc.Sim.AddUser(sim.User{UserID: "g1", Name: "王芳", Departments: []int{2}, MainDepartment: 2})
	stages, err := wc.Sim.CreateTagGroup("母婴阶段", "孕期", "0-1岁")
	require.NoError(t, err)
	auto, err := wc.Sim.CreateTagGroup("自动标签", "护肤达人", "高消费", "半年未购", "新客", "复购", "沉睡", "流失")
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	e := &env{t: t, db: db, wc: wc, stage: map[string]string{}, ruleTag: map[string]string{}}
	for _, tg := range stages.Tags {
		e.stage[tg.Name] = tg.ID
	}
	for _, tg := range auto.Tags {
		e.ruleTag[tg.Name] = tg.ID
	}
	e.graph = graph.NewService(graphdb.New(db, simtest.CorpID), graphdb.NewInboxStore(db), wc.Dir, repo.NewTxManager(db), nil, log)
	require.NoError(t, e.graph.SyncDirectory(ctx))
	require.NoError(t, e.graph.SyncGuide(ctx, "g1"))
	e.cat = catalog.NewService(catalogdb.New(db, simtest.CorpID), repo.NewTxManager(db), log)
	t.Cleanup(e.cat.Close)
	require.NoError(t, e.cat.SaveProducts(ctx, []service.Product{
		{SKU: "S1", Name: "修护面霜", Category: "护肤", PriceFen: 50000, OnSale: true},
		{SKU: "S2", Name: "柔肤水", Category: "护肤", PriceFen: 20000, OnSale: true},
		{SKU: "M1", Name: "丝绒口红", Category: "美妆", PriceFen: 30000, OnSale: true},
		{SKU: "B1", Name: "孕妇连衣裙", Category: "母婴", PriceFen: 40000, OnSale: true, TagIDs: []string{e.stage["孕期"]}},
		{SKU: "B2", Name: "新生儿纸尿裤", Category: "母婴", PriceFen: 15000, OnSale: true, TagIDs: []string{e.stage["0-1岁"]}},
	}))
	if cfg.Now == nil {
		cfg.Now = wc.Clock.Now
	}
	client, err := wecom.NewClient(wecom.Config{CorpID: simtest.CorpID, AgentID: 1000002, Secret: wc.Secret, BaseURL: wc.URL, Quota: quota},
		wecom.WithClock(wc.Clock.Now), wecom.WithObserver(func(endpoint string, _ int, _ time.Duration) {
			if endpoint == "cgi-bin/externalcontact/mark_tag" {
				e.marks.Add(1)
			}
		}))
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	e.svc = autotag.New(cfg, autotagdb.New(db, simtest.CorpID), wecom.NewAutoTags(client), e.graph.SyncDirectory, log)
	t.Cleanup(e.svc.Close)
	e.cat.Observe(e.svc)
	return e
}

// rule creates a rule on an existing tag.
func (e *env) rule(in autotag.RuleInput) autotag.Rule {
	e.t.Helper()
	r, err := e.svc.CreateRule(context.Background(), in)
	require.NoError(e.t, err)
	return r
}

// line is one item of an order: a SKU, a quantity and a unit price in yuan.
type line struct {
	sku   string
	qty   int64
	price int64
}

// order posts a paid order of ext at store 2, daysAgo days before the simulator's now.
func (e *env) order(ext string, daysAgo int, lines ...line) string {
	e.t.Helper()
	e.n++
	id := fmt.Sprintf("O%04d", e.n)
	in := catalog.OrderInput{OrderID: id, ExternalUserID: ext, StoreID: 2, Status: service.OrderPaid,
		PaidAt: e.wc.Clock.Now().Add(-time.Duration(daysAgo) * 24 * time.Hour).Format(time.RFC3339)}
	var total int64
	for _, l := range lines {
		p := l.price * 100
		in.Lines = append(in.Lines, catalog.LineInput{SKU: l.sku, Qty: l.qty, PriceFen: &p})
		total += l.qty * p
	}
	in.TotalFen = &total
	_, _, err := e.cat.Ingest(context.Background(), in)
	require.NoError(e.t, err)
	return id
}

// refund posts the refund of an order of ext.
func (e *env) refund(ext, orderID string, daysAgo int, lines ...line) {
	e.t.Helper()
	in := catalog.OrderInput{OrderID: orderID, ExternalUserID: ext, StoreID: 2, Status: service.OrderRefunded,
		PaidAt: e.wc.Clock.Now().Add(-time.Duration(daysAgo) * 24 * time.Hour).Format(time.RFC3339)}
	var total int64
	for _, l := range lines {
		p := l.price * 100
		in.Lines = append(in.Lines, catalog.LineInput{SKU: l.sku, Qty: l.qty, PriceFen: &p})
		total += l.qty * p
	}
	in.TotalFen = &total
	_, outcome, err := e.cat.Ingest(context.Background(), in)
	require.NoError(e.t, err)
	require.Equal(e.t, catalog.Refunded, outcome)
}

// flush waits for the evaluations the orders queued.
func (e *env) flush() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(e.t, e.svc.Flush(ctx))
}

// pass runs the nightly pass.
func (e *env) pass() autotag.PassReport {
	e.t.Helper()
	rep, err := e.svc.RunPass(context.Background())
	require.NoError(e.t, err)
	return rep
}

// tagged lists the customers with the rule's tag now, sorted.
func (e *env) tagged(r autotag.Rule) []string {
	e.t.Helper()
	var ids []string
	require.NoError(e.t, e.db.Raw("SELECT external_userid FROM customer_auto_tags WHERE corp_id = ? AND rule_id = ? AND tag_id = ?",
		simtest.CorpID, r.ID, r.TagID).Scan(&ids).Error)
	sort.Strings(ids)
	return ids
}

// customer adds a customer to guide g1 in WeCom and copies g1's customers into the graph; g1 owns them.
func (e *env) customer(name string) string {
	e.t.Helper()
	ext, _, err := e.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: name}, "")
	require.NoError(e.t, err)
	_, err = e.graph.ReconcileGuide(context.Background(), "g1", e.wc.Clock.Now())
	require.NoError(e.t, err)
	return ext
}

// days moves the clock (the simulator's and the auto-tags') on by n days.
func (e *env) days(n int) { e.wc.Clock.Advance(time.Duration(n) * 24 * time.Hour) }
