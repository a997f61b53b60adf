package handler

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

// oauthStart answers GET /oauth/start?next=: it remembers a fresh state in a short-lived HttpOnly cookie
// and sends the browser to WeCom's OAuth page (snsapi_base), which returns to /oauth/callback.
// The callback URL is built from the request's host, which must be a trusted domain (WeCom refuses others).
// In demo mode there is no WeCom client to sign in with: the demo picker stands in.
func (h *SidebarHandler) oauthStart(c *gin.Context) {
	if h.d.Demo {
		c.Redirect(http.StatusFound, "/demo/")
		return
	}
	if !h.d.JSAPI.TrustedHost(c.Request.Host) {
		fail(c, h.d.Log, service.Invalid("host", "not a trusted domain of the WeCom app"))
		return
	}
	start := h.d.Sessions.BeginLogin(c.Query("next"))
	scheme := "http"
	if isHTTPS(c) {
		scheme = "https"
	}
	redirect := (&url.URL{Scheme: scheme, Host: c.Request.Host, Path: "/oauth/callback"}).String()
	http.SetCookie(c.Writer, &http.Cookie{Name: stateCookie, Value: start.Cookie, Path: "/oauth/",
		MaxAge: int(sidebar.OAuthStateTTL.Seconds()), HttpOnly: true, Secure: isHTTPS(c), SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusFound, h.d.Sessions.AuthorizeURL(redirect, start.State))
}

// oauthCallback answers GET /oauth/callback?code=&state=: the state must match the cookie set by
// oauthStart, the code is resolved once with WeCom (auth/getuserinfo), and an active guide gets a session.
func (h *SidebarHandler) oauthCallback(c *gin.Context) {
	sc, _ := c.Cookie(stateCookie)
	tok, sess, next, err := h.d.Sessions.CompleteLogin(c.Request.Context(), c.Query("code"), c.Query("state"), sc)
	http.SetCookie(c.Writer, &http.Cookie{Name: stateCookie, Value: "", Path: "/oauth/", MaxAge: -1, HttpOnly: true})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	h.setSession(c, tok, int(h.d.Sessions.TTL().Seconds()))
	h.d.Log.InfoContext(c.Request.Context(), "guide signed in", "userid", sess.UserID)
	c.Redirect(http.StatusFound, next)
}
