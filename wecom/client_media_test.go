package wecom_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

var tinyPNG = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)

func TestUploadMedia(t *testing.T) {
	e := newEnv(t)
	m, err := e.client.UploadMedia(ctx, "image", "poster.png", tinyPNG)
	require.NoError(t, err)
	assert.Equal(t, "image", m.Type)
	assert.NotEmpty(t, m.MediaID)
	assert.Equal(t, e.sim.Now().Unix(), m.CreatedAt.Unix(), "created_at is a string in WeCom's answer")
	ups := e.sim.MediaUploads()
	require.Len(t, ups, 1)
	assert.Equal(t, sim.MediaUpload{MediaID: m.MediaID, Type: "image", Filename: "poster.png", Size: len(tinyPNG), CreatedAt: ups[0].CreatedAt}, ups[0])
	assert.True(t, e.sim.MediaValid(m.MediaID))

	// Megabytes through the race detector on a busy machine take longer than the tests' usual 2 s.
	big := e.clientWith(t, func(c *wecom.Config) { c.Timeout = time.Minute })
	for name, tt := range map[string]struct {
		typ  string
		data []byte
		code int
	}{
		"unknown type":         {"gif", tinyPNG, 40005},
		"empty file":           {"image", nil, 44001},
		"five bytes":           {"file", []byte("12345"), 40006},
		"image not JPG or PNG": {"image", []byte("GIF89a......"), 40004},
		"image over 10 MB":     {"image", append(tinyPNG, make([]byte, 10<<20)...), 40009},
		"voice over 2 MB":      {"voice", make([]byte, 2<<20+1), 45001},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := big.UploadMedia(ctx, tt.typ, "x.bin", tt.data)
			assert.Equal(t, tt.code, apiCode(t, err))
		})
	}
}
