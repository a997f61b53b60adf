package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// route is one simulated API.
type route struct {
	fn      func(*call) result
	noToken bool // gettoken itself
	noRate  bool // exempt from the call limits
}

// call is one API request as the route functions see it.
type call struct {
	path        string
	ip          string // the caller's source IP
	q           url.Values
	body        []byte
	contentType string
	now         time.Time
}

// result is a JSON object answer; errcode/errmsg default to 0/"ok".
type result map[string]any

// fail is WeCom's error answer: HTTP 200 with a non-zero errcode.
func fail(code int, msg string) result { return result{"errcode": code, "errmsg": msg} }

// errInvalidParam is the sim's answer for out-of-range parameters (too many
// ids, too long a remark, a bad limit): WeCom's 40058 "不合法的参数".
func errInvalidParam(msg string) result { return fail(40058, "invalid parameter: "+msg) }

// Handler returns the HTTP handler serving WeCom's cgi-bin paths. Leading
// slashes are collapsed before routing, so PowerWeChat's
// "//cgi-bin/get_jsapi_ticket" works without a redirect. Every answer is
// HTTP 200 with errcode and errmsg, except what the fault switches inject.
func (s *Sim) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Sim) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := "/" + strings.TrimLeft(r.URL.Path, "/")
	if r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		s.serveRoot(w)
		return
	}
	// The body is read before faults apply: only then does net/http watch the
	// connection, so injected latency ends when the client gives up on a POST.
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if s.faults.inject(w, r, path) {
		return
	}
	if err != nil {
		writeJSON(w, fail(47001, "data format error: "+err.Error()))
		return
	}
	rt, ok := s.routes[path]
	if !ok {
		writeJSON(w, fail(48001, "api forbidden: "+path+" is not simulated"))
		return
	}
	c := &call{path: path, ip: remoteIP(r.RemoteAddr), q: r.URL.Query(), body: body, contentType: r.Header.Get("Content-Type")}
	s.mu.Lock()
	c.now = s.clock.Now()
	s.completeDueLocked()
	res := s.dispatchLocked(rt, c)
	s.unlockAndPush()
	s.calls.count(path, res)
	s.faults.rewriteErrMsg(res)
	writeJSON(w, res)
}

// dispatchLocked checks the access token and the call limits, then runs rt.
func (s *Sim) dispatchLocked(rt route, c *call) result {
	if !rt.noToken {
		if res := s.checkTokenLocked(c); res != nil {
			return res
		}
	}
	if !rt.noRate && !s.limits.allow(c.path, c.ip, c.now) {
		return fail(45009, "api freq out of limit")
	}
	return rt.fn(c)
}

// writeJSON writes res with errcode/errmsg always present (PowerWeChat's
// ticket code panics without errcode).
func writeJSON(w http.ResponseWriter, res result) {
	if _, ok := res["errcode"]; !ok {
		res["errcode"] = 0
	}
	if _, ok := res["errmsg"]; !ok {
		res["errmsg"] = "ok"
	}
	b, err := json.Marshal(res)
	if err != nil {
		b = []byte(`{"errcode":-1,"errmsg":"system error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// decode reads the JSON body into v. An empty body is an empty object;
// nulls leave fields at zero. Malformed JSON is WeCom's 47001.
func (c *call) decode(v any) result {
	b := bytes.TrimSpace(c.body)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fail(47001, "data format error: "+err.Error())
	}
	return nil
}

// flexInt is an integer JSON field that also accepts a quoted number, an
// empty string or null (all seen from real clients).
type flexInt int64

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	*f = flexInt(n)
	return nil
}

// unix returns t in Unix seconds, 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// buildRoutes maps every simulated path to its function.
func (s *Sim) buildRoutes() map[string]route {
	const ec = "/cgi-bin/externalcontact/"
	r := map[string]route{
		"/cgi-bin/gettoken":               {fn: s.apiGetToken, noToken: true},
		"/cgi-bin/get_jsapi_ticket":       {fn: s.apiJSAPITicket},
		"/cgi-bin/ticket/get":             {fn: s.apiAgentTicket},
		"/cgi-bin/auth/getuserinfo":       {fn: s.apiGetUserInfo, noRate: true},
		"/cgi-bin/user/get":               {fn: s.apiUserGet},
		"/cgi-bin/department/list":        {fn: s.apiDepartmentList},
		"/cgi-bin/media/upload":           {fn: s.apiMediaUpload},
		ec + "get":                        {fn: s.apiContactGet},
		ec + "batch/get_by_user":          {fn: s.apiBatchGetByUser},
		ec + "list":                       {fn: s.apiContactList},
		ec + "get_follow_user_list":       {fn: s.apiFollowUserList},
		ec + "remark":                     {fn: s.apiRemark},
		ec + "get_corp_tag_list":          {fn: s.apiGetCorpTagList},
		ec + "add_corp_tag":               {fn: s.apiAddCorpTag},
		ec + "edit_corp_tag":              {fn: s.apiEditCorpTag},
		ec + "del_corp_tag":               {fn: s.apiDelCorpTag},
		ec + "mark_tag":                   {fn: s.apiMarkTag},
		ec + "transfer_customer":          {fn: s.apiTransferCustomer},
		ec + "transfer_result":            {fn: s.apiTransferResult},
		ec + "resigned/transfer_customer": {fn: s.apiResignedTransferCustomer},
		ec + "resigned/transfer_result":   {fn: s.apiResignedTransferResult},
		ec + "get_unassigned_list":        {fn: s.apiUnassignedList},
		ec + "groupchat/list":             {fn: s.apiGroupChatList},
		ec + "groupchat/get":              {fn: s.apiGroupChatGet},
		ec + "groupchat/transfer":         {fn: s.apiGroupChatTransfer},
		ec + "groupchat/onjob_transfer":   {fn: s.apiGroupChatOnjobTransfer},
		ec + "send_welcome_msg":           {fn: s.apiSendWelcomeMsg},
		ec + "add_msg_template":           {fn: s.apiAddMsgTemplate},
		ec + "get_groupmsg_list_v2":       {fn: s.apiGroupMsgListV2},
		ec + "get_groupmsg_task":          {fn: s.apiGroupMsgTask},
		ec + "get_groupmsg_send_result":   {fn: s.apiGroupMsgSendResult},
		ec + "remind_groupmsg_send":       {fn: s.apiRemindGroupMsgSend},
		ec + "cancel_groupmsg_send":       {fn: s.apiCancelGroupMsgSend},
	}
	return r
}
