-- Scheduled jobs' leases and last runs (SQLite; mirrors mysql/0007_job_leases.sql).
CREATE TABLE job_leases (
  corp_id VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  holder VARCHAR(128) NOT NULL DEFAULT '',
  lease_until DATETIME NULL,
  last_run_at DATETIME NULL,
  last_done_at DATETIME NULL,
  last_ok_at DATETIME NULL,
  last_error VARCHAR(1000) NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  PRIMARY KEY (corp_id, name)
);
