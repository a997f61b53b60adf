package catalog_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/handler/sheet"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

const corp = "wwcatalogtest0001"

// env is the catalogue on a throwaway MySQL database with the graph's stores and tags of a small corp:
// stores 2 上海南京西路店, 3 北京三里屯店, 4 and 5 both named 杭州湖滨店; tags 美妆 (et-mz), 家居 (et-jj),
// and 新客 in two groups (et-new1, et-new2).
type env struct {
	db    *gorm.DB
	store *catalogdb.Store
	svc   *catalog.Service
	graph *graphdb.Store
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, repotest.New(t))
}

// newEnvOn is env on a given migrated database (MySQL, or the embedded SQLite's smoke test).
func newEnvOn(t *testing.T, db *gorm.DB) *env {
	t.Helper()
	e := &env{db: db, store: catalogdb.New(db, corp), graph: graphdb.New(db, corp)}
	e.svc = catalog.NewService(e.store, repo.NewTxManager(db), slog.New(slog.DiscardHandler))
	t.Cleanup(e.svc.Close)
	ctx := context.Background()
	require.NoError(t, e.graph.UpsertStores(ctx, []service.Store{{ID: 1, Name: "总部"}, {ID: 2, Name: "上海南京西路店", ParentID: 1},
		{ID: 3, Name: "北京三里屯店", ParentID: 1}, {ID: 4, Name: "杭州湖滨店", ParentID: 1}, {ID: 5, Name: "杭州湖滨店", ParentID: 1}}))
	require.NoError(t, e.graph.ReplaceTags(ctx, []service.TagGroup{
		{GroupID: "eg-cat", Name: "偏好品类", Tags: []service.Tag{{TagID: "et-mz", GroupID: "eg-cat", Name: "美妆"}, {TagID: "et-jj", GroupID: "eg-cat", Name: "家居"}}},
		{GroupID: "eg-life", Name: "生命周期", Tags: []service.Tag{{TagID: "et-new1", GroupID: "eg-life", Name: "新客"}}},
		{GroupID: "eg-vip", Name: "会员", Tags: []service.Tag{{TagID: "et-new2", GroupID: "eg-vip", Name: "新客"}}},
	}, time.Now()))
	return e
}

// rows opens file bytes as the importer reads them.
func rows(t *testing.T, data []byte) *sheet.Reader {
	t.Helper()
	r, err := sheet.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// xlsx builds a workbook whose first sheet holds the records, numbers as numbers.
func xlsx(t *testing.T, records [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range records {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow("Sheet1", cell, &r))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

func (e *env) product(t *testing.T, sku string) service.Product {
	t.Helper()
	p, err := e.store.GetProduct(context.Background(), sku)
	require.NoError(t, err)
	return p
}
