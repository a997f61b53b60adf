package workbench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Image limits: WeCom takes JPG and PNG as temporary image media (media/upload); the sidebar keeps
// pictures small so they preview fast.
const (
	maxImageBytes = 2 << 20
	minImageBytes = 5 // WeCom: every file larger than 5 bytes
	// mediaTTL is how long WeCom keeps a temporary media id; mediaMargin re-uploads ahead of it, so a
	// guide never sends an id that expires on the way.
	mediaTTL    = 72 * time.Hour
	mediaMargin = time.Hour
)

var (
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
	jpegMagic = []byte("\xff\xd8\xff")
)

// imageType tells a PNG or a JPEG by its first bytes.
func imageType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, pngMagic):
		return "image/png"
	case bytes.HasPrefix(data, jpegMagic):
		return "image/jpeg"
	}
	return ""
}

// PutImage stores the picture of an image material the caller may edit (a PNG or JPEG up to 2 MiB);
// the next send uploads it to WeCom.
func (s *Service) PutImage(ctx context.Context, a Actor, itemID int64, data []byte, corp bool) error {
	it, err := s.ownedItem(ctx, a, itemID, corp)
	if err != nil {
		return err
	}
	if it.Kind != KindImage {
		return service.Invalid("item", "only image materials have a picture")
	}
	ct := imageType(data)
	switch {
	case len(data) <= minImageBytes || len(data) > maxImageBytes:
		return service.Invalid("image", "a picture of up to 2 MiB")
	case ct == "":
		return service.Invalid("image", "a JPG or PNG picture")
	}
	if err := s.store.PutImage(ctx, itemID, ct, data); err != nil {
		return fmt.Errorf("store picture of item %d: %w", itemID, err)
	}
	return nil
}

// Image reads the picture of an image material the guide may see.
func (s *Service) Image(ctx context.Context, a Actor, itemID int64) (Image, error) {
	if _, err := s.visibleItem(ctx, a, itemID); err != nil {
		return Image{}, err
	}
	img, err := s.store.GetImage(ctx, itemID)
	if err != nil {
		return Image{}, fmt.Errorf("picture of item %d: %w", itemID, err)
	}
	return img, nil
}

// checkTarget checks guide a may send into the target: a customer they follow now, or a group they
// own or belong to.
func (s *Service) checkTarget(ctx context.Context, a Actor, t Target) error {
	if (t.ExternalUserID == "") == (t.ChatID == "") {
		return service.Invalid("external_userid", "give either external_userid or chat_id")
	}
	if t.ExternalUserID != "" {
		return s.canWrite(ctx, a.UserID, t.ExternalUserID)
	}
	if err := checkWeComID("chat_id", t.ChatID); err != nil {
		return err
	}
	in, err := s.store.InGroup(ctx, a.UserID, t.ChatID)
	if err != nil {
		return fmt.Errorf("group %s: %w", t.ChatID, err)
	}
	if !in {
		return fmt.Errorf("group %s not joined by %s: %w", t.ChatID, a.UserID, service.ErrForbidden)
	}
	return nil
}

// Message prepares what the sidebar passes to the JS-SDK's sendChatMessage for an item the guide
// sees, into a chat the guide may send to. An image is uploaded to WeCom once and its media id reused
// until an hour before WeCom forgets it (3 days).
func (s *Service) Message(ctx context.Context, a Actor, itemID int64, t Target) (Message, error) {
	it, err := s.visibleItem(ctx, a, itemID)
	if err != nil {
		return Message{}, err
	}
	if err := s.checkTarget(ctx, a, t); err != nil {
		return Message{}, err
	}
	switch it.Kind {
	case KindText:
		return Message{MsgType: "text", Content: it.Content}, nil
	case KindLink:
		return Message{MsgType: "news", Title: it.Title, Desc: it.Content, Link: it.URL, ImgURL: it.PicURL}, nil
	case KindMiniProgram:
		return Message{MsgType: "miniprogram", Title: it.Title, AppID: it.AppID, Page: it.Page, ImgURL: it.PicURL}, nil
	}
	id, err := s.mediaID(ctx, it)
	if err != nil {
		return Message{}, err
	}
	return Message{MsgType: "image", MediaID: id}, nil
}

// mediaID returns the item's valid media id, uploading the picture when it has none or it is about
// to expire. Uploads of one picture are serialised, so concurrent sends upload once.
func (s *Service) mediaID(ctx context.Context, it Item) (string, error) {
	unlock := s.uploads.lock(it.ID)
	defer unlock()
	img, err := s.store.GetImage(ctx, it.ID)
	if errors.Is(err, service.ErrNotFound) {
		return "", fmt.Errorf("item %d has no picture yet: %w", it.ID, service.ErrConflict)
	}
	if err != nil {
		return "", fmt.Errorf("picture of item %d: %w", it.ID, err)
	}
	now := s.now()
	if img.MediaID != "" && img.MediaExpiresAt != nil && now.Before(img.MediaExpiresAt.Add(-mediaMargin)) {
		return img.MediaID, nil
	}
	if s.media == nil {
		return "", fmt.Errorf("no WeCom media upload configured: %w", service.ErrUpstream)
	}
	ext := ".png"
	if img.ContentType == "image/jpeg" {
		ext = ".jpg"
	}
	id, created, err := s.media.UploadImage(ctx, fmt.Sprintf("material-%d%s", it.ID, ext), img.Data)
	if err != nil {
		return "", fmt.Errorf("upload picture of item %d: %w", it.ID, err)
	}
	if created.IsZero() || created.After(now) {
		created = now
	}
	if err := s.store.SetMedia(ctx, it.ID, id, created.Add(mediaTTL).UTC()); err != nil {
		return "", fmt.Errorf("keep media id of item %d: %w", it.ID, err)
	}
	return id, nil
}

// RecordSend records that guide a sent an item into a chat (after sendChatMessage succeeded): what,
// to whom, by whom and when, for the KPIs and the customer's timeline.
func (s *Service) RecordSend(ctx context.Context, a Actor, itemID int64, t Target) (Send, error) {
	it, err := s.visibleItem(ctx, a, itemID)
	if err != nil {
		return Send{}, err
	}
	if err := s.checkTarget(ctx, a, t); err != nil {
		return Send{}, err
	}
	sd := Send{UserID: a.UserID, ExternalUserID: t.ExternalUserID, ChatID: t.ChatID, ItemID: it.ID, Library: it.Library,
		Kind: it.Kind, Title: sendTitle(it), SentAt: s.now().UTC().Truncate(time.Millisecond)}
	sd, err = s.store.AddSend(ctx, sd)
	if err != nil {
		return Send{}, fmt.Errorf("record send of item %d: %w", itemID, err)
	}
	return sd, nil
}

// sendTitle is what the record says was sent: the title, or the start of a text.
func sendTitle(it Item) string {
	if it.Title != "" {
		return it.Title
	}
	r := []rune(it.Content)
	if len(r) > maxTitleRunes {
		return string(r[:maxTitleRunes-1]) + "…"
	}
	return string(r)
}
