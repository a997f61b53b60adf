-- guidebox schema v9 (SQLite; mirrors mysql/0009_catalog.up.sql): the product catalogue with stock
-- per store, and orders. products becomes the catalogue (sku, price_fen, on_sale, brand, category);
-- a store-only product becomes a stock row for its store at quantity 0.
ALTER TABLE products RENAME COLUMN product_id TO sku;
ALTER TABLE products RENAME COLUMN price_cents TO price_fen;
ALTER TABLE products RENAME COLUMN active TO on_sale;
ALTER TABLE products ADD COLUMN brand VARCHAR(128) NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN category VARCHAR(128) NOT NULL DEFAULT '';

CREATE TABLE product_stock (
  corp_id VARCHAR(64) NOT NULL,
  store_id BIGINT NOT NULL,
  sku VARCHAR(64) NOT NULL,
  qty BIGINT NOT NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id, store_id, sku)
);
CREATE INDEX idx_stock_sku ON product_stock (corp_id, sku);

INSERT INTO product_stock (corp_id, store_id, sku, qty, updated_at)
  SELECT corp_id, store_id, sku, 0, updated_at FROM products WHERE store_id <> 0;

DROP INDEX idx_products_store;
ALTER TABLE products DROP COLUMN store_id;
CREATE INDEX idx_products_sale ON products (corp_id, on_sale, sort_order);
CREATE INDEX idx_products_category ON products (corp_id, category, on_sale);

CREATE TABLE orders (
  corp_id VARCHAR(64) NOT NULL,
  order_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  unionid VARCHAR(64) NOT NULL DEFAULT '',
  store_id BIGINT NOT NULL,
  guide_userid VARCHAR(64) NOT NULL DEFAULT '',
  paid_at DATETIME NOT NULL,
  total_fen BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  refunded_at DATETIME NULL,
  body_hash CHAR(64) NOT NULL,
  received_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id, order_id)
);
CREATE INDEX idx_orders_customer ON orders (corp_id, external_userid, paid_at);
CREATE INDEX idx_orders_unionid ON orders (corp_id, unionid, external_userid);
CREATE INDEX idx_orders_store ON orders (corp_id, store_id, paid_at);
CREATE INDEX idx_orders_guide ON orders (corp_id, guide_userid, paid_at);

CREATE TABLE order_lines (
  corp_id VARCHAR(64) NOT NULL,
  order_id VARCHAR(64) NOT NULL,
  line_no INT NOT NULL,
  sku VARCHAR(64) NOT NULL,
  qty INT NOT NULL,
  price_fen BIGINT NOT NULL,
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  store_id BIGINT NOT NULL,
  paid_at DATETIME NOT NULL,
  refunded TINYINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, order_id, line_no)
);
CREATE INDEX idx_lines_customer ON order_lines (corp_id, external_userid, paid_at);
CREATE INDEX idx_lines_store ON order_lines (corp_id, store_id, paid_at, sku);
CREATE INDEX idx_lines_sku ON order_lines (corp_id, sku, paid_at);
