package handler

import (
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
)

type planDTO struct {
	Strategy       string `json:"strategy"`
	TakeoverUserID string `json:"takeover_userid,omitempty"`
	KeepExisting   bool   `json:"keep_existing"`
}

type caseResponse struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind"`
	HandoverUserID string     `json:"handover_userid"`
	StoreID        int64      `json:"store_id"`
	Status         string     `json:"status"`
	Phase          string     `json:"phase"`
	Plan           planDTO    `json:"plan"`
	Message        string     `json:"message,omitempty"`
	Source         string     `json:"source"`
	CreatedBy      string     `json:"created_by,omitempty"`
	FullTakers     []string   `json:"full_takers,omitempty"`
	OpenedAt       time.Time  `json:"opened_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	FinishedAt     *time.Time `json:"finished_at,omitempty"`
	NextRunAt      *time.Time `json:"next_run_at,omitempty"`
	// Names for the console (set where the service named the handover guide).
	HandoverName   string `json:"handover_name,omitempty"`
	HandoverStatus string `json:"handover_status,omitempty"`
	StoreName      string `json:"store_name,omitempty"`
}

func toCaseResponse(c handover.Case) caseResponse {
	return caseResponse{ID: c.ID, Kind: c.Kind, HandoverUserID: c.HandoverUserID, StoreID: c.StoreID, Status: c.Status, Phase: c.Phase,
		Plan:    planDTO{Strategy: c.Plan.Strategy, TakeoverUserID: c.Plan.TakeoverUserID, KeepExisting: c.Plan.KeepExisting},
		Message: c.Message, Source: c.Source, CreatedBy: c.CreatedBy, FullTakers: c.FullTakers, OpenedAt: c.OpenedAt,
		UpdatedAt: c.UpdatedAt, FinishedAt: c.FinishedAt, NextRunAt: c.NextRunAt}
}

// toNamedCase is a case with its handover guide's name and store. The store's name is the guide's
// store when it is the case's (the usual case), else left for the id.
func toNamedCase(c handover.Case, g service.GuideName) caseResponse {
	out := toCaseResponse(c)
	out.HandoverName, out.HandoverStatus = g.Name, g.Status
	if g.StoreID == c.StoreID {
		out.StoreName = g.StoreName
	}
	return out
}

// caseSummaryResponse is a case in the console's list: named, with its items counted.
type caseSummaryResponse struct {
	caseResponse
	Counts map[string]map[string]int `json:"counts"`
}

type takerResponse struct {
	UserID    string `json:"userid"`
	Name      string `json:"name"`
	StoreName string `json:"store_name,omitempty"`
	Load      int    `json:"load"`
	Customers int    `json:"customers"`
	Groups    int    `json:"groups"`
}

type viewResponse struct {
	Case   caseResponse              `json:"case"`
	Counts map[string]map[string]int `json:"counts"`
	Takers []takerResponse           `json:"takers"`
}

func toViewResponse(v handover.CaseView) viewResponse {
	out := viewResponse{Case: toNamedCase(v.Case, v.Guide), Counts: v.Counts, Takers: []takerResponse{}}
	for _, t := range v.Takers {
		out.Takers = append(out.Takers, takerResponse(t))
	}
	return out
}

type itemResponse struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind"`
	TargetID       string     `json:"target_id"`
	TargetName     string     `json:"target_name,omitempty"`
	TargetAvatar   string     `json:"target_avatar,omitempty"`
	TakeoverUserID string     `json:"takeover_userid"`
	TakeoverName   string     `json:"takeover_name,omitempty"`
	TakeoverStore  string     `json:"takeover_store,omitempty"`
	OverrideUserID string     `json:"override_userid,omitempty"`
	State          string     `json:"state"`
	ErrCode        int        `json:"errcode"`
	Reason         string     `json:"reason,omitempty"`
	Tries          int        `json:"tries"`
	NotBefore      *time.Time `json:"not_before,omitempty"`
	SubmittedAt    *time.Time `json:"submitted_at,omitempty"`
	TakeoverAt     *time.Time `json:"takeover_at,omitempty"`
}

func toItemResponse(v handover.ItemView) itemResponse {
	it := v.Item
	return itemResponse{ID: it.ID, Kind: it.Kind, TargetID: it.TargetID, TargetName: v.Target.Name, TargetAvatar: v.Target.Avatar,
		TakeoverUserID: it.TakeoverUserID, TakeoverName: v.Taker.Name, TakeoverStore: v.Taker.StoreName, OverrideUserID: it.OverrideUserID,
		State: it.State, ErrCode: it.ErrCode, Reason: it.Reason, Tries: it.Tries, NotBefore: it.NotBefore, SubmittedAt: it.SubmittedAt,
		TakeoverAt: it.TakeoverAt}
}

// openCaseRequest opens a resigned case (kind resigned) or an in-service transfer (kind onjob).
type openCaseRequest struct {
	Kind           string   `json:"kind" binding:"required,oneof=resigned onjob"`
	HandoverUserID string   `json:"handover_userid" binding:"required,max=64"`
	Customers      []string `json:"customers" binding:"max=10000"`
	Groups         []string `json:"groups" binding:"max=1000"`
	AllCustomers   bool     `json:"all_customers"`
	AllGroups      bool     `json:"all_groups"`
	Message        string   `json:"message"`
	Plan           *planDTO `json:"plan"`
}

type itemRefDTO struct {
	Kind     string `json:"kind" binding:"required,oneof=customer group"`
	TargetID string `json:"target_id" binding:"required,max=64"`
}

type overrideDTO struct {
	itemRefDTO
	TakeoverUserID string `json:"takeover_userid" binding:"required,max=64"`
}

// editItemsRequest is a manual change to a plan.
type editItemsRequest struct {
	Overrides []overrideDTO `json:"overrides" binding:"max=1000,dive"`
	Exclude   []itemRefDTO  `json:"exclude" binding:"max=1000,dive"`
	Include   []itemRefDTO  `json:"include" binding:"max=1000,dive"`
}

func (r editItemsRequest) edits() handover.ItemEdits {
	e := handover.ItemEdits{Overrides: map[handover.ItemRef]string{}}
	for _, o := range r.Overrides {
		e.Overrides[handover.ItemRef{Kind: o.Kind, TargetID: o.TargetID}] = o.TakeoverUserID
	}
	for _, x := range r.Exclude {
		e.Exclude = append(e.Exclude, handover.ItemRef{Kind: x.Kind, TargetID: x.TargetID})
	}
	for _, x := range r.Include {
		e.Include = append(e.Include, handover.ItemRef{Kind: x.Kind, TargetID: x.TargetID})
	}
	return e
}

type auditResponse struct {
	ID        int64     `json:"id"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name,omitempty"`
	Action    string    `json:"action"`
	Target    string    `json:"target,omitempty"`
	CaseID    int64     `json:"case_id,omitempty"`
	StoreID   int64     `json:"store_id,omitempty"`
	StoreName string    `json:"store_name,omitempty"`
	Scope     string    `json:"scope"`
	Detail    string    `json:"detail,omitempty"`
	At        time.Time `json:"at"`
}
