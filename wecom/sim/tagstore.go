package sim

import (
	"sort"
	"time"
	"unicode/utf8"
)

// maxCorpTags is WeCom's limit on live corp tags (40126 past it).
const maxCorpTags = 3000

// tagGroupRec is a tag group; its tags are listed by id.
type tagGroupRec struct {
	ID         string
	Name       string
	Order      int64
	CreateTime time.Time
	Deleted    bool
	tagIDs     []string
}

// tagRec is a tag and the group it belongs to.
type tagRec struct {
	Tag
	groupID string
}

// tagSpec is a tag to create.
type tagSpec struct {
	Name  string
	Order int64
}

// tagChange is what addTagsLocked did: the group, whether it is new, and the
// tags created or reused (duplicates merge into the existing tag).
type tagChange struct {
	group    *tagGroupRec
	newGroup bool
	tags     []*tagRec
	created  []*tagRec
}

// liveTags counts the tags not deleted.
func (st *state) liveTags() int {
	n := 0
	for _, t := range st.tags {
		if !t.Deleted {
			n++
		}
	}
	return n
}

// groupByName finds a live group by name.
func (st *state) groupByName(name string) *tagGroupRec {
	for _, id := range st.tagGroupIDs {
		if g := st.tagGroups[id]; !g.Deleted && g.Name == name {
			return g
		}
	}
	return nil
}

// addTagsLocked implements add_corp_tag's rules (also used by the admin
// helpers): a group_id appends to that group (its name and order ignored),
// else an existing group_name appends, else a new group is made; empty groups,
// names over 30 characters and going past 3000 tags are refused.
func (s *Sim) addTagsLocked(now time.Time, groupID, groupName string, order int64, specs []tagSpec) (*tagChange, result) {
	st := s.st
	if len(specs) == 0 {
		return nil, errInvalidParam("tag list is empty")
	}
	for _, sp := range specs {
		if sp.Name == "" || utf8.RuneCountInString(sp.Name) > 30 {
			return nil, errInvalidParam("tag name must be 1 to 30 characters")
		}
	}
	ch := &tagChange{}
	switch {
	case groupID != "":
		if g := st.tagGroups[groupID]; g != nil && !g.Deleted {
			ch.group = g
		} else {
			return nil, fail(40068, "invalid tagid")
		}
	case groupName == "" || utf8.RuneCountInString(groupName) > 30:
		return nil, errInvalidParam("group_name must be 1 to 30 characters")
	default:
		ch.group = st.groupByName(groupName)
	}
	if st.liveTags()+len(specs) > maxCorpTags {
		return nil, fail(40126, "corp tag count exceeds the limit of 3000")
	}
	if ch.group == nil {
		ch.group = &tagGroupRec{ID: st.newID("et", 22), Name: groupName, Order: order, CreateTime: now}
		st.tagGroups[ch.group.ID] = ch.group
		st.tagGroupIDs = append(st.tagGroupIDs, ch.group.ID)
		ch.newGroup = true
	}
	for _, sp := range specs {
		ch.addOne(st, now, sp)
	}
	return ch, nil
}

// addOne adds or reuses one tag of ch.group.
func (ch *tagChange) addOne(st *state, now time.Time, sp tagSpec) {
	for _, id := range ch.group.tagIDs {
		if t := st.tags[id]; !t.Deleted && t.Name == sp.Name {
			ch.tags = append(ch.tags, t)
			return
		}
	}
	t := &tagRec{Tag: Tag{ID: st.newID("et", 22), Name: sp.Name, Order: sp.Order, CreateTime: now},
		groupID: ch.group.ID}
	st.tags[t.ID] = t
	ch.group.tagIDs = append(ch.group.tagIDs, t.ID)
	ch.tags = append(ch.tags, t)
	ch.created = append(ch.created, t)
}

// deleteTagLocked marks a tag deleted and removes its group when it was the
// last live tag. It reports whether the group went too.
func (s *Sim) deleteTagLocked(t *tagRec) (groupGone bool) {
	t.Deleted = true
	g := s.st.tagGroups[t.groupID]
	for _, id := range g.tagIDs {
		if !s.st.tags[id].Deleted {
			return false
		}
	}
	g.Deleted = true
	return true
}

// deleteGroupLocked marks a group and all its tags deleted.
func (s *Sim) deleteGroupLocked(g *tagGroupRec) {
	g.Deleted = true
	for _, id := range g.tagIDs {
		s.st.tags[id].Deleted = true
	}
}

// sortedGroups returns groups as WeCom orders them: larger order first, then
// creation order.
func (st *state) sortedGroups(ids []string) []*tagGroupRec {
	out := make([]*tagGroupRec, 0, len(ids))
	for _, id := range ids {
		out = append(out, st.tagGroups[id])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order > out[j].Order })
	return out
}

// groupJSON renders a group with the given tags (larger order first);
// withDeleted adds the deleted flags of id-filtered queries.
func (st *state) groupJSON(g *tagGroupRec, tags []*tagRec, withDeleted bool) map[string]any {
	sort.SliceStable(tags, func(i, j int) bool { return tags[i].Order > tags[j].Order })
	list := make([]map[string]any, 0, len(tags))
	for _, t := range tags {
		m := map[string]any{"id": t.ID, "name": t.Name, "create_time": unix(t.CreateTime), "order": t.Order}
		if withDeleted {
			m["deleted"] = t.Deleted
		}
		list = append(list, m)
	}
	m := map[string]any{"group_id": g.ID, "group_name": g.Name, "create_time": unix(g.CreateTime),
		"order": g.Order, "tag": list}
	if withDeleted {
		m["deleted"] = g.Deleted
	}
	return m
}
