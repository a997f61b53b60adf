package sidebar_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/sidebar"
)

// TestSignJSAPIWeComExample checks the signature against the example WeCom publishes
// (JS-SDK使用权限签名算法, https://developer.work.weixin.qq.com/document/path/90506).
func TestSignJSAPIWeComExample(t *testing.T) {
	got := sidebar.SignJSAPI("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
		"Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value")
	assert.Equal(t, "0f9de62fce790f9a083d5c99e95740ceb90c27ed", got)
}

func TestTrustedURL(t *testing.T) {
	s := sidebar.NewJSAPIService(nil, "corp", 1, []string{"Sidebar.Example.com", "shop.example.com:8443", " "})
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://sidebar.example.com/sidebar/?a=1#/customer/x", "https://sidebar.example.com/sidebar/?a=1", true},
		{"https://sidebar.example.com:444/sidebar/", "https://sidebar.example.com:444/sidebar/", true},
		{"https://shop.example.com:8443/x", "https://shop.example.com:8443/x", true},
		{"https://shop.example.com/x", "", false},
		{"https://evil.sidebar.example.com/", "", false},
		{"ftp://sidebar.example.com/", "", false},
		{"https://user@sidebar.example.com/", "", false},
	}
	for _, tt := range tests {
		got, err := s.TrustedURL(tt.in)
		if !tt.ok {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got)
	}
}
