package autotagdb

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/autotag"
)

// Store is the auto-tags of one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ autotag.Store = (*Store)(nil)

// New returns the auto-tag store of corpID.
func New(db *gorm.DB, corpID string) *Store { return &Store{db: db, corp: corpID} }

type ruleRow struct {
	ID        int64 `gorm:"primaryKey"`
	CorpID    string
	Name      string
	Kind      string
	Category  string
	Days      int
	LostDays  int
	MinFen    int64
	Stage     string
	TagID     string
	ToWeCom   bool `gorm:"column:to_wecom"`
	Enabled   bool `gorm:"column:enabled"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (ruleRow) TableName() string { return "autotag_rules" }

type namedRuleRow struct {
	R       ruleRow `gorm:"embedded"`
	TagName *string
}

func toRule(r namedRuleRow) autotag.Rule {
	out := autotag.Rule{ID: r.R.ID, Name: r.R.Name, Kind: r.R.Kind, Category: r.R.Category, Days: r.R.Days, LostDays: r.R.LostDays,
		MinFen: r.R.MinFen, Stage: r.R.Stage, TagID: r.R.TagID, ToWeCom: r.R.ToWeCom, Enabled: r.R.Enabled, CreatedAt: r.R.CreatedAt.UTC(), UpdatedAt: r.R.UpdatedAt.UTC()}
	if r.TagName != nil {
		out.TagName = *r.TagName
	}
	return out
}

func (s *Store) rules(ctx context.Context) *gorm.DB {
	return sqlstore.Conn(ctx, s.db).Table("autotag_rules r").Select("r.*, t.name AS tag_name").
		Joins("LEFT JOIN tags t ON t.corp_id = r.corp_id AND t.tag_id = r.tag_id").Where("r.corp_id = ?", s.corp)
}

// ListRules lists the rules by id with their tags' names.
func (s *Store) ListRules(ctx context.Context) ([]autotag.Rule, error) {
	var rows []namedRuleRow
	if err := s.rules(ctx).Order("r.id").Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]autotag.Rule, len(rows))
	for i, r := range rows {
		out[i] = toRule(r)
	}
	return out, nil
}

// GetRule reads one rule.
func (s *Store) GetRule(ctx context.Context, id int64) (autotag.Rule, error) {
	var rows []namedRuleRow
	if err := s.rules(ctx).Where("r.id = ?", id).Scan(&rows).Error; err != nil {
		return autotag.Rule{}, sqlstore.Translate(err)
	}
	if len(rows) == 0 {
		return autotag.Rule{}, service.ErrNotFound
	}
	return toRule(rows[0]), nil
}

func (s *Store) row(r autotag.Rule, now time.Time) ruleRow {
	return ruleRow{ID: r.ID, CorpID: s.corp, Name: r.Name, Kind: r.Kind, Category: r.Category, Days: r.Days, LostDays: r.LostDays,
		MinFen: r.MinFen, Stage: r.Stage, TagID: r.TagID, ToWeCom: r.ToWeCom, Enabled: r.Enabled, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: now}
}

// CreateRule inserts a rule; a taken name is ErrConflict.
func (s *Store) CreateRule(ctx context.Context, r autotag.Rule) (autotag.Rule, error) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	r.CreatedAt = now
	row := s.row(r, now)
	if err := sqlstore.Conn(ctx, s.db).Create(&row).Error; err != nil {
		return autotag.Rule{}, nameTaken(err)
	}
	r.ID, r.UpdatedAt = row.ID, now
	return r, nil
}

// nameTaken translates a duplicate name to ErrConflict (MySQL's 1062 and SQLite's UNIQUE alike).
func nameTaken(err error) error {
	err = sqlstore.Translate(err)
	if !errors.Is(err, service.ErrConflict) && strings.Contains(strings.ToLower(err.Error()), "unique") {
		return errors.Join(service.ErrConflict, err)
	}
	return err
}

// UpdateRule replaces a rule (switched on or off too), and with resetTags removes the tags it gave, in
// one transaction.
func (s *Store) UpdateRule(ctx context.Context, r autotag.Rule, resetTags bool) error {
	return repo.NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := sqlstore.Conn(ctx, s.db)
		row := s.row(r, time.Now().UTC().Truncate(time.Millisecond))
		res := db.Model(&ruleRow{}).Where("corp_id = ? AND id = ?", s.corp, r.ID).Select("name", "kind", "category", "days", "lost_days",
			"min_fen", "stage", "tag_id", "to_wecom", "enabled", "updated_at").Updates(&row)
		if res.Error != nil {
			return nameTaken(res.Error)
		}
		if res.RowsAffected == 0 {
			return service.ErrNotFound
		}
		if !resetTags {
			return nil
		}
		return sqlstore.Translate(db.Where("corp_id = ? AND rule_id = ?", s.corp, r.ID).Delete(&autoTagRow{}).Error)
	})
}

// DeleteRule removes a rule, the tags it gave and its marks not yet written, in one transaction.
func (s *Store) DeleteRule(ctx context.Context, id int64) error {
	return repo.NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := sqlstore.Conn(ctx, s.db)
		res := db.Where("corp_id = ? AND id = ?", s.corp, id).Delete(&ruleRow{})
		if res.Error != nil {
			return sqlstore.Translate(res.Error)
		}
		if res.RowsAffected == 0 {
			return service.ErrNotFound
		}
		if err := db.Where("corp_id = ? AND rule_id = ?", s.corp, id).Delete(&autoTagRow{}).Error; err != nil {
			return sqlstore.Translate(err)
		}
		return sqlstore.Translate(db.Where("corp_id = ? AND rule_id = ? AND state = ?", s.corp, id, statePending).Delete(&markRow{}).Error)
	})
}

type countRow struct {
	RuleID int64
	N      int
}

// RuleCustomers counts each rule's customers (idx_auto_tags_rule).
func (s *Store) RuleCustomers(ctx context.Context) (map[int64]int, error) {
	var rows []countRow
	if err := sqlstore.Conn(ctx, s.db).Model(&autoTagRow{}).Select("rule_id, COUNT(*) AS n").Where("corp_id = ?", s.corp).
		Group("rule_id").Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.RuleID] = r.N
	}
	return out, nil
}

// KnownTag reads a corp tag.
func (s *Store) KnownTag(ctx context.Context, tagID string) (service.Tag, error) {
	var r sqlstore.TagRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND tag_id = ?", s.corp, tagID).Take(&r).Error; err != nil {
		return service.Tag{}, sqlstore.Translate(err)
	}
	return service.Tag{TagID: r.TagID, GroupID: r.GroupID, Name: r.Name, Order: r.SortOrder}, nil
}

// TagByName finds a corp tag by group and name (the first by id if two match).
func (s *Store) TagByName(ctx context.Context, group, name string) (service.Tag, error) {
	var rows []sqlstore.TagRow
	err := sqlstore.Conn(ctx, s.db).Table("tags t").Select("t.*").
		Joins("JOIN tag_groups g ON g.corp_id = t.corp_id AND g.group_id = t.group_id").
		Where("t.corp_id = ? AND g.name = ? AND t.name = ?", s.corp, group, name).Order("t.tag_id").Limit(1).Scan(&rows).Error
	if err != nil {
		return service.Tag{}, sqlstore.Translate(err)
	}
	if len(rows) == 0 {
		return service.Tag{}, service.ErrNotFound
	}
	r := rows[0]
	return service.Tag{TagID: r.TagID, GroupID: r.GroupID, Name: r.Name, Order: r.SortOrder}, nil
}

// Audit appends an admin action to admin_audit.
func (s *Store) Audit(ctx context.Context, a service.AuditEntry) error {
	return sqlstore.AppendAudit(ctx, s.db, s.corp, a)
}
