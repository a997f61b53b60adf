package autotag

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// ErrPassRunning is a pass asked for while one runs in this process.
var ErrPassRunning = fmt.Errorf("an auto-tag pass is running: %w", service.ErrConflict)

// DefaultTagGroup is the tag group of the tags rules create in WeCom when none is named.
const DefaultTagGroup = "自动标签"

// RuleInput is a rule as an admin writes it: the tag by id (an existing corp tag), or by name in a
// group (TagGroup, default 自动标签), created in WeCom (add_corp_tag) if the corp has no such tag.
type RuleInput struct {
	Name     string
	Kind     string
	Category string
	Days     int
	LostDays int
	MinFen   int64
	Stage    string
	TagID    string
	TagName  string
	TagGroup string
	ToWeCom  bool
	Enabled  *bool // nil: on for a new rule, unchanged for an update
}

// Rules lists the corp's rules with their tags' names and how many customers each tags now.
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	rs, err := s.store.ListRules(ctx)
	if err != nil {
		return nil, fmt.Errorf("list rules: %w", err)
	}
	counts, err := s.store.RuleCustomers(ctx)
	if err != nil {
		return nil, fmt.Errorf("count rule tags: %w", err)
	}
	for i := range rs {
		rs[i].Customers = counts[rs[i].ID]
	}
	return rs, nil
}

// CreateRule checks and stores a new rule, creating its tag in WeCom if need be. Customers get its
// tag at their next order, or at the next pass (RunPass).
func (s *Service) CreateRule(ctx context.Context, in RuleInput) (Rule, error) {
	r, err := s.checkRule(ctx, in)
	if err != nil {
		return Rule{}, err
	}
	r, err = s.store.CreateRule(ctx, r)
	if err != nil {
		return Rule{}, fmt.Errorf("create rule %q: %w", in.Name, err)
	}
	s.forget()
	return r, s.audit(ctx, ActionCreateRule, r.ID, ruleDetail(r))
}

// UpdateRule replaces rule id. Its customers follow at the next evaluation; a rule that starts writing
// to WeCom gives its tag again from scratch, so that each of its customers is marked. A rule switched
// off loses its tags on the cards at once (those written to WeCom stay, as for a deleted rule); switched
// on again, it gives them at the next order or pass.
func (s *Service) UpdateRule(ctx context.Context, id int64, in RuleInput) (Rule, error) {
	old, err := s.store.GetRule(ctx, id)
	if err != nil {
		return Rule{}, fmt.Errorf("rule %d: %w", id, err)
	}
	r, err := s.checkRule(ctx, in)
	if err != nil {
		return Rule{}, err
	}
	r.ID, r.CreatedAt, r.Enabled = id, old.CreatedAt, old.Enabled
	if in.Enabled != nil {
		r.Enabled = *in.Enabled
	}
	reset := (r.ToWeCom && !old.ToWeCom) || (old.Enabled && !r.Enabled)
	if err := s.store.UpdateRule(ctx, r, reset); err != nil {
		return Rule{}, fmt.Errorf("update rule %d: %w", id, err)
	}
	s.forget()
	detail := ruleDetail(r)
	if r.Enabled != old.Enabled {
		detail = map[bool]string{true: "启用", false: "停用"}[r.Enabled] + "：" + detail
	}
	if err := s.audit(ctx, ActionUpdateRule, id, detail); err != nil {
		return Rule{}, err
	}
	return s.store.GetRule(ctx, id)
}

// DeleteRule removes a rule and the tags it gave on cards. Tags it wrote to WeCom stay there.
func (s *Service) DeleteRule(ctx context.Context, id int64) error {
	old, err := s.store.GetRule(ctx, id)
	if err != nil {
		return fmt.Errorf("rule %d: %w", id, err)
	}
	if err := s.store.DeleteRule(ctx, id); err != nil {
		return fmt.Errorf("delete rule %d: %w", id, err)
	}
	s.forget()
	return s.audit(ctx, ActionDeleteRule, id, ruleDetail(old))
}

// Audit actions of the rules (操作日志).
const (
	ActionCreateRule = "create_rule"
	ActionUpdateRule = "update_rule"
	ActionDeleteRule = "delete_rule"
)

// audit records an admin's change of a rule (the change is committed already: a rule is one row).
func (s *Service) audit(ctx context.Context, action string, id int64, detail string) error {
	a, ok := service.AuditOf(ctx, action, fmt.Sprintf("autotag_rule:%d", id), 0, detail, s.now())
	if !ok {
		return nil
	}
	if err := s.store.Audit(ctx, a); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// ruleDetail names a rule and its tag for the audit log.
func ruleDetail(r Rule) string {
	d := fmt.Sprintf("「%s」→ 标签 %s", r.Name, r.TagName)
	if r.ToWeCom {
		d += "（写入企业微信）"
	}
	return d
}

// checkRule validates a rule, naming the field at fault, and resolves its tag.
func (s *Service) checkRule(ctx context.Context, in RuleInput) (Rule, error) {
	r := Rule{Name: in.Name, Kind: in.Kind, Category: in.Category, Days: in.Days, LostDays: in.LostDays, MinFen: in.MinFen,
		Stage: in.Stage, ToWeCom: in.ToWeCom, Enabled: in.Enabled == nil || *in.Enabled}
	if err := checkParams(r); err != nil {
		return Rule{}, err
	}
	tag, err := s.ruleTag(ctx, in)
	if err != nil {
		return Rule{}, err
	}
	r.TagID, r.TagName = tag.TagID, tag.Name
	return r, nil
}

// checkParams checks a rule's name, kind and the parameters its kind reads.
func checkParams(r Rule) error {
	switch n := utf8.RuneCountInString(r.Name); {
	case n == 0:
		return service.Invalid("name", "is required")
	case n > 30:
		return service.Invalid("name", "at most 30 characters")
	}
	if r.Days < 0 || r.Days > 3650 {
		return service.Invalid("days", "must be from 1 to 3650 (0: the kind's default)")
	}
	if r.Stage != "" && r.Kind != KindLifecycle {
		return service.Invalid("stage", "only for kind lifecycle")
	}
	switch r.Kind {
	case KindCategory:
		if r.Category == "" || utf8.RuneCountInString(r.Category) > 128 {
			return service.Invalid("category", "is required (the products' category, at most 128 characters)")
		}
		if r.Days == 0 {
			return service.Invalid("days", "is required for kind category")
		}
	case KindSpend:
		if r.MinFen <= 0 || r.MinFen > 1_000_000_000_000 {
			return service.Invalid("min_fen", "must be from 1 to 10^12 fen")
		}
	case KindLifecycle:
		switch r.Stage {
		case StageNew, StageRepeat, StageDormant, StageLost:
		default:
			return service.Invalid("stage", "must be 新客, 复购, 沉睡 or 流失")
		}
		if r.LostDays < 0 || r.LostDays > 3650 || (r.LostDays > 0 && r.LostDays <= orDefault(r.Days, 90)) {
			return service.Invalid("lost_days", "must be more than days (沉睡 before 流失), at most 3650")
		}
	case KindDormant, KindBabyStage:
	default:
		return service.Invalid("kind", "must be category, spend, dormant, lifecycle or baby_stage")
	}
	if r.Category != "" && r.Kind != KindCategory {
		return service.Invalid("category", "only for kind category")
	}
	return nil
}

// ruleTag resolves the rule's tag: by id, or by group and name, created in WeCom when the corp has
// none (then the graph re-reads the corp tags, so the tag has its name everywhere).
func (s *Service) ruleTag(ctx context.Context, in RuleInput) (service.Tag, error) {
	if in.TagID != "" {
		t, err := s.store.KnownTag(ctx, in.TagID)
		if errors.Is(err, service.ErrNotFound) {
			return service.Tag{}, service.Invalid("tag_id", "unknown corp tag")
		}
		return t, err
	}
	group := in.TagGroup
	if group == "" {
		group = DefaultTagGroup
	}
	switch {
	case in.TagName == "":
		return service.Tag{}, service.Invalid("tag_id", "give tag_id, or tag_name to find or create the tag")
	case utf8.RuneCountInString(in.TagName) > 30:
		return service.Tag{}, service.Invalid("tag_name", "at most 30 characters (WeCom's limit)")
	case utf8.RuneCountInString(group) > 30:
		return service.Tag{}, service.Invalid("tag_group", "at most 30 characters (WeCom's limit)")
	}
	t, err := s.store.TagByName(ctx, group, in.TagName)
	if !errors.Is(err, service.ErrNotFound) {
		return t, err
	}
	id, err := s.wecom.AddCorpTag(ctx, group, in.TagName)
	if err != nil {
		return service.Tag{}, fmt.Errorf("create tag %s/%s in WeCom: %w", group, in.TagName, err)
	}
	if s.sync != nil {
		if err := s.sync(ctx); err != nil {
			return service.Tag{}, fmt.Errorf("read corp tags after creating %s: %w", in.TagName, err)
		}
	}
	return service.Tag{TagID: id, Name: in.TagName}, nil
}
