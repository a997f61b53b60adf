package repo_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
)

// upTo is the production migrations of driver numbered up to v.
func upTo(t *testing.T, driver string, v int) fs.FS {
	t.Helper()
	prod, err := repo.FSOf(driver)
	require.NoError(t, err)
	ms, err := repo.Migrations(driver)
	require.NoError(t, err)
	out := fstest.MapFS{}
	for _, m := range ms {
		if m.Version <= v {
			b, err := fs.ReadFile(prod, m.Name)
			require.NoError(t, err)
			out[m.Name] = &fstest.MapFile{Data: b}
		}
	}
	return out
}

// Migration 0007 turns schema 3's products into the catalogue: product_id becomes the SKU, the price
// is in fen, active becomes on_sale, and a store-only product becomes a stock row of its store.
func TestCatalogMigrationKeepsSchema3Products(t *testing.T) {
	ctx := context.Background()
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			db := open(t, driver, emptyDatabase(t, driver))
			_, err := repo.MigrateFS(ctx, db, upTo(t, driver, 3))
			require.NoError(t, err)
			for _, p := range []struct {
				id    string
				store int64
				on    bool
			}{{"P1", 0, true}, {"P2", 2, true}, {"P3", 3, false}} {
				require.NoError(t, db.Exec(`INSERT INTO products (corp_id, product_id, name, price_cents, store_id, tag_ids, sort_order, active, updated_at)
					VALUES ('c1', ?, 'n', 1990, ?, 't1,t2', 5, ?, CURRENT_TIMESTAMP)`, p.id, p.store, p.on).Error)
			}
			_, err = repo.Migrate(ctx, db)
			require.NoError(t, err)

			type row struct {
				SKU      string
				PriceFen int64
				OnSale   bool
				TagIDs   string
				Brand    string
			}
			var rows []row
			require.NoError(t, db.Raw("SELECT sku, price_fen, on_sale, tag_ids, brand FROM products WHERE corp_id = 'c1' ORDER BY sku").Scan(&rows).Error)
			assert.Equal(t, []row{{"P1", 1990, true, "t1,t2", ""}, {"P2", 1990, true, "t1,t2", ""}, {"P3", 1990, false, "t1,t2", ""}}, rows)
			type stock struct {
				StoreID int64
				SKU     string
				Qty     int64
			}
			var st []stock
			require.NoError(t, db.Raw("SELECT store_id, sku, qty FROM product_stock WHERE corp_id = 'c1' ORDER BY sku").Scan(&st).Error)
			assert.Equal(t, []stock{{2, "P2", 0}, {3, "P3", 0}}, st, "store-only products are stocked in their store only")
			assert.False(t, db.Migrator().HasColumn("products", "store_id"))
		})
	}
}
