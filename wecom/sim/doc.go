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
// groupchat/onjob_transfer, send_welcome_msg, and 企业群发 (below):
// add_msg_template, get_groupmsg_list_v2, get_groupmsg_task,
// get_groupmsg_send_result, remind_groupmsg_send, cancel_groupmsg_send. Every answer is HTTP 200 with
// errcode and errmsg; every API but gettoken checks access_token (41001
// missing, 40014 unknown, 42001 expired) and WeCom's call limits per API
// (Config.Limits, see Limits): per corp 10 000 a minute and 150 000 an hour,
// per caller IP 20 000 and 600 000; past one, 45009 and WeCom's block (60 s
// after a minute's limit, 60 minutes after an hour's). auth/getuserinfo is
// exempt, as WeCom exempts valid codes. Each route function's comment names
// the WeCom doc page it mimics and its rules.
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
//	701008 batch/get_by_user when no member asked for has an interop license
//	       (SetUnlicensed); with some licensed, the others are listed in
//	       fail_info.unlicensed_userid_list and their customers left out
//	40068  unknown or deleted tag id; 40071 tag name taken (edit)
//	40050  groupchat/get of an unknown or dismissed chat
//	45009  per chat, when a new owner already received 300 groups today
//	40128  per chat, a third onjob group transfer within 90 days
//	90501  per chat, unknown or dismissed chat in a group transfer
//	90502  per chat, onjob_transfer of a group whose owner resigned
//	90504  per chat, new_owner already owns the group
//	40058  企业群发: chat_type group, no sender, an unknown msgid, a fourth
//	       remind within 24 h, reminding a stopped 群发, start/end_time
//	       missing or more than a month apart (WeCom documents these limits,
//	       not their errcodes)
//	40063  add_msg_template with neither text nor attachments (参数为空)
//	60111  add_msg_template from an unknown or departed sender
//	41048  add_msg_template with no customer left to send to (无可发送的客户)
//
// # 企业群发 (mass messages to customers)
//
// Rules modelled, from 创建企业群发 (https://developer.work.weixin.qq.com/document/path/92135),
// 获取群发记录列表 / 获取群发成员发送任务列表 / 获取企业群发成员执行结果 (…/93338), 提醒成员群发
// (…/97610) and 停止企业群发 (…/97611):
//
//   - add_msg_template creates a task and notifies the member; nothing reaches a customer until
//     the member confirms sending in the WeCom client. Tests play that with ConfirmGroupMsg(userid,
//     msgid); a member who never confirms leaves every customer at status 0 (未发送) and the member
//     at task status 0.
//   - Per call: chat_type single, at most 10 000 external_userid, text.content at most 4000 bytes,
//     at most 9 attachments each matching its msgtype (image media_id or pic_url; link title and
//     url; miniprogram title, pic_media_id, appid, page; video and file media_id), text or
//     attachments required. Only a sender selects all of the sender's customers. Customers who are
//     unknown or not the sender's are returned in fail_list; none left is 41048.
//   - 群发规则: a customer receives at most as many 群发 a natural month as it has days (WeCom's
//     default), or 7 a natural week, or 1 a natural day (SetGroupMsgRule), in Beijing time. A
//     customer over it gets status 3 (因客户已经收到其他群发消息导致发送失败) when the member sends; a
//     customer no longer the member's gets status 2 (不是好友).
//   - get_groupmsg_list_v2: start_time to end_time at most a month, limit ≤100 (default 50);
//     get_groupmsg_task and get_groupmsg_send_result: limit ≤1000 (default 500); a limit of 0 or
//     over the maximum takes the default; every list pages with next_cursor ("" on the last page).
//     API-made 群发 are 企业发表 (create_type 0) and carry no creator.
//   - remind_groupmsg_send notifies members who have not sent, at most 3 times per 群发 in 24 h;
//     cancel_groupmsg_send stops what is unsent and cannot recall what was sent.
//
// Not simulated for 群发: chat_type group (customer groups), allow_select, tag_filter, the
// assignment of customers to the member who last chatted with them when no sender is named,
// 个人发表, and expiry of an unsent task.
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
// SetLimits(path, Limits) and SetRateLimit(path, perMinute) (45009 past
// them), SetTicketLimits,
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
