package autotagdb

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/autotag"
)

// ruleActivities records the customers' rule tags that an evaluation changed: one tags_changed row per
// customer and rule (actor rule, its id; detail: the rule's name, the tag added or removed), with no
// guide: a rule tags the customer, whoever follows them. A tag a rule writes to WeCom (mark_tag) is
// the same change told to WeCom, and records nothing more.
func (s *Store) ruleActivities(ctx context.Context, ch autotag.Changes, at time.Time) error {
	type key struct {
		ext  string
		rule int64
	}
	byKey := map[key]map[string][]string{}
	note := func(a autotag.Assigned, side string) {
		k := key{a.ExternalUserID, a.RuleID}
		if byKey[k] == nil {
			byKey[k] = map[string][]string{}
		}
		byKey[k][side] = append(byKey[k][side], a.TagID)
	}
	for _, a := range ch.Remove {
		note(a, "removed")
	}
	for _, a := range ch.Add {
		note(a, "added")
	}
	if len(byKey) == 0 {
		return nil
	}
	var ruleIDs []int64
	keys := make([]key, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
		ruleIDs = append(ruleIDs, k.rule)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].ext < keys[j].ext || keys[i].ext == keys[j].ext && keys[i].rule < keys[j].rule
	})
	var rules []ruleRow
	if err := sqlstore.Conn(ctx, s.db).Select("id, name").Where("corp_id = ? AND id IN ?", s.corp, ruleIDs).Find(&rules).Error; err != nil {
		return sqlstore.Translate(err)
	}
	names := map[int64]string{}
	for _, r := range rules {
		names[r.ID] = r.Name
	}
	acts := make([]service.Activity, 0, len(keys))
	for _, k := range keys {
		sides := byKey[k]
		added, removed := sides["added"], sides["removed"]
		if len(added) == 1 && len(removed) == 1 && added[0] == removed[0] {
			continue // the same tag again: nothing changed
		}
		acts = append(acts, service.Activity{At: at, Kind: service.ActivityTagsChanged, ExternalUserID: k.ext, ActorKind: service.ActorRule,
			ActorID: strconv.FormatInt(k.rule, 10), Detail: map[string]any{"added": added, "removed": removed, "rule": names[k.rule]}})
	}
	return sqlstore.RecordActivities(ctx, s.db, s.corp, acts)
}
