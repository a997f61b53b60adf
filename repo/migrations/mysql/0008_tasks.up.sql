-- 导购任务 (tasks): what the guides are asked to send to which customers by when, one WeCom
-- 企业群发 per guide. tasks.content and tasks.target are JSON (the content as resolved at creation,
-- the target criteria). task_recipients holds each customer of a task with the one guide who sends
-- to them and its WeCom outcome; task_sends each add_msg_template call, recorded before it is made
-- (state 'recorded' until WeCom's answer is stored: crash recovery); task_assignments each guide's
-- part with counts and completed_at (the KPI rollups count a completed task from it);
-- task_reminders each remind_groupmsg_send (WeCom allows 3 per 群发 in 24 h).
CREATE TABLE tasks (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  content TEXT NOT NULL,
  target MEDIUMTEXT NOT NULL,
  deadline DATETIME(3) NOT NULL,
  status VARCHAR(16) NOT NULL,
  phase VARCHAR(16) NOT NULL,
  created_by VARCHAR(64) NOT NULL DEFAULT '',
  locked_by VARCHAR(128) NOT NULL DEFAULT '',
  lease_until DATETIME(3) NULL,
  next_run_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  closed_at DATETIME(3) NULL,
  KEY idx_tasks_corp (corp_id, id),
  KEY idx_tasks_due (corp_id, next_run_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_recipients (
  corp_id VARCHAR(64) NOT NULL,
  task_id BIGINT NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  send_id BIGINT NOT NULL DEFAULT 0,
  state VARCHAR(16) NOT NULL,
  sent_at DATETIME(3) NULL,
  PRIMARY KEY (corp_id, task_id, external_userid),
  KEY idx_task_recipients_guide (corp_id, task_id, userid, send_id, external_userid),
  KEY idx_task_recipients_send (corp_id, send_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_sends (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  task_id BIGINT NOT NULL,
  userid VARCHAR(64) NOT NULL,
  size INT NOT NULL,
  state VARCHAR(16) NOT NULL,
  msgid VARCHAR(128) NOT NULL DEFAULT '',
  errcode INT NOT NULL DEFAULT 0,
  recorded_at DATETIME(3) NULL,
  member_sent TINYINT(1) NOT NULL DEFAULT 0,
  sent_at DATETIME(3) NULL,
  final TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  KEY idx_task_sends_task (corp_id, task_id, state, id),
  KEY idx_task_sends_guide (corp_id, task_id, userid, id),
  KEY idx_task_sends_msgid (corp_id, msgid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_assignments (
  corp_id VARCHAR(64) NOT NULL,
  task_id BIGINT NOT NULL,
  userid VARCHAR(64) NOT NULL,
  store_id BIGINT NOT NULL DEFAULT 0,
  status VARCHAR(16) NOT NULL,
  reason VARCHAR(255) NOT NULL DEFAULT '',
  customers INT NOT NULL DEFAULT 0,
  sent INT NOT NULL DEFAULT 0,
  failed INT NOT NULL DEFAULT 0,
  reminders INT NOT NULL DEFAULT 0,
  reminded_at DATETIME(3) NULL,
  completed_at DATETIME(3) NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, task_id, userid),
  KEY idx_task_assignments_guide (corp_id, userid, task_id),
  KEY idx_task_assignments_completed (corp_id, completed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_reminders (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  corp_id VARCHAR(64) NOT NULL,
  task_id BIGINT NOT NULL,
  send_id BIGINT NOT NULL,
  userid VARCHAR(64) NOT NULL,
  at DATETIME(3) NOT NULL,
  KEY idx_task_reminders_send (corp_id, send_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
