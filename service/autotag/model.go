package autotag

import (
	"time"

	"github.com/guidebox/guidebox/service"
)

// Kinds of rule.
const (
	// KindCategory: bought in Category within Days.
	KindCategory = "category"
	// KindSpend: spent at least MinFen (order lines, refunds excluded) within Days (default 90).
	KindSpend = "spend"
	// KindDormant: bought before, but nothing within Days (default 180).
	KindDormant = "dormant"
	// KindLifecycle: the customer's lifecycle stage is Stage. A customer with paid orders is 流失
	// when the last is more than LostDays old (default 180), else 沉睡 when more than Days (default
	// 90), else 新客 with one order and 复购 with two or more.
	KindLifecycle = "lifecycle"
	// KindBabyStage: the newest purchase of a product carrying any baby-stage rule's tag carries this
	// rule's tag, and is at most Days old (default 365): 孕期, 0-1岁, 1-3岁 … from what was bought.
	KindBabyStage = "baby_stage"
)

// Lifecycle stages.
const (
	StageNew     = "新客"
	StageRepeat  = "复购"
	StageDormant = "沉睡"
	StageLost    = "流失"
)

// Rule is one auto-tag rule: a condition on a customer's orders and the corp tag it gives.
type Rule struct {
	ID       int64
	Name     string
	Kind     string
	Category string // KindCategory
	Days     int
	LostDays int   // KindLifecycle
	MinFen   int64 // KindSpend
	Stage    string
	TagID    string
	TagName  string // filled by reads
	ToWeCom  bool   // also mark the tag in WeCom on the owner's edge
	// Enabled rules are evaluated; a rule switched off gives no tag (and keeps its definition).
	Enabled bool
	// Customers is how many customers have the rule's tag now (filled by the admin list).
	Customers int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Line is one order line of a customer as the rules read it.
type Line struct {
	OrderID  string
	SKU      string
	Qty      int64
	PriceFen int64
	PaidAt   time.Time
	Refunded bool
}

// CustomerLines is a customer's order lines, oldest first.
type CustomerLines struct {
	ExternalUserID string
	Lines          []Line
}

// ProductInfo is what the rules read of a product.
type ProductInfo struct {
	Category string
	TagIDs   []string
}

// Assigned is a rule's tag on a customer.
type Assigned struct {
	ExternalUserID string
	RuleID         int64
	TagID          string
	Since          time.Time
}

// Mark operations.
const (
	OpAdd    = "add"
	OpRemove = "remove"
)

// Mark is a rule's wish for a tag on an edge in WeCom: added or removed by mark_tag.
type Mark struct {
	UserID         string
	ExternalUserID string
	TagID          string
	RuleID         int64
	Op             string
	Attempts       int
}

// Changes is what an evaluation writes, in one transaction.
type Changes struct {
	Add    []Assigned
	Remove []Assigned
	Marks  []Mark
}

func (c Changes) empty() bool { return len(c.Add) == 0 && len(c.Remove) == 0 && len(c.Marks) == 0 }

// EdgeTag is a tag on an edge and where it came from (service.TagFrom*).
type EdgeTag struct {
	Origin string
	RuleID int64
}

// PassReport says what a pass over every customer did.
type PassReport struct {
	Customers int // customers with orders evaluated
	Lines     int
	Added     int // rule tags given
	Removed   int // rule tags taken away
	Marks     int // WeCom marks queued
}

// PushReport says what a run of PushMarks did.
type PushReport struct {
	Calls   int // mark_tag calls made
	Written int // marks written to WeCom
	Skipped int // marks WeCom needed no call for (the edge had the tag, or not the rule's)
	Failed  int
	Waiting bool // stopped for WeCom's budget; the rest goes next run
}

// Tag origins, as in the root package.
const originRule = service.TagFromRule
