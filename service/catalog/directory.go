package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/guidebox/guidebox/service"
)

// names resolves what files write for stores and tags (an id, or a name when it is unique) and
// writes them back the same way. One is loaded per import or export.
type names struct {
	storeByID   map[int64]string
	storeByName map[string][]int64
	tagByID     map[string]string
	tagByName   map[string][]string
}

func loadNames(ctx context.Context, d Directory) (*names, error) {
	stores, err := d.Stores(ctx)
	if err != nil {
		return nil, fmt.Errorf("read stores: %w", err)
	}
	tags, err := d.Tags(ctx)
	if err != nil {
		return nil, fmt.Errorf("read tags: %w", err)
	}
	n := &names{storeByID: map[int64]string{}, storeByName: map[string][]int64{}, tagByID: map[string]string{}, tagByName: map[string][]string{}}
	for _, s := range stores {
		n.storeByID[s.ID] = s.Name
		n.storeByName[s.Name] = append(n.storeByName[s.Name], s.ID)
	}
	for _, t := range tags {
		n.tagByID[t.TagID] = t.Name
		n.tagByName[t.Name] = append(n.tagByName[t.Name], t.TagID)
	}
	return n, nil
}

// store resolves a store written as its WeCom department id or its unique name.
func (n *names) store(s string) (int64, string) {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		if _, ok := n.storeByID[id]; ok {
			return id, ""
		}
	}
	switch ids := n.storeByName[s]; len(ids) {
	case 1:
		return ids[0], ""
	case 0:
		return 0, fmt.Sprintf("未知门店「%s」（填写企业微信部门 ID 或门店名称）", s)
	}
	return 0, fmt.Sprintf("门店名称「%s」不唯一，请填写部门 ID", s)
}

// tags resolves a cell of tag ids or unique tag names to tag ids, without repeats.
func (n *names) tags(cell string) ([]string, string) {
	var out []string
	seen := map[string]bool{}
	for _, v := range splitList(cell) {
		id := v
		if _, ok := n.tagByID[v]; !ok {
			switch ids := n.tagByName[v]; len(ids) {
			case 1:
				id = ids[0]
			case 0:
				return nil, fmt.Sprintf("未知标签「%s」（填写企业标签的 ID 或名称）", v)
			default:
				return nil, fmt.Sprintf("标签名称「%s」在多个标签组中，请填写标签 ID", v)
			}
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, ""
}

// stock reads a stock cell: "门店:数量" pairs ("2:12; 杭州湖滨店:0"), the store by id or unique name.
func (n *names) stock(cell string) ([]service.StoreStock, string) {
	out := []service.StoreStock{}
	seen := map[int64]bool{}
	for _, pair := range splitList(cell) {
		pair = strings.ReplaceAll(pair, "：", ":")
		i := strings.LastIndexAny(pair, ":=")
		if i < 0 {
			return nil, fmt.Sprintf("「%s」应写成 门店:数量（如 2:12; 杭州湖滨店:0）", pair)
		}
		id, why := n.store(strings.TrimSpace(pair[:i]))
		if why != "" {
			return nil, why
		}
		qty, why := parseCount(strings.TrimSpace(pair[i+1:]), 0, 1e9)
		if why != "" {
			return nil, fmt.Sprintf("门店「%s」的库存%s", strings.TrimSpace(pair[:i]), why)
		}
		if seen[id] {
			return nil, fmt.Sprintf("门店「%s」出现了两次", strings.TrimSpace(pair[:i]))
		}
		seen[id] = true
		out = append(out, service.StoreStock{StoreID: id, Qty: qty})
	}
	return out, ""
}

// storeLabel writes a store the way stock reads it back: its name when unique and plain, else its id.
func (n *names) storeLabel(id int64) string {
	name := n.storeByID[id]
	if name == "" || len(n.storeByName[name]) != 1 || strings.ContainsAny(name, ":：=,，;；、|\n") {
		return strconv.FormatInt(id, 10)
	}
	if _, err := strconv.ParseInt(name, 10, 64); err == nil { // a numeric name would read as an id
		return strconv.FormatInt(id, 10)
	}
	return name
}

// tagLabel writes a tag the way tags reads it back: its name when unique and plain, else its id.
func (n *names) tagLabel(id string) string {
	name := n.tagByID[id]
	if name == "" || len(n.tagByName[name]) != 1 || strings.ContainsAny(name, ",，;；、|\n") {
		return id
	}
	if _, isID := n.tagByID[name]; isID && name != id {
		return id
	}
	return name
}
