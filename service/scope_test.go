package service_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
)

func TestScope(t *testing.T) {
	manager := service.Scope{UserID: "wangfang", Role: service.RoleStoreManager, Stores: []int64{2, 3}}
	admin := service.Scope{UserID: "boss", Role: service.RoleAdmin, All: true}
	nothing := service.Scope{UserID: "x", Role: service.RoleStoreManager}

	assert.True(t, manager.Allows(3))
	assert.False(t, manager.Allows(4))
	assert.False(t, manager.Allows(0), "a guide of no known store is a corp admin's")
	assert.True(t, admin.Allows(0))
	require.ErrorIs(t, manager.Check("case 7", 4), service.ErrForbidden)
	require.NoError(t, manager.Check("case 7", 2))
	require.ErrorIs(t, manager.RequireAll("reconcile"), service.ErrForbidden)
	require.NoError(t, admin.RequireAll("reconcile"))

	assert.Nil(t, admin.StoreFilter(), "no limit")
	assert.Equal(t, []int64{2, 3}, manager.StoreFilter())
	assert.Equal(t, []int64{}, nothing.StoreFilter(), "an empty scope matches nothing, it is not unlimited")

	assert.Equal(t, "all", admin.String())
	assert.Equal(t, "stores:2,3", manager.String())

	assert.True(t, service.ScopeOf(context.Background()).All, "work without a person behind it is not restricted")
	assert.Equal(t, manager, service.ScopeOf(service.WithScope(context.Background(), manager)))
}
