package sim

import (
	"encoding/json"
	"time"
)

// welcomeTTL is how long a WelcomeCode can be used.
const welcomeTTL = 20 * time.Second

// welcomeRec is a WelcomeCode handed out with add_external_contact.
type welcomeRec struct {
	userID, ext string
	issued      time.Time
	used        bool
}

// WelcomeMessage is a welcome message the service sent with
// send_welcome_msg, for tests to inspect.
type WelcomeMessage struct {
	WelcomeCode    string
	UserID         string
	ExternalUserID string
	Text           string
	Attachments    []json.RawMessage
	SentAt         time.Time
}

// issueWelcomeLocked creates the WelcomeCode of an add event.
func (s *Sim) issueWelcomeLocked(now time.Time, userID, ext string) string {
	code := s.st.newID("", 43)
	s.st.welcome[code] = &welcomeRec{userID: userID, ext: ext, issued: now}
	return code
}

// apiSendWelcomeMsg mimics "发送新客户欢迎语" (POST send_welcome_msg): the
// code works once and only within 20 s of the event (41051 "externaluser
// has started chatting" otherwise); an unknown code, no content, or more
// than 9 attachments are 40058.
func (s *Sim) apiSendWelcomeMsg(c *call) result {
	var req struct {
		WelcomeCode string `json:"welcome_code"`
		Text        *struct {
			Content string `json:"content"`
		} `json:"text"`
		Attachments []json.RawMessage `json:"attachments"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	w := s.st.welcome[req.WelcomeCode]
	if w == nil {
		return errInvalidParam("invalid welcome_code")
	}
	text := ""
	if req.Text != nil {
		text = req.Text.Content
	}
	if (text == "" && len(req.Attachments) == 0) || len(req.Attachments) > 9 {
		return errInvalidParam("text or 1 to 9 attachments required")
	}
	if w.used || c.now.Sub(w.issued) > welcomeTTL {
		return fail(41051, "externaluser has started chatting")
	}
	w.used = true
	s.st.sentWelcome = append(s.st.sentWelcome, WelcomeMessage{WelcomeCode: req.WelcomeCode,
		UserID: w.userID, ExternalUserID: w.ext, Text: text, Attachments: req.Attachments, SentAt: c.now})
	return result{}
}

// WelcomeMessages returns the welcome messages sent so far.
func (s *Sim) WelcomeMessages() []WelcomeMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WelcomeMessage(nil), s.st.sentWelcome...)
}
