-- guidebox schema v10 (SQLite; mirrors mysql/0010_console.up.sql): audit target, store and scope;
-- cases by store.
ALTER TABLE admin_audit ADD COLUMN target VARCHAR(128) NOT NULL DEFAULT '';
ALTER TABLE admin_audit ADD COLUMN store_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE admin_audit ADD COLUMN scope VARCHAR(255) NOT NULL DEFAULT '';
CREATE INDEX idx_admin_audit_store ON admin_audit (corp_id, store_id, id);
CREATE INDEX idx_handover_cases_store ON handover_cases (corp_id, store_id, id);
