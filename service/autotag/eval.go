package autotag

import (
	"time"
)

// profile is what the rules read of one customer's lines: paid lines only, refunds excluded.
type profile struct {
	orders    int
	last      time.Time
	lines     []Line // paid lines
	lastInCat map[string]time.Time
}

func newProfile(lines []Line, products map[string]ProductInfo) profile {
	p := profile{lastInCat: map[string]time.Time{}}
	seen := map[string]bool{}
	for _, l := range lines {
		if l.Refunded {
			continue
		}
		p.lines = append(p.lines, l)
		if !seen[l.OrderID] {
			seen[l.OrderID] = true
			p.orders++
		}
		if l.PaidAt.After(p.last) {
			p.last = l.PaidAt
		}
		if c := products[l.SKU].Category; c != "" && l.PaidAt.After(p.lastInCat[c]) {
			p.lastInCat[c] = l.PaidAt
		}
	}
	return p
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// spent is what the paid lines since `since` add up to, in fen.
func (p profile) spent(since time.Time) int64 {
	var sum int64
	for _, l := range p.lines {
		if !l.PaidAt.Before(since) {
			sum += l.Qty * l.PriceFen
		}
	}
	return sum
}

// stage is the customer's lifecycle stage under r's thresholds ("" without paid orders).
func (p profile) stage(r Rule, now time.Time) string {
	if p.orders == 0 {
		return ""
	}
	age := now.Sub(p.last)
	switch {
	case age > days(orDefault(r.LostDays, 180)):
		return StageLost
	case age > days(orDefault(r.Days, 90)):
		return StageDormant
	case p.orders == 1:
		return StageNew
	}
	return StageRepeat
}

// babyStage finds the newest paid line whose product carries one of the stage tags, and returns the
// stage tags that product carries with the line's time.
func (p profile) babyStage(stageTags map[string]bool, products map[string]ProductInfo) (map[string]bool, time.Time) {
	var at time.Time
	var found map[string]bool
	for _, l := range p.lines {
		if l.PaidAt.Before(at) {
			continue
		}
		var carried map[string]bool
		for _, t := range products[l.SKU].TagIDs {
			if stageTags[t] {
				if carried == nil {
					carried = map[string]bool{}
				}
				carried[t] = true
			}
		}
		if carried == nil {
			continue
		}
		if l.PaidAt.After(at) {
			found, at = carried, l.PaidAt
			continue
		}
		for t := range carried { // bought at the same instant: both stages
			found[t] = true
		}
	}
	return found, at
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// evaluate returns the rules a customer's lines satisfy at now.
func evaluate(rules []Rule, lines []Line, products map[string]ProductInfo, now time.Time) []Rule {
	p := newProfile(lines, products)
	if p.orders == 0 {
		return nil
	}
	stageTags := map[string]bool{}
	for _, r := range rules {
		if r.Kind == KindBabyStage {
			stageTags[r.TagID] = true
		}
	}
	var baby map[string]bool
	var babyAt time.Time
	if len(stageTags) > 0 {
		baby, babyAt = p.babyStage(stageTags, products)
	}
	var out []Rule
	for _, r := range rules {
		ok := false
		switch r.Kind {
		case KindCategory:
			last, bought := p.lastInCat[r.Category]
			ok = bought && now.Sub(last) <= days(r.Days)
		case KindSpend:
			ok = p.spent(now.Add(-days(orDefault(r.Days, 90)))) >= r.MinFen
		case KindDormant:
			ok = now.Sub(p.last) > days(orDefault(r.Days, 180))
		case KindLifecycle:
			ok = p.stage(r, now) == r.Stage
		case KindBabyStage:
			ok = baby[r.TagID] && now.Sub(babyAt) <= days(orDefault(r.Days, 365))
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// diff compares what the rules give the customers now (want, by customer) with what they had (have)
// and returns the changes: tags to add and remove, and for rules with ToWeCom, the marks on the
// owner's edge (a tag is marked when the first such rule gives it and unmarked when the last stops).
func diff(rules map[int64]Rule, want map[string][]Rule, have []Assigned, owners map[string]string, now time.Time) Changes {
	var ch Changes
	had := map[string]map[int64]Assigned{}
	for _, a := range have {
		if had[a.ExternalUserID] == nil {
			had[a.ExternalUserID] = map[int64]Assigned{}
		}
		had[a.ExternalUserID][a.RuleID] = a
	}
	customers := map[string]bool{}
	for ext := range want {
		customers[ext] = true
	}
	for ext := range had {
		customers[ext] = true
	}
	for ext := range customers {
		wecomBefore, wecomAfter := map[string]int64{}, map[string]int64{}
		keep := map[int64]bool{}
		for _, r := range want[ext] {
			if a, ok := had[ext][r.ID]; ok && a.TagID == r.TagID {
				keep[r.ID] = true
			} else {
				ch.Add = append(ch.Add, Assigned{ExternalUserID: ext, RuleID: r.ID, TagID: r.TagID, Since: now})
			}
			if r.ToWeCom {
				wecomAfter[r.TagID] = r.ID
			}
		}
		for id, a := range had[ext] {
			if !keep[id] {
				ch.Remove = append(ch.Remove, a)
			}
			if r, ok := rules[id]; ok && r.ToWeCom {
				wecomBefore[a.TagID] = id
			}
		}
		owner := owners[ext]
		if owner == "" {
			continue // not in the graph yet, or nobody follows the customer: the card shows the tag
		}
		for tag, id := range wecomAfter {
			if _, ok := wecomBefore[tag]; !ok {
				ch.Marks = append(ch.Marks, Mark{UserID: owner, ExternalUserID: ext, TagID: tag, RuleID: id, Op: OpAdd})
			}
		}
		for tag, id := range wecomBefore {
			if _, ok := wecomAfter[tag]; !ok {
				ch.Marks = append(ch.Marks, Mark{UserID: owner, ExternalUserID: ext, TagID: tag, RuleID: id, Op: OpRemove})
			}
		}
	}
	return ch
}
