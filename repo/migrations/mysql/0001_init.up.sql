-- guidebox schema v1 (MySQL / MariaDB). Every key leads with corp_id so the schema shards by corp.
CREATE TABLE inbox_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_key VARCHAR(191) NOT NULL,
  event VARCHAR(64) NOT NULL,
  change_type VARCHAR(64) NOT NULL,
  event_time DATETIME(3) NOT NULL,
  raw MEDIUMBLOB NOT NULL,
  status VARCHAR(16) NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_at DATETIME(3) NOT NULL,
  locked_by VARCHAR(64) NOT NULL DEFAULT '',
  last_error VARCHAR(1000) NOT NULL DEFAULT '',
  received_at DATETIME(3) NOT NULL,
  done_at DATETIME(3) NULL,
  UNIQUE KEY uk_inbox_event_key (event_key),
  KEY idx_inbox_due (status, next_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE stores (
  corp_id VARCHAR(64) NOT NULL,
  id BIGINT NOT NULL,
  name VARCHAR(255) NOT NULL,
  parent_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE guides (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL DEFAULT '',
  store_id BIGINT NOT NULL DEFAULT 0,
  status VARCHAR(16) NOT NULL,
  resigned_at DATETIME(3) NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, userid),
  KEY idx_guides_store (corp_id, store_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE customers (
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  unionid VARCHAR(64) NOT NULL DEFAULT '',
  name VARCHAR(255) NOT NULL DEFAULT '',
  avatar VARCHAR(512) NOT NULL DEFAULT '',
  type TINYINT NOT NULL DEFAULT 0,
  gender TINYINT NOT NULL DEFAULT 0,
  corp_name VARCHAR(255) NOT NULL DEFAULT '',
  owner_userid VARCHAR(64) NOT NULL DEFAULT '',
  owner_reason VARCHAR(16) NOT NULL DEFAULT '',
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, external_userid),
  KEY idx_customers_owner (corp_id, owner_userid),
  KEY idx_customers_unionid (corp_id, unionid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- follows: the edge guide -> customer; a removed edge stays as a tombstone with its time.
CREATE TABLE follows (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  remark VARCHAR(255) NOT NULL DEFAULT '',
  description VARCHAR(1024) NOT NULL DEFAULT '',
  add_way INT NOT NULL DEFAULT 0,
  state VARCHAR(64) NOT NULL DEFAULT '',
  oper_userid VARCHAR(64) NOT NULL DEFAULT '',
  added_at DATETIME(3) NULL,
  active TINYINT(1) NOT NULL,
  removed_at DATETIME(3) NULL,
  removed_by VARCHAR(16) NOT NULL DEFAULT '',
  event_at DATETIME(3) NOT NULL,
  synced_at DATETIME(3) NULL,
  PRIMARY KEY (corp_id, userid, external_userid),
  KEY idx_follows_customer (corp_id, external_userid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE follow_tags (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  tag_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (corp_id, userid, external_userid, tag_id),
  KEY idx_follow_tags_tag (corp_id, tag_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- ownership_history is append-only.
CREATE TABLE ownership_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  from_userid VARCHAR(64) NOT NULL DEFAULT '',
  to_userid VARCHAR(64) NOT NULL DEFAULT '',
  reason VARCHAR(16) NOT NULL,
  note VARCHAR(255) NOT NULL DEFAULT '',
  at DATETIME(3) NOT NULL,
  KEY idx_ownership_customer (corp_id, external_userid, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE group_chats (
  corp_id VARCHAR(64) NOT NULL,
  chat_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL DEFAULT '',
  owner_userid VARCHAR(64) NOT NULL DEFAULT '',
  notice TEXT NULL,
  created_at DATETIME(3) NULL,
  member_version VARCHAR(64) NOT NULL DEFAULT '',
  dismissed_at DATETIME(3) NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, chat_id),
  KEY idx_group_chats_owner (corp_id, owner_userid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE group_members (
  corp_id VARCHAR(64) NOT NULL,
  chat_id VARCHAR(64) NOT NULL,
  member_id VARCHAR(64) NOT NULL,
  type TINYINT NOT NULL,
  join_time DATETIME(3) NULL,
  join_scene INT NOT NULL DEFAULT 0,
  name VARCHAR(255) NOT NULL DEFAULT '',
  unionid VARCHAR(64) NOT NULL DEFAULT '',
  PRIMARY KEY (corp_id, chat_id, member_id),
  KEY idx_group_members_member (corp_id, member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tag_groups (
  corp_id VARCHAR(64) NOT NULL,
  group_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  sort_order BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tags (
  corp_id VARCHAR(64) NOT NULL,
  tag_id VARCHAR(64) NOT NULL,
  group_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  sort_order BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, tag_id),
  KEY idx_tags_group (corp_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
