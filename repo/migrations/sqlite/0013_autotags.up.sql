-- guidebox schema v13 (SQLite; mirrors mysql/0013_autotags.up.sql): auto-tags from orders, tag
-- origins on edges, the recommendations' precomputed index, shares by customer and time.
ALTER TABLE follow_tags ADD COLUMN origin VARCHAR(8) NOT NULL DEFAULT 'wecom';
ALTER TABLE follow_tags ADD COLUMN rule_id BIGINT NOT NULL DEFAULT 0;

CREATE TABLE autotag_rules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  category VARCHAR(128) NOT NULL DEFAULT '',
  days INT NOT NULL DEFAULT 0,
  lost_days INT NOT NULL DEFAULT 0,
  min_fen BIGINT NOT NULL DEFAULT 0,
  stage VARCHAR(16) NOT NULL DEFAULT '',
  tag_id VARCHAR(64) NOT NULL,
  to_wecom TINYINT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_autotag_rules_name ON autotag_rules (corp_id, name);
CREATE INDEX idx_autotag_rules_corp ON autotag_rules (corp_id, id);

CREATE TABLE customer_auto_tags (
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  rule_id BIGINT NOT NULL,
  tag_id VARCHAR(64) NOT NULL,
  since DATETIME NOT NULL,
  PRIMARY KEY (corp_id, external_userid, rule_id)
);
CREATE INDEX idx_auto_tags_rule ON customer_auto_tags (corp_id, rule_id);

CREATE TABLE autotag_marks (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  tag_id VARCHAR(64) NOT NULL,
  rule_id BIGINT NOT NULL,
  op VARCHAR(8) NOT NULL,
  state VARCHAR(8) NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  errcode INT NOT NULL DEFAULT 0,
  last_error VARCHAR(255) NOT NULL DEFAULT '',
  updated_at DATETIME NOT NULL,
  done_at DATETIME NULL,
  PRIMARY KEY (corp_id, userid, external_userid, tag_id)
);
CREATE INDEX idx_marks_state ON autotag_marks (corp_id, state, userid, external_userid);

CREATE TABLE rec_index (
  corp_id VARCHAR(64) NOT NULL,
  generation BIGINT NOT NULL,
  kind CHAR(1) NOT NULL,
  chunk INT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (corp_id, generation, kind, chunk)
);

CREATE TABLE rec_index_meta (
  corp_id VARCHAR(64) NOT NULL PRIMARY KEY,
  generation BIGINT NOT NULL,
  built_at DATETIME NOT NULL,
  lines_read BIGINT NOT NULL DEFAULT 0,
  took_ms BIGINT NOT NULL DEFAULT 0
);

DROP INDEX idx_lines_customer;
CREATE INDEX idx_lines_customer ON order_lines (corp_id, external_userid, paid_at, sku, qty, price_fen, refunded);

CREATE INDEX idx_shares_attribution ON product_shares (corp_id, external_userid, shared_at);
