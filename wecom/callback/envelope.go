package callback

import (
	"bytes"
	"encoding/xml"
)

// envelope is the encrypted body WeCom POSTs to a callback URL.
type envelope struct {
	XMLName    xml.Name `xml:"xml"`
	ToUserName string   `xml:"ToUserName"`
	Encrypt    string   `xml:"Encrypt"`
	AgentID    string   `xml:"AgentID"`
}

// Open handles an event POST (接收业务数据): it parses the
// <xml><ToUserName/><Encrypt/><AgentID/></xml> envelope, checks msg_signature
// over Encrypt, decrypts it and checks the receiveid. It returns the
// decrypted event XML, to be read with ParseMessage.
func (c *Crypto) Open(msgSignature, timestamp, nonce string, body []byte) ([]byte, error) {
	env, flat := flatEnvelope(body)
	if !flat {
		env = envelope{}
		if err := xml.Unmarshal(body, &env); err != nil {
			return nil, newErr(ErrParseXML, "envelope: "+err.Error())
		}
	}
	if env.Encrypt == "" {
		return nil, newErr(ErrParseXML, "envelope has no Encrypt")
	}
	if err := c.verify(msgSignature, timestamp, nonce, env.Encrypt); err != nil {
		return nil, err
	}
	return c.open(env.Encrypt)
}

// Seal builds the envelope WeCom would POST for msg (ToUserName = receiveID,
// empty AgentID) and its msg_signature. Simulators and tests use it to play
// WeCom's side of the protocol.
func (c *Crypto) Seal(msg []byte, timestamp, nonce string) (body []byte, msgSignature string, err error) {
	enc, err := c.Encrypt(msg)
	if err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	b.WriteString("<xml><ToUserName>")
	writeCDATA(&b, c.receiveID)
	b.WriteString("</ToUserName><Encrypt>")
	writeCDATA(&b, enc)
	b.WriteString("</Encrypt><AgentID>")
	writeCDATA(&b, "")
	b.WriteString("</AgentID></xml>")
	return b.Bytes(), c.Signature(timestamp, nonce, enc), nil
}

// writeCDATA writes s as CDATA sections. "]]>" is split across two sections;
// a carriage return, which parsers rewrite to "\n" inside CDATA, is written as
// a character reference; code points not allowed in XML and invalid UTF-8
// become U+FFFD. A parser therefore reads back exactly s for any valid-XML s.
func writeCDATA(b *bytes.Buffer, s string) {
	open := false
	openCDATA := func() {
		if !open {
			b.WriteString("<![CDATA[")
			open = true
		}
	}
	closeCDATA := func() {
		if open {
			b.WriteString("]]>")
			open = false
		}
	}
	for i, r := range s {
		switch {
		case r == '\r':
			closeCDATA()
			b.WriteString("&#xD;")
		case !isXMLChar(r):
			openCDATA()
			b.WriteRune(0xFFFD)
		case r == '>' && i >= 2 && s[i-2:i] == "]]":
			// End the section between "]]" and ">" so no "]]>" appears inside it.
			closeCDATA()
			openCDATA()
			b.WriteRune(r)
		default:
			openCDATA()
			b.WriteRune(r)
		}
	}
	openCDATA()
	closeCDATA()
}

// isXMLChar reports whether r is allowed in an XML 1.0 document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}
