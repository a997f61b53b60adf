-- guidebox schema v10 (MySQL): the admin console. The audit log records, for every admin write, the
-- target (e.g. handover_case:12), the store it belongs to and the actor's scope ("all" or
-- "stores:2,3"), so a store manager reads the entries of their stores. Cases are listed by store.
ALTER TABLE admin_audit
  ADD COLUMN target VARCHAR(128) NOT NULL DEFAULT '',
  ADD COLUMN store_id BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN scope VARCHAR(255) NOT NULL DEFAULT '',
  ADD KEY idx_admin_audit_store (corp_id, store_id, id);
ALTER TABLE handover_cases ADD KEY idx_handover_cases_store (corp_id, store_id, id);
