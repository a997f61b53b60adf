-- guidebox schema v14 (SQLite; mirrors mysql/0014_activity_log.up.sql): the activity log, append-only.
-- One row per thing that happened to a customer or was done by a guide, written in the transaction of
-- the change it records; the customer timeline reads it per customer, the KPI rollups by id.
CREATE TABLE activity_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  occurred_at DATETIME NOT NULL,
  kind VARCHAR(32) NOT NULL,
  guide_userid VARCHAR(64) NOT NULL DEFAULT '',
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  actor_kind VARCHAR(16) NOT NULL DEFAULT '',
  actor_id VARCHAR(64) NOT NULL DEFAULT '',
  ref VARCHAR(128) NOT NULL DEFAULT '',
  detail VARCHAR(2000) NOT NULL DEFAULT ''
);
CREATE INDEX idx_activity_customer ON activity_log (corp_id, external_userid, occurred_at, id);
CREATE INDEX idx_activity_guide ON activity_log (corp_id, guide_userid, occurred_at);
