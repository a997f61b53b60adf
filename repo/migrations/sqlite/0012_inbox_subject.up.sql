-- guidebox schema v12 (SQLite; mirrors mysql/0012_inbox_subject.up.sql): whom an inbox event is about
-- (the event's UserID and ExternalUserID), so the workers can plan their WeCom reads over the backlog.
ALTER TABLE inbox_events ADD COLUMN userid VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE inbox_events ADD COLUMN external_userid VARCHAR(64) NOT NULL DEFAULT '';
CREATE INDEX idx_inbox_subject ON inbox_events (status, userid, change_type, external_userid);
