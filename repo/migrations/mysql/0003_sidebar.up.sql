-- guidebox schema v3 (MySQL): the sidebar's product catalogue and the shares guides send into chats.
-- products.tag_ids is a comma-separated list of corp tag ids the product suits (matched in Go).
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
  active TINYINT(1) NOT NULL DEFAULT 1,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, product_id),
  KEY idx_products_store (corp_id, store_id, active, sort_order)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- product_shares is append-only: one row per product card a guide sent into a single or group chat.
CREATE TABLE product_shares (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  chat_id VARCHAR(64) NOT NULL DEFAULT '',
  product_id VARCHAR(64) NOT NULL,
  msgtype VARCHAR(16) NOT NULL,
  shared_at DATETIME(3) NOT NULL,
  KEY idx_shares_customer (corp_id, userid, external_userid, id),
  KEY idx_shares_chat (corp_id, chat_id, id),
  KEY idx_shares_product (corp_id, product_id, shared_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
