package sidebar_test

import (
	"context"
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
