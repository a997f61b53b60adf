-- Scheduled jobs (reconciliation, inbox retention, the handover sweep) run on one replica at a
-- time: each run takes the job's row as a lease (holder, lease_until), renewed while it runs and
-- cleared when it ends. last_run_at (when the last run began) tells the other replicas it ran
-- recently; a lease left to expire (a crashed or hung holder) is taken over by the next replica.
-- The last run's outcome stays for operators (`guidebox jobs`): last_error is clipped and has
-- secrets masked before it is written.
CREATE TABLE job_leases (
  corp_id VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  holder VARCHAR(128) NOT NULL DEFAULT '',
  lease_until DATETIME(3) NULL,
  last_run_at DATETIME(3) NULL,
  last_done_at DATETIME(3) NULL,
  last_ok_at DATETIME(3) NULL,
  last_error VARCHAR(1000) NOT NULL DEFAULT '',
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (corp_id, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
