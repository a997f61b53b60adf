-- guidebox schema v14 (MySQL): the activity log, append-only. One row per thing that happened to a
-- customer or was done by a guide: the customer timeline (客户轨迹) reads it per customer, newest first,
-- and the KPI rollups read it by id (a watermark). A row is written in the transaction of the change it
-- records (sqlstore.RecordActivities), so a rolled-back change leaves none and a committed one has its row.
-- kind is one of service.Activity* (exact strings, never renamed); actor_kind guide, rule, wecom, admin
-- or system; ref the thing the row is about (state, order id, product id, item id, note id, chat id, the
-- guide a customer came from); detail a small JSON object of display data (names as they were).
CREATE TABLE activity_log (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  occurred_at DATETIME(3) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  guide_userid VARCHAR(64) NOT NULL DEFAULT '',
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  actor_kind VARCHAR(16) NOT NULL DEFAULT '',
  actor_id VARCHAR(64) NOT NULL DEFAULT '',
  ref VARCHAR(128) NOT NULL DEFAULT '',
  detail VARCHAR(2000) NOT NULL DEFAULT '',
  -- a customer's timeline, newest first, paged by (occurred_at, id)
  KEY idx_activity_customer (corp_id, external_userid, occurred_at, id),
  -- a guide's rows by time (KPIs per guide and day; sidebar_open's throttle)
  KEY idx_activity_guide (corp_id, guide_userid, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
