package wecom

import (
	"testing"
	"time"

	"github.com/ArtisanCloud/PowerLibs/v3/cache"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemCache(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := newMemCache()
	m.now = func() time.Time { return now }

	// PowerWeChat stores a token struct and reads it back as a JSON map.
	type token struct {
		AccessToken string  `json:"access_token"`
		ExpiresIn   float64 `json:"expires_in"`
	}
	require.NoError(t, m.Set("tok", token{"abc", 7200}, time.Hour))
	assert.True(t, m.Has("tok"))
	v, err := m.Get("tok", nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"access_token": "abc", "expires_in": 7200.0}, v)

	now = now.Add(time.Hour)
	assert.False(t, m.Has("tok"), "expired at exactly its TTL")
	_, err = m.Get("tok", nil)
	assert.ErrorIs(t, err, cache.ErrCacheMiss)

	require.NoError(t, m.Set("forever", "x", 0))
	now = now.Add(1000 * time.Hour)
	assert.True(t, m.Has("forever"))

	assert.True(t, m.AddNX("nx", 1, time.Minute))
	assert.False(t, m.AddNX("nx", 2, time.Minute))
	assert.ErrorIs(t, m.Add("nx", 3, time.Minute), cache.ErrNotStored)
	require.NoError(t, m.Add("add", 4, time.Minute))
	v, _ = m.Get("nx", nil)
	assert.Equal(t, 1.0, v)

	calls := 0
	fn := func() (any, error) { calls++; return "computed", nil }
	v, err = m.Remember("r", time.Minute, fn)
	require.NoError(t, err)
	assert.Equal(t, "computed", v)
	v, err = m.Remember("r", time.Minute, fn)
	require.NoError(t, err)
	assert.Equal(t, "computed", v)
	assert.Equal(t, 1, calls)

	assert.Error(t, m.Set("bad", func() {}, 0), "values must be JSON-encodable")
}

func TestTicketTTL(t *testing.T) {
	tests := []struct {
		in   int64
		want time.Duration
	}{
		{7200, 6700 * time.Second},
		{0, 6700 * time.Second},
		{1000, 500 * time.Second},
		{600, 300 * time.Second},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ticketTTL(tt.in), tt.in)
	}
}
