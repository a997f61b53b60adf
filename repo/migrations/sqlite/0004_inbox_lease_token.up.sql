-- guidebox schema v4 (SQLite; mirrors mysql/0004_inbox_lease_token.sql): the inbox's lease token,
-- written fresh by every claim; done, retry, park and renewal need it.
ALTER TABLE inbox_events ADD COLUMN lease_token VARCHAR(32) NOT NULL DEFAULT '';
