package access

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
)

// The department tree: head office 1; region 10 under it with stores 2 and 3; store 4 under the head office.
type fakeStore struct{}

func (fakeStore) Stores(context.Context) ([]service.Store, error) {
	return []service.Store{{ID: 1, Name: "总部"}, {ID: 10, Name: "华东区", ParentID: 1}, {ID: 2, Name: "一店", ParentID: 10},
		{ID: 3, Name: "二店", ParentID: 10}, {ID: 4, Name: "三店", ParentID: 1}}, nil
}

func (fakeStore) ListAudit(context.Context, AuditFilter) ([]AuditEntry, error) { return nil, nil }

// fakeLeaders answers department/list's leaders, or fails; it counts the reads.
type fakeLeaders struct {
	led   map[string][]int64
	err   error
	reads int
}

func (f *fakeLeaders) DepartmentLeaders(context.Context) (map[string][]int64, error) {
	f.reads++
	return f.led, f.err
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	leaders := &fakeLeaders{led: map[string][]int64{"lead": {4}}}
	s, err := New(Config{Admins: []string{"boss"}, Managers: map[string][]int64{"region": {10}, "lead": {2}}, DepartmentLeaders: true,
		Now: func() time.Time { return now }}, fakeStore{}, leaders)
	require.NoError(t, err)

	sc, err := s.Resolve(ctx, "boss", "老板")
	require.NoError(t, err)
	assert.Equal(t, service.Scope{UserID: "boss", Name: "老板", Role: service.RoleAdmin, All: true}, sc)
	assert.Zero(t, leaders.reads, "a corp admin needs no WeCom read")

	sc, err = s.Resolve(ctx, "region", "")
	require.NoError(t, err)
	assert.Equal(t, []int64{2, 3, 10}, sc.Stores, "a region's manager manages the stores below it")
	sc, err = s.Resolve(ctx, "lead", "")
	require.NoError(t, err)
	assert.Equal(t, []int64{2, 4}, sc.Stores, "configured stores and the departments WeCom says they lead")
	_, err = s.Resolve(ctx, "guide", "")
	require.ErrorIs(t, err, service.ErrForbidden)
	assert.Equal(t, 1, leaders.reads, "department/list is read once for every member")

	leaders.led, leaders.err = nil, errors.New("wecom down")
	now = now.Add(10 * time.Minute)
	sc, err = s.Resolve(ctx, "lead", "")
	require.NoError(t, err)
	assert.Equal(t, []int64{2, 4}, sc.Stores, "the last answer stands while WeCom cannot be read")
	assert.Equal(t, 2, leaders.reads)
	_, _ = s.Resolve(ctx, "lead", "")
	assert.Equal(t, 2, leaders.reads, "and WeCom is not asked again on every request")
	now = now.Add(leaderRetry)
	_, _ = s.Resolve(ctx, "lead", "")
	assert.Equal(t, 3, leaders.reads, "but again after a while")
	assert.True(t, s.ManagesStores(ctx, "lead"))
	assert.False(t, s.ManagesStores(ctx, "guide"))

	fresh, err := New(Config{DepartmentLeaders: true}, fakeStore{}, &fakeLeaders{err: errors.New("wecom down")})
	require.NoError(t, err)
	_, err = fresh.Resolve(ctx, "lead", "")
	require.Error(t, err, "without any answer from WeCom a leader cannot be told from a guide")
	require.NotErrorIs(t, err, service.ErrForbidden)
}
