-- guidebox schema v16 (SQLite; mirrors mysql/0016_autotag_enabled.up.sql): an auto-tag rule can be
-- switched off without deleting it.
ALTER TABLE autotag_rules ADD COLUMN enabled TINYINT NOT NULL DEFAULT 1;
