package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/service"
)

// ActivityRow is an activity_log row (service.Activity).
type ActivityRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	OccurredAt     time.Time
	Kind           string
	GuideUserID    string `gorm:"column:guide_userid"`
	ExternalUserID string `gorm:"column:external_userid"`
	ActorKind      string
	ActorID        string
	Ref            string
	Detail         string
}

func (ActivityRow) TableName() string { return "activity_log" }

// maxDetail is the detail column's size in characters.
const maxDetail = 2000

// RecordActivities appends rows to the activity log through Conn(ctx, db): call it inside the
// transaction of the change the rows record (repo.TxManager's, on ctx), so they commit or roll back
// with it. Every domain's store records through it; there is no other event log. A tags_changed
// row's detail carries tag ids under "added" and "removed" ([]string); they are stored as the tags'
// names (one query for all rows).
func RecordActivities(ctx context.Context, db *gorm.DB, corp string, acts []service.Activity) error {
	if len(acts) == 0 {
		return nil
	}
	if err := nameTags(ctx, db, corp, acts); err != nil {
		return err
	}
	rows := make([]ActivityRow, len(acts))
	for i, a := range acts {
		rows[i] = ActivityRow{CorpID: corp, OccurredAt: a.At.UTC().Truncate(time.Millisecond), Kind: a.Kind,
			GuideUserID: a.UserID, ExternalUserID: a.ExternalUserID, ActorKind: a.ActorKind, ActorID: Clip(a.ActorID, 64),
			Ref: Clip(a.Ref, 128), Detail: encodeDetail(a.Detail)}
	}
	if err := Conn(ctx, db).CreateInBatches(&rows, 500).Error; err != nil {
		return fmt.Errorf("record activities: %w", Translate(err))
	}
	return nil
}

// sidebarOpenEvery is the throttle of sidebar_open: one row per guide and customer (or home) within it.
const sidebarOpenEvery = 5 * time.Minute

// RecordSidebarOpen appends a sidebar_open row for guide userID (ref: the chat's customer, empty on the
// home) unless the guide has one for the same ref in the five minutes before at (idx_activity_guide:
// a range over the guide's last minutes). Two replicas racing may both write: a rate counts guides by
// day, so a rare duplicate does not move it.
func RecordSidebarOpen(ctx context.Context, db *gorm.DB, corp, userID, extID string, at time.Time) error {
	at = at.UTC().Truncate(time.Millisecond)
	var n int64
	err := Conn(ctx, db).Model(&ActivityRow{}).
		Where("corp_id = ? AND guide_userid = ? AND occurred_at > ? AND occurred_at <= ? AND kind = ? AND ref = ?",
			corp, userID, at.Add(-sidebarOpenEvery), at.Add(sidebarOpenEvery), service.ActivitySidebarOpen, extID).
		Limit(1).Count(&n).Error
	if err != nil {
		return fmt.Errorf("recent sidebar opens: %w", Translate(err))
	}
	if n > 0 {
		return nil
	}
	return RecordActivities(ctx, db, corp, []service.Activity{{At: at, Kind: service.ActivitySidebarOpen, UserID: userID,
		ActorKind: service.ActorGuide, ActorID: userID, Ref: extID}})
}

// encodeDetail is d as a JSON object that fits the column: long strings and lists are cut first.
func encodeDetail(d map[string]any) string {
	if len(d) == 0 {
		return ""
	}
	b, err := json.Marshal(d)
	if err == nil && utf8.RuneCount(b) <= maxDetail {
		return string(b)
	}
	short := make(map[string]any, len(d))
	for k, v := range d {
		switch x := v.(type) {
		case string:
			short[k] = Clip(x, 200)
		case []string:
			if len(x) > 10 {
				x = x[:10]
			}
			cut := make([]string, len(x))
			for i, s := range x {
				cut[i] = Clip(s, 40)
			}
			short[k] = cut
		default:
			short[k] = v
		}
	}
	if b, err = json.Marshal(short); err == nil && utf8.RuneCount(b) <= maxDetail {
		return string(b)
	}
	return ""
}

// DecodeDetail reads a detail column back; a bad or empty one is an empty map.
func DecodeDetail(s string) map[string]any {
	out := map[string]any{}
	if s != "" {
		_ = json.Unmarshal([]byte(s), &out)
	}
	return out
}

// TagNameList names tag ids from the tags table (an unknown id keeps its id), in the order given.
func TagNameList(ctx context.Context, db *gorm.DB, corp string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []TagRow
	if err := Conn(ctx, db).Select("tag_id, name").Where("corp_id = ? AND tag_id IN ?", corp, ids).Find(&rows).Error; err != nil {
		return nil, Translate(err)
	}
	names := make(map[string]string, len(rows))
	for _, r := range rows {
		names[r.TagID] = r.Name
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if n := names[id]; n != "" {
			out[i] = n
		}
	}
	return out, nil
}

// nameTags replaces the tag ids of tags_changed rows' details with the tags' names.
func nameTags(ctx context.Context, db *gorm.DB, corp string, acts []service.Activity) error {
	var ids []string
	for _, a := range acts {
		if a.Kind == service.ActivityTagsChanged {
			for _, k := range []string{"added", "removed"} {
				if l, ok := a.Detail[k].([]string); ok {
					ids = append(ids, l...)
				}
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names, err := TagNameList(ctx, db, corp, dedupe(ids))
	if err != nil {
		return fmt.Errorf("name tags: %w", err)
	}
	byID := make(map[string]string, len(names))
	for i, id := range dedupe(ids) {
		byID[id] = names[i]
	}
	for i, a := range acts {
		if a.Kind != service.ActivityTagsChanged {
			continue
		}
		d := make(map[string]any, len(a.Detail))
		for k, v := range a.Detail {
			d[k] = v
		}
		for _, k := range []string{"added", "removed"} {
			if l, ok := a.Detail[k].([]string); ok {
				named := make([]string, len(l))
				for j, id := range l {
					named[j] = byID[id]
				}
				d[k] = named
			}
		}
		acts[i].Detail = d
	}
	return nil
}
