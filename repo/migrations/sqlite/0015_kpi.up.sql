-- KPI rollups (导购三率, issue 12): per guide, per store and per corp and day (day = yyyymmdd in the
-- corp's time zone, kpi.timezone). Written by service/kpi from the activity log, incrementally past a
-- watermark (kpi_state) in the same transaction as the rollups, and rebuildable from it. A guide row
-- keeps the guide's store when first written (never changed), so the primary key clusters a store's
-- guides together (the store → guide drill-down reads one range); resigned guides keep their rows.
CREATE TABLE kpi_guide_daily (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  day INT NOT NULL,
  store_id BIGINT NOT NULL DEFAULT 0,
  opens BIGINT NOT NULL DEFAULT 0,
  product_shares BIGINT NOT NULL DEFAULT 0,
  material_sends BIGINT NOT NULL DEFAULT 0,
  tasks_done BIGINT NOT NULL DEFAULT 0,
  reached BIGINT NOT NULL DEFAULT 0,
  orders BIGINT NOT NULL DEFAULT 0,
  amount_fen BIGINT NOT NULL DEFAULT 0,
  converted BIGINT NOT NULL DEFAULT 0,
  refunds BIGINT NOT NULL DEFAULT 0,
  refund_fen BIGINT NOT NULL DEFAULT 0,
  added BIGINT NOT NULL DEFAULT 0,
  lost_by_customer BIGINT NOT NULL DEFAULT 0,
  lost_by_guide BIGINT NOT NULL DEFAULT 0,
  handover_in BIGINT NOT NULL DEFAULT 0,
  handover_out BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, store_id, userid, day)
);
CREATE UNIQUE INDEX uk_kpi_guide_day ON kpi_guide_daily (corp_id, userid, day);

-- login_guides / share_guides: guides of the store (corp) who opened the sidebar / shared that day.
CREATE TABLE kpi_store_daily (
  corp_id VARCHAR(64) NOT NULL,
  store_id BIGINT NOT NULL,
  day INT NOT NULL,
  login_guides BIGINT NOT NULL DEFAULT 0,
  share_guides BIGINT NOT NULL DEFAULT 0,
  opens BIGINT NOT NULL DEFAULT 0,
  product_shares BIGINT NOT NULL DEFAULT 0,
  material_sends BIGINT NOT NULL DEFAULT 0,
  tasks_done BIGINT NOT NULL DEFAULT 0,
  reached BIGINT NOT NULL DEFAULT 0,
  orders BIGINT NOT NULL DEFAULT 0,
  amount_fen BIGINT NOT NULL DEFAULT 0,
  converted BIGINT NOT NULL DEFAULT 0,
  refunds BIGINT NOT NULL DEFAULT 0,
  refund_fen BIGINT NOT NULL DEFAULT 0,
  added BIGINT NOT NULL DEFAULT 0,
  lost_by_customer BIGINT NOT NULL DEFAULT 0,
  lost_by_guide BIGINT NOT NULL DEFAULT 0,
  handover_in BIGINT NOT NULL DEFAULT 0,
  handover_out BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, store_id, day)
);

CREATE TABLE kpi_corp_daily (
  corp_id VARCHAR(64) NOT NULL,
  day INT NOT NULL,
  login_guides BIGINT NOT NULL DEFAULT 0,
  share_guides BIGINT NOT NULL DEFAULT 0,
  opens BIGINT NOT NULL DEFAULT 0,
  product_shares BIGINT NOT NULL DEFAULT 0,
  material_sends BIGINT NOT NULL DEFAULT 0,
  tasks_done BIGINT NOT NULL DEFAULT 0,
  reached BIGINT NOT NULL DEFAULT 0,
  orders BIGINT NOT NULL DEFAULT 0,
  amount_fen BIGINT NOT NULL DEFAULT 0,
  converted BIGINT NOT NULL DEFAULT 0,
  refunds BIGINT NOT NULL DEFAULT 0,
  refund_fen BIGINT NOT NULL DEFAULT 0,
  added BIGINT NOT NULL DEFAULT 0,
  lost_by_customer BIGINT NOT NULL DEFAULT 0,
  lost_by_guide BIGINT NOT NULL DEFAULT 0,
  handover_in BIGINT NOT NULL DEFAULT 0,
  handover_out BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, day)
);

-- kpi_marks makes the distinct counts exact: kind 'r' = the guide reached the customer that day (sent
-- something), 'c' = a customer reached that day paid an order credited to the guide by that send.
CREATE TABLE kpi_marks (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  day INT NOT NULL,
  kind CHAR(1) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  PRIMARY KEY (corp_id, userid, day, kind, external_userid)
);

-- kpi_order_credits: which guide each order is credited to (via 'send': the last guide who sent the
-- customer something within kpi.attribution_days before payment; 'owner': else the customer's owner
-- then), so a refund subtracts from the same guide.
CREATE TABLE kpi_order_credits (
  corp_id VARCHAR(64) NOT NULL,
  order_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  userid VARCHAR(64) NOT NULL DEFAULT '',
  paid_day INT NOT NULL,
  amount_fen BIGINT NOT NULL,
  via VARCHAR(8) NOT NULL,
  reach_day INT NOT NULL DEFAULT 0,
  refund_day INT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, order_id)
);
CREATE INDEX idx_kpi_credits_guide ON kpi_order_credits (corp_id, userid, paid_day);

-- kpi_state: the watermark (the last activity id folded in) and a pending ranged rebuild (replay of
-- the events up to replay_upto whose day falls in [replay_from, replay_to], past replay_cursor).
CREATE TABLE kpi_state (
  corp_id VARCHAR(64) NOT NULL,
  watermark BIGINT NOT NULL DEFAULT 0,
  replay_from INT NOT NULL DEFAULT 0,
  replay_to INT NOT NULL DEFAULT 0,
  replay_upto BIGINT NOT NULL DEFAULT 0,
  replay_cursor BIGINT NOT NULL DEFAULT 0,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id)
);
