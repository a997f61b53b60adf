-- guidebox schema v4 (MySQL): fence inbox leases. Every claim writes a fresh random token to its rows;
-- a worker finishes (done, retry, park) or renews a row only while the row still carries its token,
-- so a worker that outlived its lease cannot touch a row another worker claimed since.
-- Added last so MySQL 8 and MariaDB add it in place (ALGORITHM=INSTANT), without rebuilding the table.
ALTER TABLE inbox_events ADD COLUMN lease_token VARCHAR(32) NOT NULL DEFAULT '';
