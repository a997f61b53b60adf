-- guidebox schema v17 (MySQL): the store → guide drill-down reads whole months, not every day.
-- kpi_guide_daily's primary key puts the day before the guide, so the days of a period are one range
-- of a store's rows whatever the history's length; kpi_guide_monthly sums a guide's day rows per month
-- (month = yyyymm, under the store of those day rows), with how many day rows it sums (days), the days
-- they opened the sidebar and the days they shared. The fold adds to it in the transaction that writes the day rows; a ranged rebuild
-- recomputes the months it touches from the day rows. A period reads its whole months here and its
-- partial months' days (or a month minus the days outside the period, whichever is fewer) from the days.
ALTER TABLE kpi_guide_daily DROP PRIMARY KEY, ADD PRIMARY KEY (corp_id, store_id, day, userid);

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
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO kpi_guide_monthly (corp_id, store_id, month, userid, days, login_days, share_days, opens, product_shares,
  material_sends, tasks_done, reached, orders, amount_fen, converted, refunds, refund_fen, added, lost_by_customer,
  lost_by_guide, handover_in, handover_out)
SELECT corp_id, store_id, day DIV 100, userid, COUNT(*), SUM(CASE WHEN opens > 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN product_shares + material_sends + tasks_done > 0 THEN 1 ELSE 0 END), SUM(opens), SUM(product_shares),
  SUM(material_sends), SUM(tasks_done), SUM(reached), SUM(orders), SUM(amount_fen), SUM(converted), SUM(refunds),
  SUM(refund_fen), SUM(added), SUM(lost_by_customer), SUM(lost_by_guide), SUM(handover_in), SUM(handover_out)
FROM kpi_guide_daily GROUP BY corp_id, store_id, day DIV 100, userid;
