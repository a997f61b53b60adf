-- guidebox schema v12 (MySQL): whom an inbox event is about, so the workers can plan their WeCom reads
-- over the backlog: a guide's waiting customers read together with batch/get_by_user (100 a call) when
-- that costs fewer calls than one externalcontact/get each, and the enrichment backlog's drain time
-- estimated from the calls it needs. userid and external_userid are the event's UserID and
-- ExternalUserID (change_external_contact; change_contact has the userid only); '' for other events
-- and for rows stored before this migration (those are enriched one by one, as before).
-- The columns are added in place (ALGORITHM=INSTANT on MariaDB 10.3+ and MySQL 8.0); the index is built
-- online (InnoDB's in-place ADD INDEX, no lock on writes), in time proportional to the retained rows.
ALTER TABLE inbox_events
  ADD COLUMN userid VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN external_userid VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE inbox_events ADD KEY idx_inbox_subject (status, userid, change_type, external_userid);
