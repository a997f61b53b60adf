package jobs

import (
	"regexp"
	"strings"
)

// maxErrorText is how much of an error is recorded (runes).
const maxErrorText = 500

// secretParam matches credentials carried in URLs and messages: an access_token in a request URL
// that a transport error quotes, a corpsecret, a JS-SDK ticket, a password in a DSN.
var secretParam = regexp.MustCompile(`(?i)\b(access_token|corpsecret|secret|token|ticket|jsapi_ticket|password|passwd|key|sign|signature)=[^&\s"',;)]+`)

// dsnPassword matches the password of a go-sql-driver DSN (user:password@tcp(...)).
var dsnPassword = regexp.MustCompile(`([\w.-]+):[^@\s/:]+@(tcp|unix)\(`)

// ErrorText is err as recorded and logged: the configured secrets and credential-like parameters
// masked, on one line, at most 500 characters.
func ErrorText(err error, secrets ...string) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, sec := range secrets {
		if len(sec) >= 4 { // a short value would mask ordinary words
			msg = strings.ReplaceAll(msg, sec, "***")
		}
	}
	msg = secretParam.ReplaceAllString(msg, "$1=***")
	msg = dsnPassword.ReplaceAllString(msg, "$1:***@$2(")
	msg = strings.Join(strings.Fields(msg), " ")
	if r := []rune(msg); len(r) > maxErrorText {
		msg = string(r[:maxErrorText-1]) + "…"
	}
	return msg
}

func (s *Scheduler) errorText(err error) string { return ErrorText(err, s.cfg.Secrets...) }
