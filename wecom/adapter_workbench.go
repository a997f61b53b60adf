package wecom

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service/workbench"
)

// Materials adapts the client to the workbench's picture uploads (workbench.MediaUploader).
type Materials struct{ c *Client }

var _ workbench.MediaUploader = (*Materials)(nil)

// NewMaterials adapts c for the workbench.
func NewMaterials(c *Client) *Materials { return &Materials{c: c} }

// UploadImage is media/upload with type image. A refusal carries its reason in Chinese
// (service.Explained), chosen by errcode.
func (m *Materials) UploadImage(ctx context.Context, filename string, data []byte) (string, time.Time, error) {
	md, err := m.c.UploadMedia(ctx, "image", filename, data)
	if err != nil {
		return "", time.Time{}, explained(err, mediaReasons)
	}
	return md.MediaID, md.CreatedAt, nil
}
