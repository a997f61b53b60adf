package wecom_test

import (
	"crypto/sha1"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
)

func TestSign(t *testing.T) {
	// WeCom's published JS-SDK signature example (JS-SDK使用权限签名算法).
	const (
		ticket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
		nonce  = "Wm3WZYTPz0wzccnW"
		ts     = 1414587457
		want   = "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
	)
	tests := []struct {
		name string
		url  string
		want string
	}{
		{"published example", "http://mp.weixin.qq.com?params=value", want},
		{"fragment dropped", "http://mp.weixin.qq.com?params=value#/customer/1", want},
		{"empty fragment dropped", "http://mp.weixin.qq.com?params=value#", want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, wecom.Sign(ticket, nonce, ts, tt.url))
		})
	}
	t.Run("url signed verbatim, not encoded", func(t *testing.T) {
		url := "https://g.example.com/sidebar/?a=1&b=%E4%B8%AD&c=中"
		sum := sha1.Sum([]byte("jsapi_ticket=T&noncestr=N&timestamp=1&url=" + url))
		assert.Equal(t, hex.EncodeToString(sum[:]), wecom.Sign("T", "N", 1, url))
	})
}

func TestTicketsAreCached(t *testing.T) {
	e := newEnv(t)
	e.sim.SetTicketLimits(2, 2)
	corp1, err := e.client.CorpTicket(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, corp1)
	agent1, err := e.client.AgentTicket(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, agent1)
	assert.NotEqual(t, corp1, agent1)
	for range 5 {
		c, err := e.client.CorpTicket(ctx)
		require.NoError(t, err)
		assert.Equal(t, corp1, c)
		a, err := e.client.AgentTicket(ctx)
		require.NoError(t, err)
		assert.Equal(t, agent1, a)
	}
	assert.Equal(t, 1, e.rec.count("cgi-bin/get_jsapi_ticket"))
	assert.Equal(t, 1, e.rec.count("cgi-bin/ticket/get"))

	// A second client (another replica without Redis) has its own cache and
	// runs into WeCom's hourly ticket limit after the allowance is used.
	other := e.newClient(t)
	_, err = other.CorpTicket(ctx)
	require.NoError(t, err)
	third := e.newClient(t)
	_, err = third.CorpTicket(ctx)
	assert.Equal(t, wecom.CodeRateLimited, apiCode(t, err))
}
