-- guidebox schema v5 (SQLite; mirrors mysql/0005_attribute_versions.sql): snapshot versions, so an older
-- WeCom read never overwrites a newer one. NULL: never read from WeCom; the next read wins.
ALTER TABLE follows ADD COLUMN details_at DATETIME NULL;
ALTER TABLE customers ADD COLUMN profile_at DATETIME NULL;
ALTER TABLE group_chats ADD COLUMN details_at DATETIME NULL;
ALTER TABLE guides ADD COLUMN details_at DATETIME NULL;

CREATE TABLE corp_snapshots (
  corp_id VARCHAR(64) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  read_at DATETIME NULL,
  PRIMARY KEY (corp_id, kind)
);
