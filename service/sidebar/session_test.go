package sidebar_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

type guideFake map[string]service.Guide

func (g guideFake) GetGuide(_ context.Context, id string) (service.Guide, error) {
	if x, ok := g[id]; ok {
		return x, nil
	}
	return service.Guide{}, service.ErrNotFound
}

func TestSessionTokens(t *testing.T) {
	guides := guideFake{"amy": {UserID: "amy", Name: "Amy", Status: service.GuideActive},
		"bob": {UserID: "bob", Status: service.GuideResigned}}
	_, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte("short")}, nil, guides)
	require.Error(t, err, "a short key is refused")
	s, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte("0123456789abcdef0123"), TTL: time.Hour, Demo: true, Admins: []string{"amy"}}, nil, guides)
	require.NoError(t, err)
	tok, sess, err := s.DemoLogin(context.Background(), "amy")
	require.NoError(t, err)
	assert.True(t, sess.Admin)
	got, err := s.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, "amy", got.UserID)
	for _, bad := range []string{"", "x", tok + "x", "e30." + tok[len(tok)-43:], tok[:len(tok)-2] + "AA"} {
		_, err := s.Verify(bad)
		assert.ErrorIs(t, err, service.ErrUnauthenticated, bad)
	}
	_, _, err = s.DemoLogin(context.Background(), "bob")
	assert.ErrorIs(t, err, service.ErrForbidden, "resigned guides cannot sign in")
	_, _, err = s.DemoLogin(context.Background(), "carol")
	assert.ErrorIs(t, err, service.ErrForbidden, "members who are not guides cannot sign in")

	other, _ := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte("another-key-0123456789")}, nil, guides)
	_, err = other.Verify(tok)
	assert.ErrorIs(t, err, service.ErrUnauthenticated, "signed with another key")
	_, _, err = other.DemoLogin(context.Background(), "amy")
	assert.ErrorIs(t, err, service.ErrForbidden, "no demo login outside demo mode")
}

func TestSafeNext(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"sidebar page", "/sidebar/", "/sidebar/"},
		{"hash route", "/sidebar/#/customer/wm123", "/sidebar/#/customer/wm123"},
		{"admin with query", "/admin?case=3", "/admin?case=3"},
		{"admin pages", "/admin/", "/admin/"},
		{"encoded space in query", "/sidebar/?q=a%20b", "/sidebar/?q=a%20b"},
		{"empty", "", "/sidebar/"},
		{"relative", "sidebar/", "/sidebar/"},
		{"absolute URL", "https://evil.example/", "/sidebar/"},
		{"scheme-relative", "//evil.example/", "/sidebar/"},
		{"javascript", "javascript:alert(1)", "/sidebar/"},
		{"raw tab", "/\t/evil.example", "/sidebar/"},
		{"raw newline", "/\n/evil.example", "/sidebar/"},
		{"raw CR", "/sidebar/\r\nSet-Cookie: x=1", "/sidebar/"},
		{"encoded tab", "/%09/evil.example", "/sidebar/"},
		{"encoded newline", "/%0a/evil.example", "/sidebar/"},
		{"encoded newline in query", "/sidebar/?x=%0d%0aSet-Cookie:x", "/sidebar/"},
		{"encoded slashes", "/%2F%2Fevil.example", "/sidebar/"},
		{"encoded slash after one", "/%2Fevil.example", "/sidebar/"},
		{"raw backslash", "/\\evil.example", "/sidebar/"},
		{"encoded backslash", "/%5Cevil.example", "/sidebar/"},
		{"encoded backslash lower", "/%5cevil.example", "/sidebar/"},
		{"bad escape", "/sidebar/%zz", "/sidebar/"},
		{"DEL", "/\x7fevil", "/sidebar/"},
		{"unicode format control", "/\u202e/evil", "/sidebar/"},
		{"too long", "/" + strings.Repeat("a", 600), "/sidebar/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, sidebar.SafeNext(tt.in))
		})
	}
}
