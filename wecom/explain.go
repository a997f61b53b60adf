package wecom

import (
	"errors"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// What a guide reads when WeCom refuses an edit or an upload, by errcode (全局错误码,
// https://developer.work.weixin.qq.com/document/path/90313). Only codes decide; errmsg is never shown.
var (
	// remarkReasons explains externalcontact/remark's refusals.
	remarkReasons = map[int]string{
		84061: "该客户已不在你的企业微信联系人中，无法修改",
		40096: "客户信息无效，请刷新后重试",
		41035: "客户信息无效，请刷新后重试",
		60111: "你的企业微信账号不存在或已停用",
		40058: "内容不符合企业微信的要求：备注最多 20 个字，描述最多 150 个字",
		60103: "手机号格式不正确：只能包含数字、加号和减号",
	}
	// mediaReasons explains media/upload's refusals.
	mediaReasons = map[int]string{
		40004: "图片格式不受支持，请使用 JPG 或 PNG 图片",
		40005: "图片格式不受支持，请使用 JPG 或 PNG 图片",
		40123: "图片格式不受支持，请使用 JPG 或 PNG 图片",
		40006: "图片大小不符合企业微信的要求",
		40009: "图片大小不符合企业微信的要求",
		45001: "图片大小不符合企业微信的要求",
		44001: "图片是空的，请重新上传",
	}
	// commonReasons explains what any call may meet.
	commonReasons = map[int]string{
		CodeSystemBusy:       "企业微信系统繁忙，请稍后再试",
		CodeRateLimited:      "企业微信调用太频繁，请稍后再试",
		CodeConcurrencyLimit: "企业微信调用太频繁，请稍后再试",
		48002:                "应用没有这项企业微信权限，请联系管理员",
		48006:                "应用的企业微信权限已被收回，请联系管理员",
		60011:                "应用没有这项企业微信权限，请联系管理员",
		60020:                "服务器 IP 不在企业微信的白名单中，请联系管理员",
		CodeInvalidToken:     "企业微信暂时无法验证身份，请稍后再试",
		CodeTokenExpired:     "企业微信暂时无法验证身份，请稍后再试",
	}
)

// explained wraps a client error for a domain with the Chinese reason of its errcode (from reasons,
// then the common ones); a failure without an errcode says WeCom could not be reached.
func explained(err error, reasons map[int]string) error {
	var ae *APIError
	if !errors.As(err, &ae) {
		return &service.Explained{Message: "暂时无法连接企业微信，请稍后再试", Err: upstream(err)}
	}
	msg, ok := reasons[ae.Code]
	if !ok {
		msg, ok = commonReasons[ae.Code]
	}
	if !ok {
		msg = fmt.Sprintf("企业微信拒绝了这次操作（错误码 %d）", ae.Code)
	}
	return &service.Explained{Message: msg, Err: fmt.Errorf("%w: %w", service.ErrUpstream, &service.WeComError{Code: ae.Code, Msg: ae.Msg})}
}
