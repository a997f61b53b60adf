-- guidebox schema v11 (MySQL): the guide's workbench. Follow-up notes with a pipeline stage and a next
-- time, corp-defined profile fields and their values, quick replies and materials (corp-wide and each
-- guide's own), every send, channel names for `state` codes; and for the sidebar: single-choice tag
-- groups, remark edits (WeCom first, then here) with the remark's phone numbers on the edge.
-- Every key leads with corp_id. Notes, sends and remark edits are append-only and keyed by customer and
-- time, for the customer timeline.

CREATE TABLE wb_stages (
  corp_id VARCHAR(64) NOT NULL,
  stage_id VARCHAR(32) NOT NULL,
  name VARCHAR(64) NOT NULL,
  sort_order INT NOT NULL DEFAULT 0,
  archived TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, stage_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE wb_notes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  body VARCHAR(2000) NOT NULL,
  stage_id VARCHAR(32) NOT NULL DEFAULT '',
  next_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  KEY idx_wb_notes_customer (corp_id, external_userid, created_at, id),
  KEY idx_wb_notes_author (corp_id, userid, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- wb_followups: a guide's open follow-up of a customer (one at most); a new note settles it.
CREATE TABLE wb_followups (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  due_at DATETIME(3) NOT NULL,
  note_id BIGINT NOT NULL,
  PRIMARY KEY (corp_id, userid, external_userid),
  KEY idx_wb_followups_due (corp_id, userid, due_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- wb_customer_stages: where each customer stands in the pipeline (the newest note that set a stage).
CREATE TABLE wb_customer_stages (
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  stage_id VARCHAR(32) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  note_id BIGINT NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, external_userid),
  KEY idx_wb_customer_stages_stage (corp_id, stage_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE wb_profile_fields (
  corp_id VARCHAR(64) NOT NULL,
  field_id VARCHAR(32) NOT NULL,
  name VARCHAR(32) NOT NULL,
  type VARCHAR(16) NOT NULL,
  options VARCHAR(2000) NOT NULL DEFAULT '',
  sort_order INT NOT NULL DEFAULT 0,
  birthday TINYINT(1) NOT NULL DEFAULT 0,
  archived TINYINT(1) NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, field_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- wb_profile_values: one value per customer and field. value is canonical text (a JSON array for
-- multiple choice); num holds numbers and dates (yyyymmdd), month_day dates' MMDD, for search.
CREATE TABLE wb_profile_values (
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  field_id VARCHAR(32) NOT NULL,
  value VARCHAR(500) NOT NULL,
  num DOUBLE NULL,
  month_day SMALLINT NULL,
  updated_by VARCHAR(64) NOT NULL DEFAULT '',
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, external_userid, field_id),
  KEY idx_wb_values_text (corp_id, field_id, value),
  KEY idx_wb_values_num (corp_id, field_id, num)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- wb_birthdays: which guide to remind of which birthday (MMDD), so the sidebar home reads a guide's
-- birthdays of the week by index instead of joining all of the guide's customers. Written for the
-- followers when a birthday is saved, rebuilt per guide once a day; reads join the live value and edge.
CREATE TABLE wb_birthdays (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  field_id VARCHAR(32) NOT NULL,
  month_day SMALLINT NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  PRIMARY KEY (corp_id, userid, field_id, month_day, external_userid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE wb_birthdays_built (
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  built_on CHAR(10) NOT NULL,
  PRIMARY KEY (corp_id, userid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- wb_groups and wb_items: the quick replies (library 'reply') and materials ('material'), corp-wide
-- (owner_userid '') or a guide's own.
CREATE TABLE wb_groups (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  library VARCHAR(16) NOT NULL,
  owner_userid VARCHAR(64) NOT NULL DEFAULT '',
  name VARCHAR(64) NOT NULL,
  sort_order INT NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL,
  KEY idx_wb_groups_owner (corp_id, library, owner_userid, sort_order)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE wb_items (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  group_id BIGINT NOT NULL,
  library VARCHAR(16) NOT NULL,
  owner_userid VARCHAR(64) NOT NULL DEFAULT '',
  kind VARCHAR(16) NOT NULL,
  title VARCHAR(128) NOT NULL DEFAULT '',
  content VARCHAR(2000) NOT NULL DEFAULT '',
  url VARCHAR(1024) NOT NULL DEFAULT '',
  pic_url VARCHAR(1024) NOT NULL DEFAULT '',
  appid VARCHAR(64) NOT NULL DEFAULT '',
  page VARCHAR(512) NOT NULL DEFAULT '',
  sort_order INT NOT NULL DEFAULT 0,
  updated_by VARCHAR(64) NOT NULL DEFAULT '',
  updated_at DATETIME(3) NOT NULL,
  KEY idx_wb_items_group (corp_id, group_id, sort_order),
  KEY idx_wb_items_owner (corp_id, library, owner_userid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- wb_images: an image material's picture, and WeCom's temporary media id for it (valid 3 days).
CREATE TABLE wb_images (
  corp_id VARCHAR(64) NOT NULL,
  item_id BIGINT NOT NULL,
  content_type VARCHAR(32) NOT NULL,
  data MEDIUMBLOB NOT NULL,
  media_id VARCHAR(256) NOT NULL DEFAULT '',
  media_expires_at DATETIME(3) NULL,
  PRIMARY KEY (corp_id, item_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- wb_sends is append-only: every quick reply or material a guide sent, to a customer or a group.
CREATE TABLE wb_sends (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL DEFAULT '',
  chat_id VARCHAR(64) NOT NULL DEFAULT '',
  item_id BIGINT NOT NULL,
  library VARCHAR(16) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  title VARCHAR(128) NOT NULL DEFAULT '',
  sent_at DATETIME(3) NOT NULL,
  KEY idx_wb_sends_customer (corp_id, external_userid, sent_at),
  KEY idx_wb_sends_chat (corp_id, chat_id, sent_at),
  KEY idx_wb_sends_guide (corp_id, userid, sent_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- wb_channels names the `state` codes of contact-me QR codes and links (渠道).
CREATE TABLE wb_channels (
  corp_id VARCHAR(64) NOT NULL,
  state VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- tag_group_settings: the corp's rules for its tag groups that WeCom does not keep (single choice).
CREATE TABLE tag_group_settings (
  corp_id VARCHAR(64) NOT NULL,
  group_id VARCHAR(64) NOT NULL,
  single_choice TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (corp_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- remark_edits is append-only: a guide's remark, description or phone numbers written to WeCom.
-- The numbers themselves stay on the edge only; the log says that they changed.
CREATE TABLE remark_edits (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  remark VARCHAR(64) NULL,
  description VARCHAR(1024) NULL,
  mobiles_changed TINYINT(1) NOT NULL DEFAULT 0,
  at DATETIME(3) NOT NULL,
  KEY idx_remark_edits_customer (corp_id, external_userid, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The remark's phone numbers (remark_mobiles, comma-separated) on the edge, and a guide's edges by
-- add time (the sidebar home's customers added this week).
ALTER TABLE follows ADD COLUMN remark_mobiles VARCHAR(255) NOT NULL DEFAULT '';
CREATE INDEX idx_follows_guide_added ON follows (corp_id, userid, added_at);
