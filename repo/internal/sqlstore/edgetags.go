package sqlstore

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/service"
)

// EdgeTags is the tag set WeCom reported for one edge.
type EdgeTags struct {
	UserID, ExternalUserID string
	TagIDs                 []string
}

// SetEdgeTagsFromWeCom makes each edge's tags the set WeCom reported (the caller decided the read is
// newer than the tags stored): tags no longer reported are deleted, new ones are added with origin
// service.TagFromWeCom, and the tags kept keep their origin (a guide's edit, a rule's mark), so a read
// that changes one tag does not make every other tag look as if WeCom had put it there.
func SetEdgeTagsFromWeCom(ctx context.Context, db *gorm.DB, corp string, edges []EdgeTags) error {
	conn := Conn(ctx, db)
	var rows []FollowTagRow
	for _, e := range edges {
		ids := uniqueIDs(e.TagIDs)
		q := conn.Where("corp_id = ? AND userid = ? AND external_userid = ?", corp, e.UserID, e.ExternalUserID)
		if len(ids) > 0 {
			q = q.Where("tag_id NOT IN ?", ids)
		}
		if err := q.Delete(&FollowTagRow{}).Error; err != nil {
			return Translate(err)
		}
		for _, t := range ids {
			rows = append(rows, FollowTagRow{CorpID: corp, UserID: e.UserID, ExternalUserID: e.ExternalUserID, TagID: t, Origin: service.TagFromWeCom})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return Translate(conn.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 1000).Error)
}

// uniqueIDs drops empty and repeated ids, keeping the first of each.
func uniqueIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
