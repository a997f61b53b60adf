-- 导购任务 (SQLite; mirrors mysql/0008_tasks.up.sql): tasks, their recipients, the add_msg_template
-- calls recorded before they are made, each guide's assignment, and the reminders sent.
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  content TEXT NOT NULL,
  target TEXT NOT NULL,
  deadline DATETIME NOT NULL,
  status VARCHAR(16) NOT NULL,
  phase VARCHAR(16) NOT NULL,
  created_by VARCHAR(64) NOT NULL DEFAULT '',
  locked_by VARCHAR(128) NOT NULL DEFAULT '',
  lease_until DATETIME NULL,
  next_run_at DATETIME NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  closed_at DATETIME NULL
);

CREATE TABLE task_recipients (
  corp_id VARCHAR(64) NOT NULL,
  task_id BIGINT NOT NULL,
  external_userid VARCHAR(64) NOT NULL,
  userid VARCHAR(64) NOT NULL,
  send_id BIGINT NOT NULL DEFAULT 0,
  state VARCHAR(16) NOT NULL,
  sent_at DATETIME NULL,
  PRIMARY KEY (corp_id, task_id, external_userid)
);

CREATE TABLE task_sends (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  task_id BIGINT NOT NULL,
  userid VARCHAR(64) NOT NULL,
  size INT NOT NULL,
  state VARCHAR(16) NOT NULL,
  msgid VARCHAR(128) NOT NULL DEFAULT '',
  errcode INT NOT NULL DEFAULT 0,
  recorded_at DATETIME NULL,
  member_sent TINYINT(1) NOT NULL DEFAULT 0,
  sent_at DATETIME NULL,
  final TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);

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
  reminded_at DATETIME NULL,
  completed_at DATETIME NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id, task_id, userid)
);

CREATE TABLE task_reminders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  corp_id VARCHAR(64) NOT NULL,
  task_id BIGINT NOT NULL,
  send_id BIGINT NOT NULL,
  userid VARCHAR(64) NOT NULL,
  at DATETIME NOT NULL
);

CREATE INDEX idx_tasks_corp ON tasks (corp_id, id);
CREATE INDEX idx_tasks_due ON tasks (corp_id, next_run_at);
CREATE INDEX idx_task_recipients_guide ON task_recipients (corp_id, task_id, userid, send_id, external_userid);
CREATE INDEX idx_task_recipients_send ON task_recipients (corp_id, send_id, state);
CREATE INDEX idx_task_sends_task ON task_sends (corp_id, task_id, state, id);
CREATE INDEX idx_task_sends_guide ON task_sends (corp_id, task_id, userid, id);
CREATE INDEX idx_task_sends_msgid ON task_sends (corp_id, msgid);
CREATE INDEX idx_task_assignments_guide ON task_assignments (corp_id, userid, task_id);
CREATE INDEX idx_task_assignments_completed ON task_assignments (corp_id, completed_at);
CREATE INDEX idx_task_reminders_send ON task_reminders (corp_id, send_id, at);
