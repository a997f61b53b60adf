package tasks

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// WeCom's limits on one 企业群发 (创建企业群发, https://developer.work.weixin.qq.com/document/path/92135)
// and guidebox's own on a task.
const (
	MaxPerSend     = 10000 // customers per add_msg_template call
	MaxTextBytes   = 4000  // text.content
	MaxAttachments = 9
	maxTitle       = 64 // characters of a task's title
	maxLinkTitle   = 128
	maxURL         = 2048
	maxTags        = 100
	maxStores      = 1000
	maxListed      = 10000 // customers named in target.external_userids
	maxAhead       = 30 * 24 * time.Hour
)

// NewTask is what an admin asks for.
type NewTask struct {
	Title       string
	Text        string
	ProductIDs  []string
	MaterialIDs []string
	Links       []Link
	Target      Target
	Deadline    time.Time
}

// Scope is what an admin may act on: every store (AllStores), or some stores (a store manager).
// Roles and scopes come with the console's roles (parallel work): the admin API passes AllStores
// for every admin in sidebar.admins until then.
type Scope struct {
	StoreIDs []int64 // nil: every store
}

// AllStores is a corp admin's scope.
var AllStores = Scope{}

// All reports whether the scope covers every store.
func (s Scope) All() bool { return s.StoreIDs == nil }

// covers reports whether every store of ids is in the scope (and ids names some, for a limited scope).
func (s Scope) covers(ids []int64) bool {
	if s.All() {
		return true
	}
	if len(ids) == 0 {
		return false
	}
	for _, id := range ids {
		if !slices.Contains(s.StoreIDs, id) {
			return false
		}
	}
	return true
}

// validate checks a new task's fields, naming the first bad one (JSON names, as the admin API).
func (s *Service) validate(ctx context.Context, n *NewTask, scope Scope) error {
	n.Title = strings.TrimSpace(n.Title)
	switch {
	case n.Title == "":
		return service.Invalid("title", "is required")
	case utf8.RuneCountInString(n.Title) > maxTitle:
		return service.Invalid("title", fmt.Sprintf("at most %d characters", maxTitle))
	case len(n.Text) > MaxTextBytes:
		return service.Invalid("text", fmt.Sprintf("at most %d bytes (WeCom's limit; %d given)", MaxTextBytes, len(n.Text)))
	case len(n.ProductIDs)+len(n.MaterialIDs)+len(n.Links) > MaxAttachments:
		return service.Invalid("attachments", fmt.Sprintf("at most %d product cards, materials and links together (WeCom's limit)", MaxAttachments))
	case strings.TrimSpace(n.Text) == "" && len(n.ProductIDs)+len(n.MaterialIDs)+len(n.Links) == 0:
		return service.Invalid("text", "a text or at least one product, material or link is required")
	case n.Deadline.IsZero():
		return service.Invalid("deadline", "is required (RFC 3339, e.g. 2026-11-08T18:00:00+08:00)")
	case !n.Deadline.After(s.now()):
		return service.Invalid("deadline", "must be in the future")
	case n.Deadline.After(s.now().Add(maxAhead)):
		return service.Invalid("deadline", "at most 30 days ahead")
	}
	if err := checkIDs("product_ids", n.ProductIDs, MaxAttachments); err != nil {
		return err
	}
	if err := checkIDs("material_ids", n.MaterialIDs, MaxAttachments); err != nil {
		return err
	}
	for i, l := range n.Links {
		if err := checkLink(fmt.Sprintf("links[%d]", i), l); err != nil {
			return err
		}
	}
	return s.validateTarget(ctx, &n.Target, scope)
}

// validateTarget checks the target and narrows it to a limited scope's stores.
func (s *Service) validateTarget(ctx context.Context, t *Target, scope Scope) error {
	t.Stage = strings.TrimSpace(t.Stage)
	if len(t.TagIDs) == 0 && len(t.StoreIDs) == 0 && t.Stage == "" && len(t.ExternalUserIDs) == 0 {
		return service.Invalid("target", "name at least one of tag_ids, store_ids, stage or external_userids")
	}
	if err := checkIDs("target.tag_ids", t.TagIDs, maxTags); err != nil {
		return err
	}
	if err := checkIDs("target.external_userids", t.ExternalUserIDs, maxListed); err != nil {
		return err
	}
	if len(t.StoreIDs) > maxStores {
		return service.Invalid("target.store_ids", fmt.Sprintf("at most %d stores", maxStores))
	}
	for _, id := range t.StoreIDs {
		if id <= 0 {
			return service.Invalid("target.store_ids", "store ids are positive whole numbers")
		}
	}
	if !scope.All() && len(t.StoreIDs) == 0 {
		t.StoreIDs = slices.Clone(scope.StoreIDs) // a store manager's task reaches their stores only
	}
	if !scope.covers(t.StoreIDs) {
		return fmt.Errorf("target.store_ids: a store outside your stores: %w", service.ErrForbidden)
	}
	if t.Stage == "" {
		return nil
	}
	if s.stages == nil {
		return service.Invalid("target.stage", "follow-up stages are not available yet")
	}
	ok, err := s.stages.KnownStage(ctx, t.Stage)
	if err != nil {
		return fmt.Errorf("stage %q: %w", t.Stage, err)
	}
	if !ok {
		return service.Invalid("target.stage", fmt.Sprintf("no stage named %q", t.Stage))
	}
	return nil
}

// checkIDs refuses empty, over-long or repeated ids and more than max of them.
func checkIDs(field string, ids []string, max int) error {
	if len(ids) > max {
		return service.Invalid(field, fmt.Sprintf("at most %d", max))
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		switch {
		case id == "" || len(id) > 64:
			return service.Invalid(field, "ids are 1 to 64 characters")
		case seen[id]:
			return service.Invalid(field, fmt.Sprintf("%q is listed twice", id))
		}
		seen[id] = true
	}
	return nil
}

// checkLink checks a link card: WeCom needs a title and an http(s) url.
func checkLink(field string, l Link) error {
	switch {
	case strings.TrimSpace(l.Title) == "":
		return service.Invalid(field+".title", "is required")
	case len(l.Title) > maxLinkTitle:
		return service.Invalid(field+".title", fmt.Sprintf("at most %d bytes", maxLinkTitle))
	case !httpURL(l.URL):
		return service.Invalid(field+".url", "must be an http(s) URL")
	case l.PicURL != "" && !httpURL(l.PicURL):
		return service.Invalid(field+".pic_url", "must be an http(s) URL")
	case len(l.Desc) > 512:
		return service.Invalid(field+".desc", "at most 512 bytes")
	}
	return nil
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(s) <= maxURL && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// resolve turns products, materials and links into the attachments every guide sends, in that order.
func (s *Service) resolve(ctx context.Context, n NewTask) ([]Attachment, error) {
	var out []Attachment
	if len(n.ProductIDs) > 0 {
		if s.catalog == nil {
			return nil, service.Invalid("product_ids", "no product catalogue is configured")
		}
		cards, err := s.catalog.ProductCards(ctx, n.ProductIDs)
		if err != nil {
			return nil, fmt.Errorf("products: %w", err)
		}
		byID := make(map[string]ProductCard, len(cards))
		for _, c := range cards {
			byID[c.ID] = c
		}
		for _, id := range n.ProductIDs {
			c, ok := byID[id]
			switch {
			case !ok:
				return nil, service.Invalid("product_ids", fmt.Sprintf("no product %q", id))
			case !httpURL(c.LinkURL):
				return nil, service.Invalid("product_ids", fmt.Sprintf("product %q has no http(s) link to send", id))
			}
			out = append(out, productAttachment(c))
		}
	}
	if len(n.MaterialIDs) > 0 {
		if s.materials == nil {
			return nil, service.Invalid("material_ids", "the material library is not available yet: send text, products or links")
		}
		ms, err := s.materials.MaterialAttachments(ctx, n.MaterialIDs)
		if err != nil {
			return nil, fmt.Errorf("materials: %w", err)
		}
		if len(ms) != len(n.MaterialIDs) {
			return nil, service.Invalid("material_ids", "unknown material")
		}
		out = append(out, ms...)
	}
	for _, l := range n.Links {
		out = append(out, Attachment{Kind: KindLink, Title: strings.TrimSpace(l.Title), URL: l.URL, Desc: l.Desc, PicURL: l.PicURL})
	}
	return out, nil
}

// productAttachment is a product card as a WeCom link card: name, price and description, picture.
func productAttachment(c ProductCard) Attachment {
	desc := c.Description
	if c.PriceCents > 0 {
		desc = strings.TrimSpace(fmt.Sprintf("¥%d.%02d %s", c.PriceCents/100, c.PriceCents%100, desc))
	}
	a := Attachment{Kind: KindLink, Title: clipBytes(c.Name, maxLinkTitle), URL: c.LinkURL, Desc: clipBytes(desc, 512), ProductID: c.ID}
	if httpURL(c.ImageURL) {
		a.PicURL = c.ImageURL
	}
	return a
}

// clipBytes cuts s to at most n bytes without splitting a character.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
