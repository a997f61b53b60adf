package callback

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WeCom's envelopes and events are flat: <xml>, then one element per field holding a CDATA section
// or plain text, then </xml>. encoding/xml reads them at a few microseconds and a few dozen
// allocations each, the largest share of a callback's CPU after the database; scanFlat reads that
// shape directly. It accepts only documents where encoding/xml would read exactly the same values
// (no declaration, comment, attribute, entity, nesting, carriage return or character XML forbids)
// and says false for anything else, which then goes to encoding/xml as before: forged, odd or
// nested input (MemChangeList) is parsed, and refused, exactly as without it. Fuzzed against
// encoding/xml in flatxml_test.go.

// scanFlat calls field for each element of a flat <xml> document, in order, with the element's
// name and value (a sub-slice of doc). It returns false, having perhaps called field for some
// elements, when doc is not such a document or field returns false.
func scanFlat(doc []byte, field func(name string, value []byte) bool) bool {
	p := skipSpace(doc, 0)
	if !bytes.HasPrefix(doc[p:], []byte("<xml>")) {
		return false
	}
	p += len("<xml>")
	for {
		p = skipSpace(doc, p)
		if bytes.HasPrefix(doc[p:], []byte("</xml>")) {
			return skipSpace(doc, p+len("</xml>")) == len(doc)
		}
		// <Name>
		if p >= len(doc) || doc[p] != '<' {
			return false
		}
		end := p + 1
		for end < len(doc) && isNameByte(doc[end], end == p+1) {
			end++
		}
		if end == p+1 || end >= len(doc) || doc[end] != '>' {
			return false
		}
		name := doc[p+1 : end]
		p = end + 1
		// the value: one CDATA section, or plain text, or nothing
		var value []byte
		if bytes.HasPrefix(doc[p:], []byte("<![CDATA[")) {
			p += len("<![CDATA[")
			n := bytes.Index(doc[p:], []byte("]]>"))
			if n < 0 {
				return false
			}
			value = doc[p : p+n]
			p += n + len("]]>")
			if !plainChars(value, false) {
				return false
			}
		} else {
			n := bytes.IndexByte(doc[p:], '<')
			if n < 0 {
				return false
			}
			value = doc[p : p+n]
			p += n
			if !plainChars(value, true) {
				return false
			}
		}
		// </Name>
		if !bytes.HasPrefix(doc[p:], []byte("</")) || !bytes.HasPrefix(doc[p+2:], name) ||
			p+2+len(name) >= len(doc) || doc[p+2+len(name)] != '>' {
			return false
		}
		p += 3 + len(name)
		if !field(string(name), value) {
			return false
		}
	}
}

func skipSpace(doc []byte, p int) int {
	for p < len(doc) && (doc[p] == ' ' || doc[p] == '\t' || doc[p] == '\n') {
		p++
	}
	return p
}

// isNameByte allows ASCII letters (and digits and '_' after the first): every WeCom element name.
func isNameByte(c byte, first bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && (c >= '0' && c <= '9' || c == '_')
}

// plainChars reports whether v is valid UTF-8 of characters XML allows, without a carriage return
// (which XML rewrites), and, for text outside CDATA, without '&' or '>' (entities and the like).
func plainChars(v []byte, text bool) bool {
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' || text && (c == '&' || c == '>') {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		if r == utf8.RuneError && size <= 1 || !isXMLChar(r) {
			return false
		}
		i += size
	}
	return true
}

// flatEnvelope reads the Encrypt of a flat envelope; ok is false when body is not flat.
func flatEnvelope(body []byte) (env envelope, ok bool) {
	ok = scanFlat(body, func(name string, v []byte) bool {
		switch name {
		case "ToUserName":
			env.ToUserName = string(v)
		case "Encrypt":
			env.Encrypt = string(v)
		case "AgentID":
			env.AgentID = string(v)
		}
		return true
	})
	return env, ok
}

// flatMessage reads a flat event into m; ok is false when data is not flat or a number does not
// parse (encoding/xml then reports it). MemChangeList holds <Item>s: never flat.
func flatMessage(data []byte, m *Message) bool {
	return scanFlat(data, func(name string, v []byte) bool {
		var n *int
		switch name {
		case "MemChangeList":
			return false
		case "CreateTime":
			i, ok := parseXMLInt(v)
			m.CreateTime = i
			return ok
		case "JoinScene":
			n = &m.JoinScene
		case "QuitScene":
			n = &m.QuitScene
		case "MemChangeCnt":
			n = &m.MemChangeCnt
		case "StrategyId":
			n = &m.StrategyID
		default:
			if p := m.stringField(name); p != nil {
				*p = string(v)
			}
			return true // encoding/xml ignores elements Message has no field for
		}
		i, ok := parseXMLInt(v)
		*n = int(i)
		return ok
	})
}

// parseXMLInt parses an integer as encoding/xml does: empty is 0, surrounding space is trimmed.
func parseXMLInt(v []byte) (int64, bool) {
	if len(v) == 0 {
		return 0, true
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
	return n, err == nil
}

// stringField returns the string field encoding/xml would fill for element name, or nil.
func (m *Message) stringField(name string) *string {
	switch name {
	case "ToUserName":
		return &m.ToUserName
	case "FromUserName":
		return &m.FromUserName
	case "MsgType":
		return &m.MsgType
	case "Event":
		return &m.Event
	case "ChangeType":
		return &m.ChangeType
	case "UserID":
		return &m.UserID
	case "ExternalUserID":
		return &m.ExternalUserID
	case "State":
		return &m.State
	case "WelcomeCode":
		return &m.WelcomeCode
	case "Source":
		return &m.Source
	case "FailReason":
		return &m.FailReason
	case "ChatId":
		return &m.ChatID
	case "UpdateDetail":
		return &m.UpdateDetail
	case "LastMemVer":
		return &m.LastMemVer
	case "CurMemVer":
		return &m.CurMemVer
	case "Id":
		return &m.ID
	case "TagType":
		return &m.TagType
	case "NewUserID":
		return &m.NewUserID
	case "Name":
		return &m.Name
	case "Department":
		return &m.Department
	case "MainDepartment":
		return &m.MainDepartment
	case "IsLeaderInDept":
		return &m.IsLeaderInDept
	case "Position":
		return &m.Position
	case "Mobile":
		return &m.Mobile
	case "Gender":
		return &m.Gender
	case "Email":
		return &m.Email
	case "Status":
		return &m.Status
	case "Avatar":
		return &m.Avatar
	case "Alias":
		return &m.Alias
	case "Telephone":
		return &m.Telephone
	case "Address":
		return &m.Address
	case "MsgId":
		return &m.MsgID
	case "AgentID":
		return &m.AgentID
	case "Content":
		return &m.Content
	}
	return nil
}
