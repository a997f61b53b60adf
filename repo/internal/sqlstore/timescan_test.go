package sqlstore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDBTimeScansEveryDriversShape(t *testing.T) {
	want := time.Date(2026, 11, 23, 14, 49, 39, 242016387, time.UTC)
	for _, v := range []any{want, want.In(time.FixedZone("CST", 8*3600)), "2026-11-23 14:49:39.242016387+00:00",
		[]byte("2026-11-23 14:49:39.242016387"), "2026-11-23T14:49:39.242016387Z"} {
		var d Time
		require.NoError(t, d.Scan(v), "%#v", v)
		require.NotNil(t, d.T)
		assert.True(t, want.Equal(*d.T), "%#v gave %v", v, d.T)
	}
	var d Time
	require.NoError(t, d.Scan(nil))
	assert.Nil(t, d.T)
	assert.Error(t, d.Scan("yesterday"))
	assert.Error(t, d.Scan(42))
}
