package sim

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"time"
)

// serveRoot answers GET / with a short page saying what this address is. Every other path is an API,
// and an unknown one answers like WeCom (48001), which told a person opening the address in a browser
// nothing. The page shows no secret.
func (s *Sim) serveRoot(w http.ResponseWriter) {
	s.mu.Lock()
	members, customers, groups := len(s.st.users), len(s.st.custs), len(s.st.chats)
	s.mu.Unlock()
	callbacks := "none: events are recorded, not pushed"
	guidebox := ""
	if u, err := url.Parse(s.cfg.CallbackURL); err == nil && s.cfg.CallbackURL != "" {
		callbacks = html.EscapeString(s.cfg.CallbackURL)
		origin := (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
		guidebox = fmt.Sprintf(`<p>guidebox itself is at %[1]s: the offline demo's picker <a href="%[1]s/demo/">/demo/</a>, `+
			`the sidebar <a href="%[1]s/sidebar/">/sidebar/</a>, the admin pages <a href="%[1]s/admin">/admin</a>.</p>`, html.EscapeString(origin))
	}
	page := fmt.Sprintf(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>WeCom simulator · 企业微信模拟器</title>
<style>body{font:14px/1.6 system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;color:#1f2329}
code{background:#f2f3f5;padding:0 .3em}dt{float:left;width:9em;color:#8a9099}</style></head>
<body>
<h1>WeCom simulator · 企业微信模拟器</h1>
<p>This address is guidebox's stand-in for WeCom's server API (<code>https://qyapi.weixin.qq.com/</code>), for
the offline demo and the tests. It answers the <code>/cgi-bin/…</code> calls guidebox makes with WeCom's JSON,
errcodes, token expiry, rate limits and transfer rules, and pushes signed, encrypted callbacks.
It has no pages besides this one: any other path answers as WeCom does (<code>errcode 48001</code>).</p>
%s
<dl>
<dt>corp id</dt><dd><code>%s</code></dd>
<dt>agent id</dt><dd><code>%d</code></dd>
<dt>callbacks to</dt><dd>%s</dd>
<dt>corp</dt><dd>%d members, %d customers, %d customer groups</dd>
<dt>simulated time</dt><dd>%s</dd>
</dl>
</body></html>
`, guidebox, html.EscapeString(s.cfg.CorpID), s.cfg.AgentID, callbacks, members, customers, groups,
		s.clock.Now().Format(time.RFC3339))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(page))
}
