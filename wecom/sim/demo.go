package sim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// demoEpoch anchors the demo corp's dates, so the same seed gives the same
// corp on any day.
func demoEpoch() time.Time { return time.Date(2025, 1, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }

// demoStore is one store of the demo corp.
type demoStore struct {
	id   int
	name string
	code string
}

func demoStores() []demoStore {
	return []demoStore{{2, "上海南京西路店", "sh01"}, {3, "北京三里屯店", "bj01"},
		{4, "杭州湖滨店", "hz01"}, {5, "深圳万象城店", "sz01"}}
}

// demoTagGroups are the demo corp's tag groups and tags.
func demoTagGroups() [][]string {
	return [][]string{{"客户等级", "普通", "银卡", "金卡"}, {"偏好品类", "美妆", "服饰", "鞋包", "家居"},
		{"生命周期", "新客", "活跃", "沉睡"}}
}

// DemoCorp builds the offline demo's corp deterministically from seed: a
// head office and 4 stores (departments 2-5), 5 guides per store with
// Chinese names (the first, 店长, leads the store's department), 300
// customers (about one in eight followed by a second guide of the same
// store), three tag groups (客户等级, 偏好品类, 生命周期) with tags on every
// edge, 2 customer groups per store, and the groups the recommendations and
// auto-tag rules use (母婴阶段, 消费阶段, 自动标签). Load it with Sim.Load; the
// service can insert the same data into its database.
func DemoCorp(seed int64) *Corp {
	rnd := newRand(seed)
	st := newState(seed) // only for id generation
	epoch := demoEpoch()
	c := &Corp{Departments: []Department{{ID: 1, Name: "总部", Order: 100000000}}}
	guides := map[int][]string{}
	used := map[string]bool{}
	for _, s := range demoStores() {
		c.Departments = append(c.Departments, Department{ID: s.id, Name: s.name, ParentID: 1, Order: 1000 - s.id})
		for i := range 5 {
			u := demoGuide(rnd, s, i, used)
			c.Users = append(c.Users, u)
			guides[s.id] = append(guides[s.id], u.UserID)
		}
		// The store's first guide is its 店长 and leads its department (department/list's department_leader).
		c.Departments[len(c.Departments)-1].Leaders = []string{guides[s.id][0]}
	}
	c.TagGroups = demoTags(st, epoch)
	for i := range 300 {
		store := demoStores()[i%len(demoStores())]
		cu := demoCustomer(rnd, st, i)
		c.Customers = append(c.Customers, cu)
		c.Follows = append(c.Follows, demoFollows(rnd, c.TagGroups, guides[store.id], cu, store, epoch)...)
	}
	c.Groups = demoGroups(rnd, st, c, guides, epoch)
	demoMoreTags(c, st, epoch, seed)
	return c
}

// demoGuide makes guide i of store s with a unique pinyin userid.
func demoGuide(rnd *rand.Rand, s demoStore, i int, used map[string]bool) User {
	sn, gn := surnames(), givenNames()
	for {
		a, b := sn[rnd.IntN(len(sn))], gn[rnd.IntN(len(gn))]
		id := a.pinyin + b.pinyin
		if used[id] {
			continue
		}
		used[id] = true
		gender := "1"
		if feminine(b.han) {
			gender = "2"
		}
		pos := "导购"
		if i == 0 {
			pos = "店长"
		}
		return User{UserID: id, Name: a.han + b.han, Departments: []int{s.id}, MainDepartment: s.id,
			Position: pos, Mobile: fmt.Sprintf("138%08d", rnd.IntN(1e8)), Gender: gender,
			Email: id + "@guidebox.example", Status: 1, Alias: s.code + "-" + fmt.Sprint(i+1),
			Avatar: "https://wework.qpic.cn/wwhead/demo/" + id}
	}
}

// demoCustomer makes customer i.
func demoCustomer(rnd *rand.Rand, st *state, i int) Customer {
	sn, gn := surnames(), givenNames()
	a, b := sn[rnd.IntN(len(sn))], gn[rnd.IntN(len(gn))]
	gender := 1
	if feminine(b.han) {
		gender = 2
	}
	ext := st.newID("wm", 30)
	return Customer{ExternalUserID: ext, Name: a.han + b.han, Type: 1, Gender: gender,
		Avatar:  fmt.Sprintf("http://wx.qlogo.cn/mmhead/demo%04d/0", i),
		UnionID: st.newID("o", 27)}
}

// demoTags builds the tag groups with deterministic ids.
func demoTags(st *state, epoch time.Time) []TagGroup {
	var out []TagGroup
	for gi, spec := range demoTagGroups() {
		g := TagGroup{ID: st.newID("et", 22), Name: spec[0], Order: int64(100 - gi), CreateTime: epoch}
		for ti, name := range spec[1:] {
			g.Tags = append(g.Tags, Tag{ID: st.newID("et", 22), Name: name, Order: int64(10 - ti), CreateTime: epoch})
		}
		out = append(out, g)
	}
	return out
}
