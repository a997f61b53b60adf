-- guidebox schema v17 (SQLite; mirrors mysql/0017_kpi_guide_monthly.up.sql): the day before the guide
-- in kpi_guide_daily's primary key (SQLite rebuilds the table for that), and the guides' month rows.
CREATE TABLE kpi_guide_daily_v17 (
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
  PRIMARY KEY (corp_id, store_id, day, userid)
);
INSERT INTO kpi_guide_daily_v17 SELECT corp_id, userid, day, store_id, opens, product_shares, material_sends, tasks_done,
  reached, orders, amount_fen, converted, refunds, refund_fen, added, lost_by_customer, lost_by_guide, handover_in, handover_out
FROM kpi_guide_daily;
DROP TABLE kpi_guide_daily;
ALTER TABLE kpi_guide_daily_v17 RENAME TO kpi_guide_daily;
CREATE UNIQUE INDEX uk_kpi_guide_day ON kpi_guide_daily (corp_id, userid, day);

CREATE TABLE kpi_guide_monthly (
  corp_id VARCHAR(64) NOT NULL,
  store_id BIGINT NOT NULL,
  month INT NOT NULL,
  userid VARCHAR(64) NOT NULL,
  days BIGINT NOT NULL DEFAULT 0,
  login_days BIGINT NOT NULL DEFAULT 0,
  share_days BIGINT NOT NULL DEFAULT 0,
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
  PRIMARY KEY (corp_id, store_id, month, userid)
);
INSERT INTO kpi_guide_monthly SELECT corp_id, store_id, day / 100, userid, COUNT(*), SUM(CASE WHEN opens > 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN product_shares + material_sends + tasks_done > 0 THEN 1 ELSE 0 END), SUM(opens), SUM(product_shares),
  SUM(material_sends), SUM(tasks_done), SUM(reached), SUM(orders), SUM(amount_fen), SUM(converted), SUM(refunds),
  SUM(refund_fen), SUM(added), SUM(lost_by_customer), SUM(lost_by_guide), SUM(handover_in), SUM(handover_out)
FROM kpi_guide_daily GROUP BY corp_id, store_id, day / 100, userid;
