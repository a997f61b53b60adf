package timeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/guidebox/guidebox/service"
)

// entryOf turns a row into the entry guide me reads: a title and a text in Chinese, names not ids.
func entryOf(r Row, me string) Entry {
	e := Entry{ID: r.ID, At: r.At, Kind: r.Kind, GuideUserID: r.UserID, GuideName: orID(r.GuideName, r.UserID),
		GuideResigned: r.GuideResigned, Mine: r.UserID == me, By: byOf(r)}
	d := r.Detail
	switch r.Kind {
	case service.ActivityCustomerAdded:
		e.Title = "添加为客户"
		way := service.AddWayName(num(d["add_way"]))
		if ch := orID(r.ChannelName, r.Ref); ch != "" {
			e.Text = "渠道：" + ch + " · " + way
		} else {
			e.Text = "方式：" + way
		}
	case service.ActivityCustomerDeletedGuide:
		e.Title = "客户删除了导购"
	case service.ActivityGuideDeletedCustomer:
		e.Title = "导购删除了客户"
	case service.ActivityRemarkChanged:
		e.Title, e.Text = "修改了备注", remarkText(d)
	case service.ActivityTagsChanged:
		e.Title, e.Text = "标签变更", tagsText(d)
	case service.ActivityGroupJoined:
		e.Title = "加入群聊「" + orID(str(d["group"]), "未命名群聊") + "」"
	case service.ActivityGroupLeft:
		e.Title = "退出群聊「" + orID(str(d["group"]), "未命名群聊") + "」"
	case service.ActivityProductShared:
		e.Title, e.Text = "分享了商品", str(d["product"])+inGroup(d)
	case service.ActivityReplySent:
		e.Title, e.Text = "发送了话术", str(d["title"])+inGroup(d)
	case service.ActivityMaterialSent:
		e.Title, e.Text = "发送了素材", str(d["title"])+inGroup(d)
	case service.ActivityOrderPaid:
		e.Title, e.Text = "下单付款 "+yuan(d["amount_fen"]), orderText(d)
	case service.ActivityOrderRefunded:
		e.Title, e.Text = "订单退款 "+yuan(d["amount_fen"]), orderText(d)
	case service.ActivityNoteAdded:
		e.Title, e.Text = "跟进记录", noteText(d)
	case service.ActivityCustomerTransferred:
		e.Title = "由 " + orID(r.FromName, orID(r.Ref, "其他导购")) + " 转接给 " + e.GuideName
	case service.ActivityCustomerInherited:
		e.Title = "由 " + orID(r.FromName, orID(r.Ref, "离职导购")) + " 离职继承给 " + e.GuideName
	default:
		e.Title = r.Kind
	}
	return e
}

// byOf says who acted: a guide by name, a rule by name, WeCom, an admin or the system.
func byOf(r Row) string {
	switch r.ActorKind {
	case service.ActorGuide:
		return "导购 " + orID(r.ActorName, r.ActorID)
	case service.ActorRule:
		if n := str(r.Detail["rule"]); n != "" {
			return "自动标签「" + n + "」"
		}
		return "自动标签"
	case service.ActorWeCom:
		return "企业微信"
	case service.ActorAdmin:
		return "管理员"
	case service.ActorSystem:
		return "系统"
	}
	return ""
}

func remarkText(d map[string]any) string {
	var parts []string
	if v, ok := d["remark"]; ok {
		parts = append(parts, "备注："+orID(str(v), "（清空）"))
	}
	if v, ok := d["description"]; ok && str(v) != "" {
		parts = append(parts, "描述："+str(v))
	}
	if b, _ := d["mobiles_changed"].(bool); b {
		parts = append(parts, "手机号已更新")
	}
	return strings.Join(parts, "；")
}

func tagsText(d map[string]any) string {
	var parts []string
	if l := strs(d["added"]); len(l) > 0 {
		parts = append(parts, "添加 "+strings.Join(l, "、"))
	}
	if l := strs(d["removed"]); len(l) > 0 {
		parts = append(parts, "移除 "+strings.Join(l, "、"))
	}
	return strings.Join(parts, "；")
}

func orderText(d map[string]any) string {
	text := strings.Join(strs(d["items"]), "、")
	if st := str(d["store"]); st != "" {
		if text != "" {
			text += " · "
		}
		text += st
	}
	return text
}

func noteText(d map[string]any) string {
	text := str(d["body"])
	if st := str(d["stage"]); st != "" {
		text += "（阶段：" + st + "）"
	}
	if ms := num(d["next_at"]); ms > 0 {
		text += "；下次跟进 " + time.UnixMilli(int64(ms)).In(cst).Format("1月2日 15:04")
	}
	return text
}

// cst is China Standard Time, the corp's clock for the dates written into texts.
var cst = time.FixedZone("CST", 8*3600)

func inGroup(d map[string]any) string {
	if str(d["chat_id"]) != "" {
		return "（群聊）"
	}
	return ""
}

func yuan(v any) string {
	fen := num(v)
	return fmt.Sprintf("¥%d.%02d", fen/100, fen%100)
}

func orID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// num reads a JSON number (float64 once decoded) or an int.
func num(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case int:
		return x
	case int64:
		return int(x)
	}
	return 0
}

func strs(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, s := range x {
			if t, ok := s.(string); ok {
				out = append(out, t)
			}
		}
		return out
	}
	return nil
}
