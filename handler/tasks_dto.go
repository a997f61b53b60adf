package handler

import (
	"time"

	"github.com/guidebox/guidebox/service/tasks"
)

type linkDTO struct {
	Title  string `json:"title"`
	URL    string `json:"url"`
	Desc   string `json:"desc,omitempty"`
	PicURL string `json:"pic_url,omitempty"`
}

type targetDTO struct {
	TagIDs          []string `json:"tag_ids,omitempty"`
	StoreIDs        []int64  `json:"store_ids,omitempty"`
	Stage           string   `json:"stage,omitempty"`
	ExternalUserIDs []string `json:"external_userids,omitempty"`
}

// createTaskRequest is POST /api/admin/tasks.
type createTaskRequest struct {
	Title       string    `json:"title"`
	Text        string    `json:"text"`
	ProductIDs  []string  `json:"product_ids"`
	MaterialIDs []string  `json:"material_ids"`
	Links       []linkDTO `json:"links"`
	Target      targetDTO `json:"target"`
	Deadline    string    `json:"deadline"` // RFC 3339
}

type attachmentDTO struct {
	Kind       string `json:"kind"`
	Title      string `json:"title,omitempty"`
	URL        string `json:"url,omitempty"`
	Desc       string `json:"desc,omitempty"`
	PicURL     string `json:"pic_url,omitempty"`
	ProductID  string `json:"product_id,omitempty"`
	MaterialID string `json:"material_id,omitempty"`
}

type taskDTO struct {
	ID          int64           `json:"id"`
	Title       string          `json:"title"`
	Text        string          `json:"text"`
	Attachments []attachmentDTO `json:"attachments"`
	Target      targetDTO       `json:"target"`
	Deadline    time.Time       `json:"deadline"`
	Status      string          `json:"status"`
	Phase       string          `json:"phase"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	ClosedAt    *time.Time      `json:"closed_at,omitempty"`
}

func toTaskDTO(t tasks.Task) taskDTO {
	out := taskDTO{ID: t.ID, Title: t.Title, Text: t.Content.Text, Attachments: toAttachmentDTOs(t.Content.Attachments),
		Target: targetDTO(t.Target), Deadline: t.Deadline, Status: t.Status, Phase: t.Phase, CreatedBy: t.CreatedBy,
		CreatedAt: t.CreatedAt, ClosedAt: t.ClosedAt}
	return out
}

func toAttachmentDTOs(as []tasks.Attachment) []attachmentDTO {
	out := make([]attachmentDTO, 0, len(as))
	for _, a := range as {
		out = append(out, attachmentDTO{Kind: a.Kind, Title: a.Title, URL: a.URL, Desc: a.Desc, PicURL: a.PicURL,
			ProductID: a.ProductID, MaterialID: a.MaterialID})
	}
	return out
}

type totalsDTO struct {
	Guides    int `json:"guides"`
	Done      int `json:"done"`
	Customers int `json:"customers"`
	Sent      int `json:"sent"`
	Failed    int `json:"failed"`
	Waiting   int `json:"waiting"`
}

func toTotalsDTO(t tasks.Totals) totalsDTO {
	return totalsDTO{Guides: t.Guides, Done: t.Done, Customers: t.Customers, Sent: t.Sent, Failed: t.Failed,
		Waiting: max(0, t.Customers-t.Sent-t.Failed)}
}

type taskSummaryDTO struct {
	Task   taskDTO   `json:"task"`
	Totals totalsDTO `json:"totals"`
}

type storeProgressDTO struct {
	StoreID int64  `json:"store_id"`
	Name    string `json:"name"`
	totalsDTO
}

type guideProgressDTO struct {
	UserID      string     `json:"userid"`
	Name        string     `json:"name"`
	StoreID     int64      `json:"store_id"`
	StoreName   string     `json:"store_name"`
	Status      string     `json:"status"`
	Reason      string     `json:"reason,omitempty"`
	Customers   int        `json:"customers"`
	Sent        int        `json:"sent"`
	Failed      int        `json:"failed"`
	Waiting     int        `json:"waiting"`
	Reminders   int        `json:"reminders"`
	RemindedAt  *time.Time `json:"reminded_at,omitempty"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	Behind      bool       `json:"behind"`
}

type taskViewDTO struct {
	Task   taskDTO            `json:"task"`
	Totals totalsDTO          `json:"totals"`
	Stores []storeProgressDTO `json:"stores"`
	Guides []guideProgressDTO `json:"guides"`
}

func toTaskViewDTO(v tasks.TaskView) taskViewDTO {
	out := taskViewDTO{Task: toTaskDTO(v.Task), Totals: toTotalsDTO(v.Totals), Stores: []storeProgressDTO{}, Guides: []guideProgressDTO{}}
	for _, s := range v.Stores {
		out.Stores = append(out.Stores, storeProgressDTO{StoreID: s.StoreID, Name: s.Name, totalsDTO: toTotalsDTO(s.Totals)})
	}
	for _, g := range v.Guides {
		out.Guides = append(out.Guides, guideProgressDTO{UserID: g.UserID, Name: g.Name, StoreID: g.StoreID, StoreName: g.StoreName,
			Status: g.Status, Reason: g.Reason, Customers: g.Customers, Sent: g.Sent, Failed: g.Failed, Waiting: g.Waiting(),
			Reminders: g.Reminders, RemindedAt: g.RemindedAt, CompletedAt: g.CompletedAt, Behind: g.Behind})
	}
	return out
}

// guideTaskDTO is a task in the guide's sidebar.
type guideTaskDTO struct {
	ID          int64           `json:"id"`
	Title       string          `json:"title"`
	Text        string          `json:"text"`
	Attachments []attachmentDTO `json:"attachments"`
	Deadline    time.Time       `json:"deadline"`
	TaskStatus  string          `json:"task_status"`
	Status      string          `json:"status"` // the guide's: pending, waiting, done, failed, missed
	Customers   int             `json:"customers"`
	Sent        int             `json:"sent"`
	Waiting     int             `json:"waiting"`
}

func toGuideTaskDTO(g tasks.GuideTask) guideTaskDTO {
	return guideTaskDTO{ID: g.Task.ID, Title: g.Task.Title, Text: g.Task.Content.Text, Attachments: toAttachmentDTOs(g.Task.Content.Attachments),
		Deadline: g.Task.Deadline, TaskStatus: g.Task.Status, Status: g.Assignment.Status, Customers: g.Assignment.Customers,
		Sent: g.Assignment.Sent, Waiting: g.Assignment.Waiting()}
}
