package recommend_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/recommenddb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/recommend"
)

const corp = "wwrecommendtest01"

// now is the tests' clock.
var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// env is the recommendations on a throwaway MySQL: stores 2 and 3, tags 美妆 (t-mz), 家居 (t-jj),
// 孕期 (t-yq), the products each test saves, and orders posted through the catalogue.
type env struct {
	t   *testing.T
	db  *gorm.DB
	cat *catalog.Service
	svc *recommend.Service
	n   int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, repotest.New(t))
}

// newEnvOn is env on a given migrated database (MySQL, or the embedded SQLite's smoke test).
func newEnvOn(t *testing.T, db *gorm.DB) *env {
	t.Helper()
	ctx := context.Background()
	g := graphdb.New(db, corp)
	require.NoError(t, g.UpsertStores(ctx, []service.Store{{ID: 1, Name: "总部"}, {ID: 2, Name: "上海店", ParentID: 1}, {ID: 3, Name: "北京店", ParentID: 1}}))
	require.NoError(t, g.ReplaceTags(ctx, []service.TagGroup{{GroupID: "g-pref", Name: "偏好", Tags: []service.Tag{
		{TagID: "t-mz", GroupID: "g-pref", Name: "美妆"}, {TagID: "t-jj", GroupID: "g-pref", Name: "家居"}, {TagID: "t-yq", GroupID: "g-pref", Name: "孕期"}}}}, now))
	log := slog.New(slog.DiscardHandler)
	e := &env{t: t, db: db, cat: catalog.NewService(catalogdb.New(db, corp), repo.NewTxManager(db), log)}
	t.Cleanup(e.cat.Close)
	e.svc = recommend.New(recommend.Config{Now: func() time.Time { return now }}, recommenddb.New(db, corp), log)
	t.Cleanup(e.svc.Close)
	return e
}

// product is a product on sale: stock maps stores to quantities (nil: not tracked).
func product(sku, name, category string, stock map[int64]int64, tags ...string) service.Product {
	p := service.Product{SKU: sku, Name: name, Category: category, PriceFen: 10000, OnSale: true, TagIDs: tags}
	for st, q := range stock {
		p.Stock = append(p.Stock, service.StoreStock{StoreID: st, Qty: q})
	}
	return p
}

func (e *env) products(ps ...service.Product) {
	e.t.Helper()
	require.NoError(e.t, e.cat.SaveProducts(context.Background(), ps))
}

// buy posts a paid order of customer ext at store daysAgo days before now, one of each SKU.
func (e *env) buy(ext string, store int64, daysAgo int, skus ...string) {
	e.t.Helper()
	e.n++
	in := catalog.OrderInput{OrderID: fmt.Sprintf("O%05d", e.n), ExternalUserID: ext, StoreID: store, Status: service.OrderPaid,
		PaidAt: now.Add(-time.Duration(daysAgo) * 24 * time.Hour).Format(time.RFC3339)}
	total := int64(0)
	for _, sku := range skus {
		p := int64(10000)
		in.Lines = append(in.Lines, catalog.LineInput{SKU: sku, Qty: 1, PriceFen: &p})
		total += p
	}
	in.TotalFen = &total
	_, _, err := e.cat.Ingest(context.Background(), in)
	require.NoError(e.t, err)
}

// rebuild builds the index (the scheduled job) and loads it.
func (e *env) rebuild() recommend.BuildReport {
	e.t.Helper()
	rep, err := e.svc.Rebuild(context.Background())
	require.NoError(e.t, err)
	return rep
}

// rec is one recommendation as the tests compare it.
type rec struct{ SKU, Reason string }

// recommend asks for limit items for ext in store with the given tags (ids of the env's tags).
func (e *env) recommend(ext string, store int64, limit int, tags []string, shares ...service.Share) []rec {
	e.t.Helper()
	names := map[string]string{"t-mz": "美妆", "t-jj": "家居", "t-yq": "孕期"}
	rs, err := e.svc.Recommend(context.Background(), service.RecommendInput{UserID: "g1", StoreID: store, ExternalUserID: ext,
		TagIDs: tags, TagNames: names, Shares: shares, Limit: limit})
	require.NoError(e.t, err)
	out := make([]rec, len(rs))
	for i, r := range rs {
		out[i] = rec{r.Product.SKU, r.Reason}
	}
	return out
}

func skus(rs []rec) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.SKU
	}
	return out
}
