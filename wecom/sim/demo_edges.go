package sim

import (
	"math/rand/v2"
	"time"
)

// demoFollows connects a customer to one guide of the store, sometimes two,
// with a level, one or two categories and a lifecycle tag.
func demoFollows(rnd *rand.Rand, tags []TagGroup, guides []string, cu Customer, s demoStore, epoch time.Time) []Follow {
	first := rnd.IntN(len(guides))
	who := []string{guides[first]}
	if rnd.IntN(8) == 0 {
		who = append(who, guides[(first+1+rnd.IntN(len(guides)-1))%len(guides)])
	}
	ways := []int{1, 1, 1, 2, 3, 4, 201}
	var out []Follow
	for _, g := range who {
		way := ways[rnd.IntN(len(ways))]
		state := ""
		if way == 1 {
			state = s.code + "_counter_qr"
		}
		f := Follow{UserID: g, ExternalUserID: cu.ExternalUserID, OperUserID: cu.ExternalUserID,
			CreateTime: epoch.Add(-time.Duration(rnd.IntN(365*24)) * time.Hour), AddWay: way, State: state,
			TagIDs: demoEdgeTags(rnd, tags)}
		if rnd.IntN(3) == 0 {
			f.Remark = cu.Name + "-" + []string{"老顾客", "VIP", "同事介绍", "商场活动"}[rnd.IntN(4)]
		}
		out = append(out, f)
	}
	return out
}

// demoEdgeTags picks one level, one or two categories and one lifecycle tag.
func demoEdgeTags(rnd *rand.Rand, groups []TagGroup) []string {
	level, cat, life := groups[0].Tags, groups[1].Tags, groups[2].Tags
	ids := []string{level[weighted(rnd, 6, 3, 1)].ID, cat[rnd.IntN(len(cat))].ID}
	if rnd.IntN(3) == 0 {
		if extra := cat[rnd.IntN(len(cat))].ID; extra != ids[1] {
			ids = append(ids, extra)
		}
	}
	return append(ids, life[rnd.IntN(len(life))].ID)
}

// weighted picks an index with the given relative weights.
func weighted(rnd *rand.Rand, w ...int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := rnd.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

// demoGroups makes 2 groups per store, owned by the store manager, with
// 5-15 of the store's customers and one or two other guides.
func demoGroups(rnd *rand.Rand, st *state, c *Corp, guides map[int][]string, epoch time.Time) []Group {
	byGuide := map[string][]string{}
	for _, f := range c.Follows {
		byGuide[f.UserID] = append(byGuide[f.UserID], f.ExternalUserID)
	}
	var out []Group
	for _, s := range demoStores() {
		gs := guides[s.id]
		var custs []string
		for _, g := range gs {
			custs = append(custs, byGuide[g]...)
		}
		for k, name := range []string{s.name + "会员福利群", s.name + "新品尝鲜群"} {
			created := epoch.Add(-time.Duration(30+rnd.IntN(300)) * 24 * time.Hour)
			g := Group{ChatID: st.newID("wr", 30), Name: name, Owner: gs[0], CreateTime: created,
				Notice: "欢迎加入" + name + "，每周五上新", Admins: []string{gs[1+k]}}
			g.Members = append(g.Members, GroupMember{UserID: gs[0], Type: 1, JoinTime: created, JoinScene: 1})
			g.Members = append(g.Members, GroupMember{UserID: gs[1+k], Type: 1, JoinTime: created, JoinScene: 1, Invitor: gs[0]})
			seen := map[string]bool{}
			for range 5 + rnd.IntN(11) {
				ext := custs[rnd.IntN(len(custs))]
				if seen[ext] {
					continue
				}
				seen[ext] = true
				g.Members = append(g.Members, GroupMember{UserID: ext, Type: 2, JoinScene: 1 + rnd.IntN(3),
					JoinTime: created.Add(time.Duration(rnd.IntN(24*20)) * time.Hour), Invitor: gs[0]})
			}
			out = append(out, g)
		}
	}
	return out
}
