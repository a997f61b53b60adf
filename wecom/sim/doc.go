// Package sim is a local WeCom (企业微信) for tests, the offline demo and
// benchmarks. It serves the server APIs guidebox calls with WeCom's
// cgi-bin paths, JSON shapes and errcodes (shared/wecom-contract.md §3),
// applies WeCom's transfer rules on an injectable Clock, and pushes signed,
// encrypted callbacks to the service the way WeCom does, with retries.
// PowerWeChat v3 reaches it through Http.BaseURI.
//
// # Use
//
//	clock := sim.NewManualClock(t0)
//	s, err := sim.New(sim.Config{CorpID: "ww…", Secret: "…", Token: "…", AESKey: "…",
//		CallbackURL: "http://127.0.0.1:8080/wecom/callback", Clock: clock})
//	s.Load(sim.DemoCorp(1))            // silent bulk load (no callbacks)
//	srv := httptest.NewServer(s.Handler()) // or s.ListenAndServe(ctx, ":9100")
//	s.CustomerAddsGuide("zhangsan", sim.Customer{Name: "王小美"}, "qr1") // pushes add_external_contact
//	clock.Advance(24 * time.Hour); s.Tick()                             // transfers complete
//	s.Flush(ctx)                                                        // wait for pushes
//
// # Server APIs
//
// gettoken, user/get, department/list, media/upload, auth/getuserinfo, get_jsapi_ticket
// (GET or POST, also as //cgi-bin/…), ticket/get?type=agent_config, and
// under externalcontact/: get, batch/get_by_user, list,
// get_follow_user_list, remark, get_corp_tag_list, add_corp_tag,
// edit_corp_tag, del_corp_tag, mark_tag, transfer_customer,
// transfer_result, resigned/transfer_customer, resigned/transfer_result,
// get_unassigned_list, groupchat/list, groupchat/get, groupchat/transfer,
// groupchat/onjob_transfer, send_welcome_msg. Every answer is HTTP 200 with
// errcode and errmsg; every API but gettoken checks access_token (41001
// missing, 40014 unknown, 42001 expired) and a per-API, per-minute rate
// limit (45009). Each route function's comment names the WeCom doc page it
// mimics and its rules.
//
// # Errcodes the sim had to choose (WeCom does not document them)
//
//	40058  invalid parameter: too many ids (>100 per transfer or batch call),
//	       limit out of range, over-long remark/description/tag name,
//	       nothing to change, page_id*page_size ≥ 50000, unknown welcome_code
//	47001  malformed JSON body
//	48001  a path the sim does not simulate
//	60111  transfer APIs whose handover (in-service API) or takeover member is
//	       unknown or resigned: the member is gone from the directory. WeCom's
//	       global 60111 is "UserID不存在" for either member; its errmsg, which
//	       the sim words differently per member, must not be read (WeCom says
//	       errmsg may change): guidebox asks user/get about the taker instead.
//	       SetErrMsg scrambles every errmsg so tests can show that.
//	84061  remark/mark_tag when userid does not have the customer
//	40068  unknown or deleted tag id; 40071 tag name taken (edit)
//	40050  groupchat/get of an unknown or dismissed chat
//	45009  per chat, when a new owner already received 300 groups today
//	40128  per chat, a third onjob group transfer within 90 days
//	90501  per chat, unknown or dismissed chat in a group transfer
//	90502  per chat, onjob_transfer of a group whose owner resigned
//	90504  per chat, new_owner already owns the group
//
// # Modelling choices
//
//   - A transfer (either API) waits 24 h, then completes lazily on the next
//     request or Tick: refusal (SetRefuses) gives status 3 and transfer_fail
//     customer_refused; a takeover member at the SetCustomerLimit cap gives
//     status 4 and transfer_fail customer_limit_exceed; otherwise status 1,
//     the handover loses the edge (del_external_contact,
//     Source=DELETE_BY_TRANSFER, in-service only) and the taker gets a fresh
//     edge (add_way 202, no remark or tags copied; add_external_contact
//     unless already connected). Events carry the takeover time.
//   - The 90-day rule (2 transfers) applies to in-service customer
//     transfers and onjob group transfers; resigned flows are not limited.
//   - ResignUser removes the member from follow_user lists and user/get;
//     their customers appear in get_unassigned_list until inherited (hidden
//     while a transfer waits); their groups get status 1.
//   - CustomerDeletesGuide removes the edge (WeCom keeps a one-way contact).
//   - API changes (remark, mark_tag, corp tag APIs) push callbacks only with
//     Config.NotifyAPIChanges; console-side changes (the helpers) always do.
//   - gettoken returns the live token with its remaining lifetime.
//
// # Fault switches
//
// ExpireTokensNow (next call 42001, PowerWeChat refreshes once),
// SetRateLimit(path, perMinute) (45009 past it), SetTicketLimits,
// SetLatency(path, d), SetFail5xx(path, n) (HTTP 500), SetDrop(path, n)
// (connection closed without an answer); path may be AllPaths. On the
// push side: SetPushPaused, TakeQueued, Push, PushConcurrent. IssuedTokens
// lists every access token and ticket handed out, for leak checks.
//
// # Not simulated
//
// Permissions and visible ranges, the self-built-app-only-edits-its-own-tags
// rule, half adds (add_half_external_contact), strategy tags, licences
// (fail_info is always empty), department callbacks, and WeCom's AgentID in
// the callback envelope.
package sim
