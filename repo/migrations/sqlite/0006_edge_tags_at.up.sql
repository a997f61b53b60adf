-- guidebox schema v6 (SQLite; mirrors mysql/0006_edge_tags_at.up.sql): an edge's tags get their own version.
ALTER TABLE follows ADD COLUMN tags_at DATETIME NULL;
