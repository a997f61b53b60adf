package wecom

import (
	"errors"
	"fmt"
)

// ErrCodeTransport is the errcode passed to an Observer when a call failed
// before WeCom answered with an errcode (network error, timeout, non-200
// status, undecodable body). WeCom itself never returns it; its -1 means
// "system busy".
const ErrCodeTransport = -2

// APIError is a WeCom business error: the call reached WeCom, which answered
// HTTP 200 with a non-zero errcode (全局错误码,
// https://developer.work.weixin.qq.com/document/path/90313).
type APIError struct {
	Code     int
	Msg      string
	Endpoint string
}

// Error implements the error interface.
func (e *APIError) Error() string {
	return fmt.Sprintf("wecom %s: errcode %d: %s", e.Endpoint, e.Code, e.Msg)
}

// IsCode reports whether err is, or wraps, an *APIError with one of codes.
func IsCode(err error, codes ...int) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.Code == c {
			return true
		}
	}
	return false
}

// codeOf returns the errcode to report for err: the APIError code, or
// ErrCodeTransport for any other failure, or 0 for nil.
func codeOf(err error) int {
	var ae *APIError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ae):
		return ae.Code
	default:
		return ErrCodeTransport
	}
}

// Frequently checked WeCom errcodes.
const (
	CodeSystemBusy        = -1     // 系统繁忙
	CodeInvalidSecret     = 40001  // invalid credential / secret
	CodeInvalidCorpID     = 40013  // invalid corpid
	CodeInvalidToken      = 40014  // invalid access_token
	CodeInvalidCode       = 40029  // invalid OAuth code
	CodeTokenExpired      = 42001  // access_token expired
	CodeRateLimited       = 45009  // API frequency limit
	CodeConcurrencyLimit  = 45033  // API concurrency limit
	CodeWelcomeTooLate    = 41051  // externaluser has started chatting
	CodeUserNotFound      = 60111  // userid not found
	CodeNoLicensedUser    = 701008 // no licensed user in batch/get_by_user
	CodeTooManyFollowers  = 81017  // groupchat/list without owner_filter over 1000 members
	CodeTransferTooOften  = 40128  // customer transferred twice in 90 days
	CodeTransferRunning   = 40129  // transfer in progress
	CodeTransferSameUser  = 40130  // handover == takeover
	CodeNotFollower       = 40131  // handover is not the customer's follower
	CodeHandoverNotLeft   = 40097  // resigned flow: handover has not resigned
	CodeInvalidExternalID = 40096  // invalid external_userid
)
