package handler

import (
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service/workbench"
)

// Response DTOs of the workbench API; sidebar-ui/src/api/types.ts mirrors them.

type homeEntryDTO struct {
	ExternalUserID string    `json:"external_userid"`
	Name           string    `json:"name"`
	Remark         string    `json:"remark"`
	Avatar         string    `json:"avatar"`
	At             time.Time `json:"at"`
	Note           string    `json:"note,omitempty"`
	Birthday       string    `json:"birthday,omitempty"` // the date saved, 2006-01-02
}

type homeDTO struct {
	Today        string         `json:"today"` // the corp's date, 2006-01-02
	Overdue      []homeEntryDTO `json:"overdue"`
	DueToday     []homeEntryDTO `json:"due_today"`
	Birthdays    []homeEntryDTO `json:"birthdays"`
	BirthdayName string         `json:"birthday_field"`
	NewCustomers []homeEntryDTO `json:"new_customers"`
}

func toEntries(es []workbench.HomeEntry, birthday bool) []homeEntryDTO {
	out := make([]homeEntryDTO, 0, len(es))
	for _, e := range es {
		d := homeEntryDTO{ExternalUserID: e.ExternalUserID, Name: e.Name, Remark: e.Remark, Avatar: e.Avatar, At: e.At}
		if birthday {
			d.Birthday = e.Note
		} else {
			d.Note = e.Note
		}
		out = append(out, d)
	}
	return out
}

func toHomeDTO(h workbench.Home) homeDTO {
	return homeDTO{Today: h.Today.Format(time.DateOnly), Overdue: toEntries(h.Overdue, false), DueToday: toEntries(h.DueToday, false),
		Birthdays: toEntries(h.Birthdays, true), BirthdayName: h.BirthdayName, NewCustomers: toEntries(h.NewCustomers, false)}
}

type stageDTO struct {
	StageID  string `json:"stage_id"`
	Name     string `json:"name"`
	Archived bool   `json:"archived,omitempty"`
}

func toStageDTOs(st []workbench.Stage) []stageDTO {
	out := make([]stageDTO, len(st))
	for i, s := range st {
		out[i] = stageDTO{StageID: s.StageID, Name: s.Name, Archived: s.Archived}
	}
	return out
}

type noteDTO struct {
	ID        int64      `json:"id"`
	Author    guideDTO   `json:"author"`
	Mine      bool       `json:"mine"`
	Body      string     `json:"body"`
	StageID   string     `json:"stage_id"`
	StageName string     `json:"stage_name"`
	NextAt    *time.Time `json:"next_at"`
	CreatedAt time.Time  `json:"created_at"`
}

func toNoteDTO(n workbench.Note, me string) noteDTO {
	return noteDTO{ID: n.ID, Author: guideDTO{UserID: n.UserID, Name: n.AuthorName, Resigned: n.AuthorResigned}, Mine: n.UserID == me,
		Body: n.Body, StageID: n.StageID, StageName: n.StageName, NextAt: n.NextAt, CreatedAt: n.CreatedAt}
}

type fieldDTO struct {
	FieldID  string   `json:"field_id"`
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Options  []string `json:"options"`
	Order    int      `json:"order"`
	Birthday bool     `json:"birthday"`
	Archived bool     `json:"archived"`
}

func toFieldDTO(f workbench.Field) fieldDTO {
	return fieldDTO{FieldID: f.FieldID, Name: f.Name, Type: f.Type, Options: nonNilStrings(f.Options), Order: f.Order,
		Birthday: f.Birthday, Archived: f.Archived}
}

type profileDTO struct {
	Fields []fieldDTO      `json:"fields"`
	Values map[string]any  `json:"values"` // text, number, date (2006-01-02), option, or a list of options
	Edited map[string]edit `json:"edited"`
}

type edit struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// valueJSON is a value as the API gives it: a number for numbers, a list for multiple choice, else text.
func valueJSON(f workbench.Field, v workbench.Value) any {
	switch {
	case f.Type == workbench.FieldNumber && v.Num != nil:
		return *v.Num
	case f.Type == workbench.FieldMulti:
		return nonNilStrings(v.Items)
	}
	return v.Text
}

func toProfileDTO(p workbench.Profile) profileDTO {
	out := profileDTO{Fields: make([]fieldDTO, 0, len(p.Fields)), Values: map[string]any{}, Edited: map[string]edit{}}
	for _, f := range p.Fields {
		out.Fields = append(out.Fields, toFieldDTO(f))
		if v, ok := p.Values[f.FieldID]; ok {
			out.Values[f.FieldID] = valueJSON(f, v)
			out.Edited[f.FieldID] = edit{By: v.UpdatedBy, At: v.UpdatedAt}
		}
	}
	return out
}

type itemDTO struct {
	ID       int64  `json:"id"`
	GroupID  int64  `json:"group_id"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Content  string `json:"content"`
	URL      string `json:"url"`
	PicURL   string `json:"pic_url"`
	AppID    string `json:"appid"`
	Page     string `json:"page"`
	Order    int    `json:"order"`
	Corp     bool   `json:"corp"`
	Mine     bool   `json:"mine"`
	ImageURL string `json:"image_url,omitempty"` // the picture of an image material, for previews
}

type libraryGroupDTO struct {
	ID      int64     `json:"id"`
	Library string    `json:"library"`
	Name    string    `json:"name"`
	Order   int       `json:"order"`
	Corp    bool      `json:"corp"`
	Mine    bool      `json:"mine"`
	Items   []itemDTO `json:"items"`
}

func toItemDTO(it workbench.Item, me string) itemDTO {
	d := itemDTO{ID: it.ID, GroupID: it.GroupID, Kind: it.Kind, Title: it.Title, Content: it.Content, URL: it.URL, PicURL: it.PicURL,
		AppID: it.AppID, Page: it.Page, Order: it.Order, Corp: it.OwnerUserID == "", Mine: it.OwnerUserID != "" && it.OwnerUserID == me}
	if it.HasImage {
		d.ImageURL = fmt.Sprintf("/api/sidebar/library/items/%d/image", it.ID)
	}
	return d
}

func toLibraryDTO(gs []workbench.Group, me string) []libraryGroupDTO {
	out := make([]libraryGroupDTO, 0, len(gs))
	for _, g := range gs {
		d := libraryGroupDTO{ID: g.ID, Library: g.Library, Name: g.Name, Order: g.Order, Corp: g.OwnerUserID == "",
			Mine: g.OwnerUserID != "" && g.OwnerUserID == me, Items: make([]itemDTO, 0, len(g.Items))}
		for _, it := range g.Items {
			d.Items = append(d.Items, toItemDTO(it, me))
		}
		out = append(out, d)
	}
	return out
}

// messageDTO is sendChatMessage's argument as the JS-SDK takes it: msgtype and one payload.
type messageDTO struct {
	MsgType     string          `json:"msgtype"`
	Text        *textMsg        `json:"text,omitempty"`
	Image       *imageMsg       `json:"image,omitempty"`
	News        *newsMsg        `json:"news,omitempty"`
	MiniProgram *miniProgramMsg `json:"miniprogram,omitempty"`
}

type textMsg struct {
	Content string `json:"content"`
}

type imageMsg struct {
	MediaID string `json:"mediaid"`
}

type newsMsg struct {
	Link   string `json:"link"`
	Title  string `json:"title"`
	Desc   string `json:"desc"`
	ImgURL string `json:"imgUrl"`
}

type miniProgramMsg struct {
	AppID  string `json:"appid"`
	Title  string `json:"title"`
	ImgURL string `json:"imgUrl"`
	Page   string `json:"page"`
}

func toMessageDTO(m workbench.Message) messageDTO {
	d := messageDTO{MsgType: m.MsgType}
	switch m.MsgType {
	case "text":
		d.Text = &textMsg{Content: m.Content}
	case "image":
		d.Image = &imageMsg{MediaID: m.MediaID}
	case "news":
		d.News = &newsMsg{Link: m.Link, Title: m.Title, Desc: m.Desc, ImgURL: m.ImgURL}
	case "miniprogram":
		d.MiniProgram = &miniProgramMsg{AppID: m.AppID, Title: m.Title, ImgURL: m.ImgURL, Page: m.Page}
	}
	return d
}

type sendDTO struct {
	ID             int64     `json:"id"`
	ItemID         int64     `json:"item_id"`
	ExternalUserID string    `json:"external_userid,omitempty"`
	ChatID         string    `json:"chat_id,omitempty"`
	Kind           string    `json:"kind"`
	Title          string    `json:"title"`
	SentAt         time.Time `json:"sent_at"`
}
