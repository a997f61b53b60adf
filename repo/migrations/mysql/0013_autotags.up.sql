-- guidebox schema v13 (MySQL): auto-tags from orders, where each tag on an edge came from, the
-- recommendations' precomputed index, and the keys that attribute orders to shares.
-- Every key leads with corp_id (sharding by corp). No triggers or procedures.

-- follow_tags.origin says who put a tag on an edge: 'wecom' (read from WeCom; every tag before v10),
-- 'guide' (a guide's edit through the sidebar, written to WeCom first) or 'rule' (an auto-tag rule's
-- mark_tag; rule_id names the rule). A WeCom read keeps the origin of the tags it does not change.
ALTER TABLE follow_tags
  ADD COLUMN origin VARCHAR(8) NOT NULL DEFAULT 'wecom',
  ADD COLUMN rule_id BIGINT NOT NULL DEFAULT 0;

-- autotag_rules: one auto-tag rule (自动标签规则) naming one corp tag. kind and its parameters:
-- category (bought in category within days), spend (over min_fen within days), dormant (no purchase
-- within days), lifecycle (stage 新客/复购/沉睡/流失 with days and lost_days), baby_stage (the newest
-- purchase of a product carrying the tag, within days). to_wecom: also write the tag to WeCom (mark_tag).
CREATE TABLE autotag_rules (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  category VARCHAR(128) NOT NULL DEFAULT '',
  days INT NOT NULL DEFAULT 0,
  lost_days INT NOT NULL DEFAULT 0,
  min_fen BIGINT NOT NULL DEFAULT 0,
  stage VARCHAR(16) NOT NULL DEFAULT '',
  tag_id VARCHAR(64) NOT NULL,
  to_wecom TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_autotag_rules_name (corp_id, name),
  KEY idx_autotag_rules_corp (corp_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- customer_auto_tags: the tags the rules give each customer now (one row per customer and rule), as the
-- last evaluation left them: on each order of the customer, and in the nightly pass over every customer.
CREATE TABLE customer_auto_tags (
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  rule_id BIGINT NOT NULL,
  tag_id VARCHAR(64) NOT NULL,
  since DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, external_userid, rule_id),
  KEY idx_auto_tags_rule (corp_id, rule_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- autotag_marks: what the rules with to_wecom want on the owner's edge in WeCom, and whether it was
-- written (mark_tag, in the background lane of WeCom's budget): op add or remove, state pending, done
-- or failed (errcode and reason kept). One row per edge and tag: the newest wish wins.
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
  updated_at DATETIME(3) NOT NULL,
  done_at DATETIME(3) NULL,
  PRIMARY KEY (corp_id, userid, external_userid, tag_id),
  KEY idx_marks_state (corp_id, state, userid, external_userid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- rec_index: the recommendations' precomputed index, one generation at a time, in chunks of text:
-- kind n (each SKU's co-purchase neighbours), s (each store's best sellers), c (repurchase cycles by
-- SKU and category), p (buyers per SKU). rec_index_meta names the current generation; every replica
-- loads it when it changes. A rebuild writes the next generation, then switches, then drops the old.
CREATE TABLE rec_index (
  corp_id VARCHAR(64) NOT NULL,
  generation BIGINT NOT NULL,
  kind CHAR(1) NOT NULL,
  chunk INT NOT NULL,
  data MEDIUMTEXT NOT NULL,
  PRIMARY KEY (corp_id, generation, kind, chunk)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE rec_index_meta (
  corp_id VARCHAR(64) NOT NULL PRIMARY KEY,
  generation BIGINT NOT NULL,
  built_at DATETIME(3) NOT NULL,
  lines_read BIGINT NOT NULL DEFAULT 0,
  took_ms BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A customer's order lines are read whole from the index (recommendations per request, auto-tags per
-- customer and in the nightly pass, which walks customers in this order): no row lookups.
ALTER TABLE order_lines
  DROP INDEX idx_lines_customer,
  ADD KEY idx_lines_customer (corp_id, external_userid, paid_at, sku, qty, price_fen, refunded);

-- Shares to a customer by time, whoever sent them: the last guide who sent something within N days
-- of an order (the KPI work's attribution).
ALTER TABLE product_shares ADD KEY idx_shares_attribution (corp_id, external_userid, shared_at);
