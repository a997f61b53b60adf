package wecom

import "context"

// Attachment is one item of a welcome message (≤9 per message). Set MsgType
// and the matching field, or use the ImageAttachment/LinkAttachment/…
// helpers.
type Attachment struct {
	MsgType     string           `json:"msgtype"`
	Image       *AttachmentImage `json:"image,omitempty"`
	Link        *AttachmentLink  `json:"link,omitempty"`
	MiniProgram *AttachmentMini  `json:"miniprogram,omitempty"`
	Video       *AttachmentMedia `json:"video,omitempty"`
	File        *AttachmentMedia `json:"file,omitempty"`
}

// AttachmentImage is an image by uploaded media_id or by pic_url.
type AttachmentImage struct {
	MediaID string `json:"media_id,omitempty"`
	PicURL  string `json:"pic_url,omitempty"`
}

// AttachmentLink is a link card.
type AttachmentLink struct {
	Title  string `json:"title"`
	PicURL string `json:"picurl,omitempty"`
	Desc   string `json:"desc,omitempty"`
	URL    string `json:"url"`
}

// AttachmentMini is a mini-program card.
type AttachmentMini struct {
	Title      string `json:"title"`
	PicMediaID string `json:"pic_media_id"`
	AppID      string `json:"appid"`
	Page       string `json:"page"`
}

// AttachmentMedia is a video or file by uploaded media_id.
type AttachmentMedia struct {
	MediaID string `json:"media_id"`
}

// ImageAttachment returns an image attachment from an uploaded media id.
func ImageAttachment(mediaID string) Attachment {
	return Attachment{MsgType: "image", Image: &AttachmentImage{MediaID: mediaID}}
}

// LinkAttachment returns a link-card attachment.
func LinkAttachment(title, picURL, desc, url string) Attachment {
	return Attachment{MsgType: "link", Link: &AttachmentLink{Title: title, PicURL: picURL, Desc: desc, URL: url}}
}

// SendWelcomeMsg sends the welcome message for a new customer, using the
// WelcomeCode of its add_external_contact callback (发送新客户欢迎语,
// https://developer.work.weixin.qq.com/document/path/92137). It must happen
// within 20 s of the event and once only; later calls get 41051
// (CodeWelcomeTooLate). text may be empty if attachments are given.
func (c *Client) SendWelcomeMsg(ctx context.Context, code, text string, attachments ...Attachment) error {
	body := map[string]any{"welcome_code": code}
	if text != "" {
		body["text"] = map[string]string{"content": text}
	}
	if len(attachments) > 0 {
		body["attachments"] = attachments
	}
	return c.post(ctx, "cgi-bin/externalcontact/send_welcome_msg", body, &status{})
}
