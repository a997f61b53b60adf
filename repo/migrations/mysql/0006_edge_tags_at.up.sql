-- guidebox schema v6 (MySQL): an edge's tags get their own version. A guide's tag edit through the
-- sidebar (written to WeCom first, then here) is newer than any WeCom read that started before it,
-- without making that read's remark and description look old: tags_at is when the stored tags were
-- set, by a WeCom read (its start) or by an edit WeCom accepted; NULL: as details_at.
ALTER TABLE follows ADD COLUMN tags_at DATETIME(6) NULL;
