-- Handover (离职继承 / 在职转接): cases, their per-customer and per-group items, the WeCom
-- send batches recorded before each call (crash recovery), and the admin audit log.
CREATE TABLE handover_cases (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
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
  lease_until DATETIME(3) NULL,
  next_run_at DATETIME(3) NULL,
  opened_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL,
  UNIQUE KEY uk_handover_active (corp_id, kind, handover_userid, active),
  KEY idx_handover_cases_guide (corp_id, handover_userid, kind, id),
  KEY idx_handover_cases_due (corp_id, status, next_run_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE handover_items (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
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
  not_before DATETIME(3) NULL,
  submitted_at DATETIME(3) NULL,
  takeover_at DATETIME(3) NULL,
  inherited TINYINT(1) NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_handover_item (case_id, kind, target_id),
  KEY idx_handover_items_state (case_id, kind, state, takeover_userid, id),
  KEY idx_handover_items_next (case_id, kind, state, id),
  KEY idx_handover_items_batch (case_id, batch_id),
  KEY idx_handover_items_target (corp_id, target_id, state),
  KEY idx_handover_items_taker (corp_id, takeover_userid, kind, state, submitted_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE handover_batches (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  case_id BIGINT NOT NULL,
  kind VARCHAR(8) NOT NULL,
  takeover_userid VARCHAR(64) NOT NULL,
  size INT NOT NULL,
  state VARCHAR(16) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  KEY idx_handover_batches_case (case_id, state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE admin_audit (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  actor VARCHAR(64) NOT NULL,
  action VARCHAR(32) NOT NULL,
  case_id BIGINT NOT NULL DEFAULT 0,
  detail VARCHAR(1000) NOT NULL DEFAULT '',
  at DATETIME(3) NOT NULL,
  KEY idx_admin_audit_case (corp_id, case_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
