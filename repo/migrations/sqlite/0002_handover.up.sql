-- Handover (SQLite; mirrors mysql/0002_handover.up.sql) (离职继承 / 在职转接): cases, their per-customer and per-group items, the WeCom
-- send batches recorded before each call (crash recovery), and the admin audit log.
CREATE TABLE handover_cases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  handover_userid VARCHAR(64) NOT NULL,
  store_id BIGINT NOT NULL DEFAULT 0,
  status VARCHAR(16) NOT NULL,
  active TINYINT NULL,
  phase VARCHAR(16) NOT NULL DEFAULT '',
  strategy VARCHAR(16) NOT NULL DEFAULT '',
  takeover_userid VARCHAR(64) NOT NULL DEFAULT '',
  keep_existing TINYINT(1) NOT NULL DEFAULT 0,
  message VARCHAR(1000) NOT NULL DEFAULT '',
  source VARCHAR(16) NOT NULL,
  created_by VARCHAR(64) NOT NULL DEFAULT '',
  full_takers TEXT NULL,
  locked_by VARCHAR(64) NOT NULL DEFAULT '',
  lease_until DATETIME NULL,
  next_run_at DATETIME NULL,
  opened_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  finished_at DATETIME NULL
);

CREATE TABLE handover_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  case_id BIGINT NOT NULL,
  kind VARCHAR(8) NOT NULL,
  target_id VARCHAR(64) NOT NULL,
  takeover_userid VARCHAR(64) NOT NULL DEFAULT '',
  override_userid VARCHAR(64) NOT NULL DEFAULT '',
  state VARCHAR(16) NOT NULL,
  batch_id BIGINT NOT NULL DEFAULT 0,
  errcode INT NOT NULL DEFAULT 0,
  reason VARCHAR(255) NOT NULL DEFAULT '',
  tries INT NOT NULL DEFAULT 0,
  not_before DATETIME NULL,
  submitted_at DATETIME NULL,
  takeover_at DATETIME NULL,
  inherited TINYINT(1) NOT NULL DEFAULT 0,
  updated_at DATETIME NOT NULL
);

CREATE TABLE handover_batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  case_id BIGINT NOT NULL,
  kind VARCHAR(8) NOT NULL,
  takeover_userid VARCHAR(64) NOT NULL,
  size INT NOT NULL,
  state VARCHAR(16) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);

CREATE TABLE admin_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  actor VARCHAR(64) NOT NULL,
  action VARCHAR(32) NOT NULL,
  case_id BIGINT NOT NULL DEFAULT 0,
  detail VARCHAR(1000) NOT NULL DEFAULT '',
  at DATETIME NOT NULL
);

CREATE UNIQUE INDEX uk_handover_active ON handover_cases (corp_id, kind, handover_userid, active);
CREATE INDEX idx_handover_cases_guide ON handover_cases (corp_id, handover_userid, kind, id);
CREATE INDEX idx_handover_cases_due ON handover_cases (corp_id, status, next_run_at);
CREATE UNIQUE INDEX uk_handover_item ON handover_items (case_id, kind, target_id);
CREATE INDEX idx_handover_items_state ON handover_items (case_id, kind, state, takeover_userid, id);
CREATE INDEX idx_handover_items_next ON handover_items (case_id, kind, state, id);
CREATE INDEX idx_handover_items_batch ON handover_items (case_id, batch_id);
CREATE INDEX idx_handover_items_target ON handover_items (corp_id, target_id, state);
CREATE INDEX idx_handover_items_taker ON handover_items (corp_id, takeover_userid, kind, state, submitted_at);
CREATE INDEX idx_handover_batches_case ON handover_batches (case_id, state, id);
CREATE INDEX idx_admin_audit_case ON admin_audit (corp_id, case_id, id);
