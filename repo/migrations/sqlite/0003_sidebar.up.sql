-- guidebox schema v3 (SQLite; mirrors mysql/0003_sidebar.up.sql): the sidebar's products and shares.
CREATE TABLE products (
  corp_id VARCHAR(64) NOT NULL,
  product_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description VARCHAR(1024) NOT NULL DEFAULT '',
  price_cents BIGINT NOT NULL DEFAULT 0,
  image_url VARCHAR(512) NOT NULL DEFAULT '',
  link_url VARCHAR(1024) NOT NULL DEFAULT '',
  store_id BIGINT NOT NULL DEFAULT 0,
  tag_ids VARCHAR(1024) NOT NULL DEFAULT '',
  sort_order BIGINT NOT NULL DEFAULT 0,
  active TINYINT NOT NULL DEFAULT 1,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id, product_id)
);
CREATE INDEX idx_products_store ON products (corp_id, store_id, active, sort_order);

CREATE TABLE product_shares (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  chat_id VARCHAR(64) NOT NULL DEFAULT '',
  product_id VARCHAR(64) NOT NULL,
  msgtype VARCHAR(16) NOT NULL,
  shared_at DATETIME NOT NULL
);
CREATE INDEX idx_shares_customer ON product_shares (corp_id, userid, external_userid, id);
CREATE INDEX idx_shares_chat ON product_shares (corp_id, chat_id, id);
CREATE INDEX idx_shares_product ON product_shares (corp_id, product_id, shared_at);
