-- guidebox schema v9 (MySQL): the product catalogue with stock per store, and orders.
-- Every key leads with corp_id (sharding by corp). No triggers or procedures.
--
-- products (schema v3) becomes the catalogue: product_id is the SKU (货号), the price is in fen,
-- on_sale replaces active, brand and category are new. A store-only product (store_id) becomes a
-- stock row for that store at quantity 0 (offered there, stock unknown until an import sets it).
ALTER TABLE products
  RENAME COLUMN product_id TO sku,
  RENAME COLUMN price_cents TO price_fen,
  RENAME COLUMN active TO on_sale,
  ADD COLUMN brand VARCHAR(128) NOT NULL DEFAULT '' AFTER name,
  ADD COLUMN category VARCHAR(128) NOT NULL DEFAULT '' AFTER brand;

-- product_stock: a product's stock in one store (a WeCom department). A product without rows is not
-- stock-tracked and is offered in every store. PK: the products a store carries, by SKU.
CREATE TABLE product_stock (
  corp_id VARCHAR(64) NOT NULL,
  store_id BIGINT NOT NULL,
  sku VARCHAR(64) NOT NULL,
  qty BIGINT NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, store_id, sku),
  KEY idx_stock_sku (corp_id, sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO product_stock (corp_id, store_id, sku, qty, updated_at)
  SELECT corp_id, store_id, sku, 0, updated_at FROM products WHERE store_id <> 0;

ALTER TABLE products
  DROP INDEX idx_products_store,
  DROP COLUMN store_id,
  ADD KEY idx_products_sale (corp_id, on_sale, sort_order),
  ADD KEY idx_products_category (corp_id, category, on_sale);

-- orders: one row per order the POS or mini-program reported. external_userid is '' while the
-- order is known only by unionid and no customer has it yet (unlinked); the link pass fills it in.
-- body_hash is the SHA-256 of the canonical body without its status: the same order again is a
-- no-op, a different one a conflict, a status change paid -> refunded is applied (refunded_at).
CREATE TABLE orders (
  corp_id VARCHAR(64) NOT NULL,
  order_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  unionid VARCHAR(64) NOT NULL DEFAULT '',
  store_id BIGINT NOT NULL,
  guide_userid VARCHAR(64) NOT NULL DEFAULT '',
  paid_at DATETIME(3) NOT NULL,
  total_fen BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  refunded_at DATETIME(3) NULL,
  body_hash CHAR(64) NOT NULL,
  received_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, order_id),
  KEY idx_orders_customer (corp_id, external_userid, paid_at),
  KEY idx_orders_unionid (corp_id, unionid, external_userid),
  KEY idx_orders_store (corp_id, store_id, paid_at),
  KEY idx_orders_guide (corp_id, guide_userid, paid_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- order_lines: the items, with the order's customer, store, time and refund copied on each line so
-- the recommender reads one table: lines by customer, sales by store over a window, buyers of a SKU.
CREATE TABLE order_lines (
  corp_id VARCHAR(64) NOT NULL,
  order_id VARCHAR(64) NOT NULL,
  line_no INT NOT NULL,
  sku VARCHAR(64) NOT NULL,
  qty INT NOT NULL,
  price_fen BIGINT NOT NULL,
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  store_id BIGINT NOT NULL,
  paid_at DATETIME(3) NOT NULL,
  refunded TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, order_id, line_no),
  KEY idx_lines_customer (corp_id, external_userid, paid_at),
  KEY idx_lines_store (corp_id, store_id, paid_at, sku),
  KEY idx_lines_sku (corp_id, sku, paid_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
