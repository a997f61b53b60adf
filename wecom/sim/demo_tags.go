package sim

import (
	"math/rand/v2"
	"time"
)

// demoMoreTags adds the tags the demo's recommendations and auto-tag rules use, after everything else
// of the corp so that the ids made before stay as they were: 偏好品类 gains 护肤, 食品 and 母婴; new
// groups 母婴阶段 (孕期, 0-1岁, 1-3岁), 消费阶段 (新客, 复购, 沉睡, 流失) and 自动标签 (护肤常客, 高消费,
// 半年未购), the last two for the rules to give. Some customers' first edge gets a new category, by a
// random source of its own.
func demoMoreTags(c *Corp, st *state, epoch time.Time, seed int64) {
	prefs := &c.TagGroups[1]
	more := []string{"护肤", "食品", "母婴"}
	for i, name := range more {
		prefs.Tags = append(prefs.Tags, Tag{ID: st.newID("et", 22), Name: name, Order: int64(5 - i), CreateTime: epoch})
	}
	for gi, spec := range [][]string{{"母婴阶段", "孕期", "0-1岁", "1-3岁"}, {"消费阶段", "新客", "复购", "沉睡", "流失"},
		{"自动标签", "护肤常客", "高消费", "半年未购"}} {
		g := TagGroup{ID: st.newID("et", 22), Name: spec[0], Order: int64(97 - gi), CreateTime: epoch}
		for ti, name := range spec[1:] {
			g.Tags = append(g.Tags, Tag{ID: st.newID("et", 22), Name: name, Order: int64(10 - ti), CreateTime: epoch})
		}
		c.TagGroups = append(c.TagGroups, g)
	}
	rnd := rand.New(rand.NewPCG(uint64(seed), 77))
	first := map[string]int{}
	for i, f := range c.Follows {
		if _, ok := first[f.ExternalUserID]; !ok {
			first[f.ExternalUserID] = i
		}
	}
	tags := prefs.Tags[len(prefs.Tags)-len(more):]
	for _, cu := range c.Customers {
		f := &c.Follows[first[cu.ExternalUserID]]
		switch n := rnd.IntN(10); {
		case n < 3:
			f.TagIDs = append(f.TagIDs, tags[0].ID) // 护肤
		case n < 5:
			f.TagIDs = append(f.TagIDs, tags[1].ID) // 食品
		case n < 7 && cu.Gender == 2:
			f.TagIDs = append(f.TagIDs, tags[2].ID) // 母婴
		}
	}
}
