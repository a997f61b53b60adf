package sim

import (
	"encoding/json"
	"fmt"
)

// addMsgTemplateRequest is add_msg_template's body (92135).
type addMsgTemplateRequest struct {
	ChatType       string   `json:"chat_type"`
	ExternalUserID []string `json:"external_userid"`
	ChatIDList     []string `json:"chat_id_list"`
	Sender         string   `json:"sender"`
	AllowSelect    bool     `json:"allow_select"`
	Text           *struct {
		Content string `json:"content"`
	} `json:"text"`
	Attachments []json.RawMessage `json:"attachments"`
}

// apiAddMsgTemplate mimics "创建企业群发" (POST add_msg_template,
// https://developer.work.weixin.qq.com/document/path/92135). It creates the task and notifies the
// member; nothing is sent until the member confirms (ConfirmGroupMsg). Whole-call errors:
// 40058 for chat_type group (not simulated), no sender (WeCom would hand each customer to the
// member who last chatted with them, which the sim cannot know), more than 10 000 external_userid,
// text over 4000 bytes, more than 9 attachments or an attachment whose msgtype and fields disagree;
// 40063 when text and attachments are both empty; 60111 for an unknown or departed sender; 41048
// (无可发送的客户) when no customer is left to send to. Per customer: an unknown id or one who is
// not the sender's customer goes to fail_list. Only a sender (no external_userid) means every
// customer of the sender.
func (s *Sim) apiAddMsgTemplate(c *call) result {
	var req addMsgTemplateRequest
	if res := c.decode(&req); res != nil {
		return res
	}
	if res := checkMsgTemplate(&req); res != nil {
		return res
	}
	u := s.st.activeUser(req.Sender)
	if u == nil {
		return fail(60111, "sender userid not found")
	}
	exts := req.ExternalUserID
	if len(exts) == 0 {
		exts = u.customerIDs()
	}
	fails := []string{}
	var targets []*groupMsgTarget
	seen := map[string]bool{}
	for _, ext := range exts {
		if seen[ext] {
			continue
		}
		seen[ext] = true
		if s.st.custs[ext] == nil || u.follows[ext] == nil {
			fails = append(fails, ext)
			continue
		}
		targets = append(targets, &groupMsgTarget{ext: ext})
	}
	if len(targets) == 0 {
		return result{"errcode": 41048, "errmsg": "no customer to send", "fail_list": fails}
	}
	text := ""
	if req.Text != nil {
		text = req.Text.Content
	}
	g := &s.st.groupMsg
	m := &groupMsgRec{msgID: s.st.newID("msg", 26), sender: req.Sender, created: c.now, text: text,
		attachments: req.Attachments, targets: targets}
	g.msgs = append(g.msgs, m)
	g.byID[m.msgID] = m
	return result{"fail_list": fails, "msgid": m.msgID}
}

// checkMsgTemplate applies add_msg_template's limits on shape and content.
func checkMsgTemplate(req *addMsgTemplateRequest) result {
	switch {
	case req.ChatType == "group":
		return errInvalidParam("chat_type group (customer groups) is not simulated")
	case req.ChatType != "" && req.ChatType != "single":
		return errInvalidParam("chat_type must be single or group")
	case req.Sender == "":
		return errInvalidParam("sender is required by the simulator")
	case len(req.ExternalUserID) > groupMsgMaxCustomers:
		return errInvalidParam(fmt.Sprintf("external_userid holds at most %d ids", groupMsgMaxCustomers))
	case len(req.Attachments) > groupMsgMaxAttachments:
		return errInvalidParam(fmt.Sprintf("at most %d attachments", groupMsgMaxAttachments))
	}
	text := ""
	if req.Text != nil {
		text = req.Text.Content
	}
	if len(text) > groupMsgMaxTextBytes {
		return errInvalidParam(fmt.Sprintf("text.content is at most %d bytes", groupMsgMaxTextBytes))
	}
	if text == "" && len(req.Attachments) == 0 {
		return fail(40063, "some parameters are empty: text or attachments")
	}
	for i, raw := range req.Attachments {
		if msg := checkAttachment(raw); msg != "" {
			return errInvalidParam(fmt.Sprintf("attachments[%d]: %s", i, msg))
		}
	}
	return nil
}

// checkAttachment says what is wrong with one attachment ("" when nothing): its msgtype must name
// the field it fills (WeCom: 每个附件信息必须与msgtype一致), with that type's required fields.
func checkAttachment(raw json.RawMessage) string {
	var a struct {
		MsgType string `json:"msgtype"`
		Image   *struct {
			MediaID string `json:"media_id"`
			PicURL  string `json:"pic_url"`
		} `json:"image"`
		Link *struct {
			Title string `json:"title"`
			URL   string `json:"url"`
		} `json:"link"`
		MiniProgram *struct {
			Title      string `json:"title"`
			PicMediaID string `json:"pic_media_id"`
			AppID      string `json:"appid"`
			Page       string `json:"page"`
		} `json:"miniprogram"`
		Video *struct {
			MediaID string `json:"media_id"`
		} `json:"video"`
		File *struct {
			MediaID string `json:"media_id"`
		} `json:"file"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return "not an object"
	}
	switch a.MsgType {
	case "image":
		if a.Image == nil || (a.Image.MediaID == "" && a.Image.PicURL == "") {
			return "image needs media_id or pic_url"
		}
	case "link":
		if a.Link == nil || a.Link.Title == "" || a.Link.URL == "" {
			return "link needs title and url"
		}
	case "miniprogram":
		if m := a.MiniProgram; m == nil || m.Title == "" || m.PicMediaID == "" || m.AppID == "" || m.Page == "" {
			return "miniprogram needs title, pic_media_id, appid and page"
		}
	case "video":
		if a.Video == nil || a.Video.MediaID == "" {
			return "video needs media_id"
		}
	case "file":
		if a.File == nil || a.File.MediaID == "" {
			return "file needs media_id"
		}
	default:
		return "msgtype must be image, link, miniprogram, video or file"
	}
	return ""
}
