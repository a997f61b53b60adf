package wecom

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ArtisanCloud/PowerLibs/v3/object"
	"github.com/ArtisanCloud/PowerWeChat/v3/src/kernel"
)

// Media is a temporary media file WeCom keeps for 3 days from CreatedAt.
type Media struct {
	Type      string
	MediaID   string
	CreatedAt time.Time
}

type uploadMediaResp struct {
	status
	Type      string `json:"type"`
	MediaID   string `json:"media_id"`
	CreatedAt any    `json:"created_at"` // a string in WeCom's documentation ("1380000000"); a number is taken too
}

// UploadMedia uploads a temporary media file: mediaType is image (JPG or PNG, up to 10 MB), voice,
// video or file; the media id it returns is valid for 3 days (上传临时素材,
// https://developer.work.weixin.qq.com/document/path/90253). The file goes as multipart/form-data in
// the part named "media" with its filename.
func (c *Client) UploadMedia(ctx context.Context, mediaType, filename string, data []byte) (*Media, error) {
	var out uploadMediaResp
	err := c.call(ctx, "cgi-bin/media/upload", &out, func(ctx context.Context, b *kernel.BaseClient) error {
		form := &kernel.UploadForm{FileName: "media", Contents: []*kernel.UploadContent{{Name: filename, Value: data}}}
		_, err := b.HttpUpload(ctx, "cgi-bin/media/upload", nil, form, &object.StringMap{"type": mediaType}, nil, &out)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Media{Type: out.Type, MediaID: out.MediaID, CreatedAt: unixOf(out.CreatedAt)}, nil
}

// unixOf reads Unix seconds given as a JSON string or number; the zero time when absent.
func unixOf(v any) time.Time {
	var n int64
	switch x := v.(type) {
	case string:
		n, _ = strconv.ParseInt(strings.TrimSpace(x), 10, 64)
	case float64:
		n = int64(x)
	}
	if n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}
