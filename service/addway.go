package service

import "fmt"

// addWays names WeCom's add_way values (externalcontact/get follow_user.add_way).
var addWays = map[int]string{
	0: "未知来源", 1: "扫描二维码", 2: "搜索手机号", 3: "名片分享", 4: "群聊", 5: "手机通讯录", 6: "微信联系人",
	8: "第三方应用自动添加", 9: "邮箱", 10: "视频号主页", 16: "获客链接", 201: "内部成员共享", 202: "管理员/负责人分配",
}

// AddWayName is how a customer was added, in Chinese (the card and the timeline).
func AddWayName(way int) string {
	if n, ok := addWays[way]; ok {
		return n
	}
	return fmt.Sprintf("其他方式（%d）", way)
}
