package callback

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"strconv"
	"strings"
)

// Message is one decrypted callback: the union of the fields of the
// change_external_contact, change_external_chat, change_external_tag and
// change_contact events (企业微信 "客户联系 > 变更回调", "通讯录回调通知"), plus
// the few fields of plain messages (MsgId, Content, AgentID).
type Message struct {
	ToUserName   string
	FromUserName string
	CreateTime   int64
	MsgType      string
	Event        string
	ChangeType   string

	// change_external_contact
	UserID         string
	ExternalUserID string
	State          string
	WelcomeCode    string
	Source         string
	FailReason     string

	// change_external_chat
	ChatID        string `xml:"ChatId"`
	UpdateDetail  string
	JoinScene     int
	QuitScene     int
	MemChangeCnt  int
	MemChangeList []string `xml:"MemChangeList>Item"`
	LastMemVer    string
	CurMemVer     string

	// change_external_tag
	ID         string `xml:"Id"`
	TagType    string
	StrategyID int `xml:"StrategyId"`

	// change_contact
	NewUserID      string
	Name           string
	Department     string
	MainDepartment string
	IsLeaderInDept string
	Position       string
	Mobile         string
	Gender         string
	Email          string
	Status         string
	Avatar         string
	Alias          string
	Telephone      string
	Address        string

	// plain messages
	MsgID   string `xml:"MsgId"`
	AgentID string
	Content string
}

// ParseMessage reads decrypted callback XML (the output of Crypto.Open). It
// ignores unknown elements, leaves absent ints at zero and keeps every
// <Item> of MemChangeList. Malformed XML yields an *Error with ErrParseXML.
func ParseMessage(data []byte) (*Message, error) {
	var m Message
	if flatMessage(data, &m) {
		return &m, nil
	}
	m = Message{}
	if err := xml.Unmarshal(data, &m); err != nil {
		return nil, newErr(ErrParseXML, "message: "+err.Error())
	}
	return &m, nil
}

// kind says how Marshal writes an element and whether it may be omitted.
type kind int

const (
	cdataReq kind = iota // CDATA, always written
	cdataOpt             // CDATA, omitted when empty
	textOpt              // escaped text, omitted when empty
	intReq               // integer, always written
	intOpt               // integer, omitted when zero
	itemList             // MemChangeList, omitted when empty
)

// field is one element written by Marshal.
type field struct {
	name  string
	value string
	kind  kind
}

// fields lists m's elements in WeCom's order.
func (m *Message) fields() []field {
	scene := intOpt
	if m.Event == "change_external_chat" && m.ChangeType == "update" {
		scene = intReq // the official sample always carries the scene fields
	}
	itoa := strconv.Itoa
	return []field{
		{"ToUserName", m.ToUserName, cdataReq}, {"FromUserName", m.FromUserName, cdataReq},
		{"CreateTime", strconv.FormatInt(m.CreateTime, 10), intReq},
		{"MsgType", m.MsgType, cdataReq}, {"Event", m.Event, cdataOpt},
		{"ChangeType", m.ChangeType, cdataOpt},
		{"UserID", m.UserID, cdataOpt}, {"ExternalUserID", m.ExternalUserID, cdataOpt},
		{"State", m.State, cdataOpt}, {"WelcomeCode", m.WelcomeCode, cdataOpt},
		{"Source", m.Source, cdataOpt}, {"FailReason", m.FailReason, cdataOpt},
		{"ChatId", m.ChatID, cdataOpt}, {"UpdateDetail", m.UpdateDetail, cdataOpt},
		{"JoinScene", itoa(m.JoinScene), scene}, {"QuitScene", itoa(m.QuitScene), scene},
		{"MemChangeCnt", itoa(m.MemChangeCnt), scene}, {"MemChangeList", "", itemList},
		{"LastMemVer", m.LastMemVer, textOpt}, {"CurMemVer", m.CurMemVer, textOpt},
		{"Id", m.ID, cdataOpt}, {"TagType", m.TagType, cdataOpt},
		{"StrategyId", itoa(m.StrategyID), intOpt},
		{"NewUserID", m.NewUserID, cdataOpt}, {"Name", m.Name, cdataOpt},
		{"Department", m.Department, cdataOpt}, {"MainDepartment", m.MainDepartment, cdataOpt},
		{"IsLeaderInDept", m.IsLeaderInDept, cdataOpt}, {"Position", m.Position, cdataOpt},
		{"Mobile", m.Mobile, cdataOpt}, {"Gender", m.Gender, cdataOpt},
		{"Email", m.Email, cdataOpt}, {"Status", m.Status, cdataOpt},
		{"Avatar", m.Avatar, cdataOpt}, {"Alias", m.Alias, cdataOpt},
		{"Telephone", m.Telephone, cdataOpt}, {"Address", m.Address, cdataOpt},
		{"Content", m.Content, cdataOpt}, {"MsgId", m.MsgID, textOpt},
		{"AgentID", m.AgentID, textOpt},
	}
}

// Marshal renders m as WeCom-shaped XML: strings in CDATA as in the official
// samples, ints and version hashes as text, empty optional fields omitted.
// ParseMessage(m.Marshal()) yields m again.
func (m *Message) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("<xml>")
	for _, f := range m.fields() {
		switch {
		case f.kind == itemList:
			m.writeMemChangeList(&b)
			continue
		case (f.kind == cdataOpt || f.kind == textOpt) && f.value == "",
			f.kind == intOpt && f.value == "0":
			continue
		}
		b.WriteString("<" + f.name + ">")
		if f.kind == cdataReq || f.kind == cdataOpt {
			writeCDATA(&b, f.value)
		} else {
			_ = xml.EscapeText(&b, []byte(f.value)) // bytes.Buffer never fails
		}
		b.WriteString("</" + f.name + ">")
	}
	b.WriteString("</xml>")
	return b.Bytes()
}

// writeMemChangeList writes <MemChangeList><Item>…</Item>…</MemChangeList>.
func (m *Message) writeMemChangeList(b *bytes.Buffer) {
	if len(m.MemChangeList) == 0 {
		return
	}
	b.WriteString("<MemChangeList>")
	for _, it := range m.MemChangeList {
		b.WriteString("<Item>")
		_ = xml.EscapeText(b, []byte(it))
		b.WriteString("</Item>")
	}
	b.WriteString("</MemChangeList>")
}

// Key returns a unique deduplication key for the callback. WeCom's advice
// (FromUserName + CreateTime) collides for customer-contact events, whose
// FromUserName is always "sys", so events are keyed by
// Event|ChangeType|UserID|ExternalUserID|ChatId|Id|UpdateDetail|FailReason|
// Source|hash(MemChangeList)|CreateTime. Messages with a MsgId use it.
func (m *Message) Key() string {
	if m.MsgID != "" {
		return m.MsgID
	}
	members := ""
	if len(m.MemChangeList) > 0 {
		sum := sha256.Sum256([]byte(strings.Join(m.MemChangeList, "\x00")))
		members = hex.EncodeToString(sum[:8])
	}
	return strings.Join([]string{m.Event, m.ChangeType, m.UserID, m.ExternalUserID,
		m.ChatID, m.ID, m.UpdateDetail, m.FailReason, m.Source, members,
		strconv.FormatInt(m.CreateTime, 10)}, "|")
}
