-- guidebox schema v16 (MySQL): an auto-tag rule can be switched off without deleting it. A rule off
-- is not evaluated and gives no tag (its tags leave the cards when it is switched off; those it wrote
-- to WeCom stay there, as when it is deleted).
ALTER TABLE autotag_rules ADD COLUMN enabled TINYINT(1) NOT NULL DEFAULT 1;
