-- guidebox schema v5 (MySQL): snapshot versions, so an older WeCom read never overwrites a newer one.
-- Each is when the stored snapshot was read from WeCom (the read's start, on guidebox's clock, to the
-- microsecond); a snapshot is written only over an older one. NULL: never read from WeCom (a placeholder,
-- a row an event or a handover made, or a row from before this migration): the next read wins.
-- Adding nullable columns at the end is instant on MariaDB 10.3+ and MySQL 8.0, whatever the table size.
ALTER TABLE follows ADD COLUMN details_at DATETIME(6) NULL;
ALTER TABLE customers ADD COLUMN profile_at DATETIME(6) NULL;
ALTER TABLE group_chats ADD COLUMN details_at DATETIME(6) NULL;
ALTER TABLE guides ADD COLUMN details_at DATETIME(6) NULL;

-- corp_snapshots: versions of what is read whole for the corp (kind 'corp_tags': get_corp_tag_list).
-- Its row is also the lock that serialises replacing the corp's tags.
CREATE TABLE corp_snapshots (
  corp_id VARCHAR(64) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  read_at DATETIME(6) NULL,
  PRIMARY KEY (corp_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
