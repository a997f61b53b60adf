-- guidebox schema v1 (SQLite, the zero-setup default; mirrors mysql/0001_init.up.sql). Every key leads with corp_id so the schema shards by corp.
CREATE TABLE inbox_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_key VARCHAR(191) NOT NULL,
  event VARCHAR(64) NOT NULL,
  change_type VARCHAR(64) NOT NULL,
  event_time DATETIME NOT NULL,
  raw BLOB NOT NULL,
  status VARCHAR(16) NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_at DATETIME NOT NULL,
  locked_by VARCHAR(64) NOT NULL DEFAULT '',
  last_error VARCHAR(1000) NOT NULL DEFAULT '',
  received_at DATETIME NOT NULL,
  done_at DATETIME NULL
);

CREATE TABLE stores (
  corp_id VARCHAR(64) NOT NULL,
  id BIGINT NOT NULL,
  name VARCHAR(255) NOT NULL,
  parent_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, id)
);

CREATE TABLE guides (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL DEFAULT '',
  store_id BIGINT NOT NULL DEFAULT 0,
  status VARCHAR(16) NOT NULL,
  resigned_at DATETIME NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id, userid)
);

CREATE TABLE customers (
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  unionid VARCHAR(64) NOT NULL DEFAULT '',
  name VARCHAR(255) NOT NULL DEFAULT '',
  avatar VARCHAR(512) NOT NULL DEFAULT '',
  type INTEGER NOT NULL DEFAULT 0,
  gender INTEGER NOT NULL DEFAULT 0,
  corp_name VARCHAR(255) NOT NULL DEFAULT '',
  owner_userid VARCHAR(64) NOT NULL DEFAULT '',
  owner_reason VARCHAR(16) NOT NULL DEFAULT '',
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id, external_userid)
);

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
  added_at DATETIME NULL,
  active INTEGER NOT NULL,
  removed_at DATETIME NULL,
  removed_by VARCHAR(16) NOT NULL DEFAULT '',
  event_at DATETIME NOT NULL,
  synced_at DATETIME NULL,
  PRIMARY KEY (corp_id, userid, external_userid)
);

CREATE TABLE follow_tags (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  tag_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (corp_id, userid, external_userid, tag_id)
);

-- ownership_history is append-only.
CREATE TABLE ownership_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  from_userid VARCHAR(64) NOT NULL DEFAULT '',
  to_userid VARCHAR(64) NOT NULL DEFAULT '',
  reason VARCHAR(16) NOT NULL,
  note VARCHAR(255) NOT NULL DEFAULT '',
  at DATETIME NOT NULL
);

CREATE TABLE group_chats (
  corp_id VARCHAR(64) NOT NULL,
  chat_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL DEFAULT '',
  owner_userid VARCHAR(64) NOT NULL DEFAULT '',
  notice TEXT NULL,
  created_at DATETIME NULL,
  member_version VARCHAR(64) NOT NULL DEFAULT '',
  dismissed_at DATETIME NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id, chat_id)
);

CREATE TABLE group_members (
  corp_id VARCHAR(64) NOT NULL,
  chat_id VARCHAR(64) NOT NULL,
  member_id VARCHAR(64) NOT NULL,
  type INTEGER NOT NULL,
  join_time DATETIME NULL,
  join_scene INT NOT NULL DEFAULT 0,
  name VARCHAR(255) NOT NULL DEFAULT '',
  unionid VARCHAR(64) NOT NULL DEFAULT '',
  PRIMARY KEY (corp_id, chat_id, member_id)
);

CREATE TABLE tag_groups (
  corp_id VARCHAR(64) NOT NULL,
  group_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  sort_order BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, group_id)
);

CREATE TABLE tags (
  corp_id VARCHAR(64) NOT NULL,
  tag_id VARCHAR(64) NOT NULL,
  group_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  sort_order BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, tag_id)
);
CREATE UNIQUE INDEX uk_inbox_event_key ON inbox_events (event_key);
CREATE INDEX idx_inbox_due ON inbox_events (status, next_at, id);
CREATE INDEX idx_guides_store ON guides (corp_id, store_id, status);
CREATE INDEX idx_customers_owner ON customers (corp_id, owner_userid);
CREATE INDEX idx_customers_unionid ON customers (corp_id, unionid);
CREATE INDEX idx_follows_customer ON follows (corp_id, external_userid);
CREATE INDEX idx_follow_tags_tag ON follow_tags (corp_id, tag_id);
CREATE INDEX idx_ownership_customer ON ownership_history (corp_id, external_userid, id);
CREATE INDEX idx_group_chats_owner ON group_chats (corp_id, owner_userid);
CREATE INDEX idx_group_members_member ON group_members (corp_id, member_id);
CREATE INDEX idx_tags_group ON tags (corp_id, group_id);
