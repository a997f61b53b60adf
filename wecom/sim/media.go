package sim

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"time"
)

// MediaTTL is how long WeCom keeps a temporary media file: its media_id is valid for 3 days.
const MediaTTL = 72 * time.Hour

// Limits of temporary media (上传临时素材): every file larger than 5 bytes; images JPG or PNG up to
// 10 MB, voice 2 MB, video 10 MB, files 20 MB.
var mediaMax = map[string]int{"image": 10 << 20, "voice": 2 << 20, "video": 10 << 20, "file": 20 << 20}

// MediaUpload is a temporary media file the service uploaded, for tests to inspect.
type MediaUpload struct {
	MediaID   string
	Type      string
	Filename  string
	Size      int
	CreatedAt time.Time
}

// apiMediaUpload mimics "上传临时素材" (POST media/upload?type=, multipart/form-data with the file
// in the part named "media"): 40005 for an unknown type, 44001 without a file or with an empty one,
// 40006 for a file of 5 bytes or less, 40004 for an image that is not JPG or PNG, 40009 for an image
// over 10 MB, 45001 for other media over their limit. The answer's created_at is a string, as
// WeCom's; the media id is valid for MediaTTL.
func (s *Sim) apiMediaUpload(c *call) result {
	typ := c.q.Get("type")
	max, ok := mediaMax[typ]
	if !ok {
		return fail(40005, "invalid media type parameter")
	}
	name, data, err := mediaPart(c)
	if err != nil || len(data) == 0 {
		return fail(44001, "empty media data")
	}
	switch {
	case len(data) <= 5:
		return fail(40006, "invalid file size")
	case typ == "image" && !isJPEGOrPNG(data):
		return fail(40004, "invalid media type")
	case typ == "image" && len(data) > max:
		return fail(40009, "invalid image size")
	case len(data) > max:
		return fail(45001, "media size out of limit")
	}
	id := "3" + s.st.newID("", 63)
	s.st.media = append(s.st.media, MediaUpload{MediaID: id, Type: typ, Filename: name, Size: len(data), CreatedAt: c.now})
	return result{"type": typ, "media_id": id, "created_at": strconv.FormatInt(c.now.Unix(), 10)}
}

// mediaPart reads the file in the form part named "media".
func mediaPart(c *call) (string, []byte, error) {
	mt, params, err := mime.ParseMediaType(c.contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return "", nil, errors.New("not multipart/form-data")
	}
	r := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	for {
		p, err := r.NextPart()
		if err != nil {
			return "", nil, err
		}
		if p.FormName() != "media" {
			continue
		}
		data, err := io.ReadAll(p)
		return p.FileName(), data, err
	}
}

func isJPEGOrPNG(b []byte) bool {
	return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || bytes.HasPrefix(b, []byte("\xff\xd8\xff"))
}

// MediaUploads lists every temporary media file uploaded, oldest first.
func (s *Sim) MediaUploads() []MediaUpload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]MediaUpload(nil), s.st.media...)
}

// MediaValid reports whether a media id was uploaded and has not expired on the sim's clock.
func (s *Sim) MediaValid(mediaID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	for _, m := range s.st.media {
		if m.MediaID == mediaID {
			return now.Before(m.CreatedAt.Add(MediaTTL))
		}
	}
	return false
}
