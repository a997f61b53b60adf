package autotag

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Store keeps the rules, the tags they give and their WeCom marks, and reads customers' orders.
type Store interface {
	// ListRules lists the corp's rules by id, with their tags' names.
	ListRules(ctx context.Context) ([]Rule, error)
	// GetRule reads one rule; ErrNotFound if unknown.
	GetRule(ctx context.Context, id int64) (Rule, error)
	// CreateRule stores a new rule and returns it with its id; ErrConflict if the name is taken.
	CreateRule(ctx context.Context, r Rule) (Rule, error)
	// UpdateRule replaces a rule; ErrNotFound if unknown, ErrConflict if the name is taken. With
	// resetTags the tags the rule gave are removed (the next evaluation gives them again).
	UpdateRule(ctx context.Context, r Rule, resetTags bool) error
	// DeleteRule removes a rule and the tags it gave; ErrNotFound if unknown.
	DeleteRule(ctx context.Context, id int64) error
	// RuleCustomers counts the customers each rule tags now.
	RuleCustomers(ctx context.Context) (map[int64]int, error)
	// KnownTag reads a corp tag by id; ErrNotFound if unknown.
	KnownTag(ctx context.Context, tagID string) (service.Tag, error)
	// TagByName finds a corp tag by its group's and its own name; ErrNotFound if none.
	TagByName(ctx context.Context, group, name string) (service.Tag, error)
	// Audit appends an admin action to the audit log.
	Audit(ctx context.Context, a service.AuditEntry) error

	// Products maps every product's SKU to its category and tags.
	Products(ctx context.Context) (map[string]ProductInfo, error)
	// LinesPage returns whole customers after `after` in external_userid order, with their lines
	// (oldest first), about maxLines lines in all: at least one customer, however many lines it has.
	LinesPage(ctx context.Context, after string, maxLines int) ([]CustomerLines, error)
	// LinesOf returns the lines of the given customers.
	LinesOf(ctx context.Context, extIDs []string) (map[string][]Line, error)
	// TagsBetween lists the rule tags of customers after `after` up to and including upTo ("": to the end).
	TagsBetween(ctx context.Context, after, upTo string) ([]Assigned, error)
	// TagsOf lists the rule tags of the given customers.
	TagsOf(ctx context.Context, extIDs []string) ([]Assigned, error)
	// Owners maps the given customers to their owners (customers without one are left out).
	Owners(ctx context.Context, extIDs []string) (map[string]string, error)
	// Apply writes an evaluation's changes in one transaction: tags added and removed, marks queued
	// (a mark replaces the edge's earlier wish for the tag).
	Apply(ctx context.Context, ch Changes, at time.Time) error

	// PendingMarks lists up to limit pending marks after the edge (afterUser, afterExt), by edge.
	PendingMarks(ctx context.Context, afterUser, afterExt string, limit int) ([]Mark, error)
	// EdgeTags reads an edge's tags with their origins, and whether the guide follows the customer now.
	EdgeTags(ctx context.Context, userID, extID string) (map[string]EdgeTag, bool, error)
	// MarksWritten records marks WeCom accepted at `at`: the edge gets the added tags as the rules'
	// and loses the removed ones, its tags are stamped at `at` (as a guide's edit), and the marks,
	// with those that needed no call (skipped), are done.
	MarksWritten(ctx context.Context, userID, extID string, add, remove, skipped []Mark, at time.Time) error
	// MarksFailed records a failed attempt of marks: failed for good when final, else pending again.
	MarksFailed(ctx context.Context, marks []Mark, code int, reason string, final bool) error
}

// WeCom writes corp tags (the wecom adapter).
type WeCom interface {
	// MarkTag adds and removes corp tags on a customer of userID (mark_tag).
	MarkTag(ctx context.Context, userID, externalUserID string, add, remove []string) error
	// AddCorpTag creates a tag in the group named group (created if absent) and returns its id.
	AddCorpTag(ctx context.Context, group, name string) (string, error)
}

// TagSync re-reads the corp tags from WeCom into the graph (the graph domain), after a tag was created.
type TagSync func(ctx context.Context) error
