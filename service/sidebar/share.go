package sidebar

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// ShareRequest is a product card a guide sent (or is about to confirm sending) into a chat.
type ShareRequest struct {
	ProductID      string
	ExternalUserID string
	ChatID         string
	MsgType        string
}

// RecordShare records that guide userID sent a product into a single chat (ExternalUserID) or a group (ChatID).
// The guide must follow the customer now, or own or belong to the group, and the product must be offered in
// the guide's store.
func (s *Service) RecordShare(ctx context.Context, userID string, r ShareRequest, at time.Time) (service.Share, error) {
	if err := checkShare(r); err != nil {
		return service.Share{}, err
	}
	p, err := s.products.GetProduct(ctx, r.ProductID)
	if err != nil {
		return service.Share{}, fmt.Errorf("share product %s: %w", r.ProductID, err)
	}
	if !p.OnSale {
		return service.Share{}, fmt.Errorf("share product %s: off sale: %w", r.ProductID, service.ErrNotFound)
	}
	storeID, err := s.shareTarget(ctx, userID, r)
	if err != nil {
		return service.Share{}, err
	}
	if !p.OfferedIn(storeID) {
		return service.Share{}, fmt.Errorf("product %s is not offered in store %d: %w", p.SKU, storeID, service.ErrForbidden)
	}
	sh := service.Share{UserID: userID, ExternalUserID: r.ExternalUserID, ChatID: r.ChatID, ProductID: p.SKU,
		MsgType: r.MsgType, SharedAt: at.UTC()}
	sh, err = s.store.AddShare(ctx, sh)
	if err != nil {
		return service.Share{}, fmt.Errorf("record share: %w", err)
	}
	return sh, nil
}

func checkShare(r ShareRequest) error {
	if err := service.CheckSKU("product_id", r.ProductID); err != nil {
		return err
	}
	if r.MsgType != "news" && r.MsgType != "miniprogram" {
		return service.Invalid("msgtype", "must be news or miniprogram")
	}
	if (r.ExternalUserID == "") == (r.ChatID == "") {
		return service.Invalid("external_userid", "give either external_userid or chat_id")
	}
	if r.ChatID != "" {
		return checkWeComID("chat_id", r.ChatID)
	}
	return checkWeComID("external_userid", r.ExternalUserID)
}

// shareTarget checks the guide may send into the chat and returns the guide's store.
func (s *Service) shareTarget(ctx context.Context, userID string, r ShareRequest) (int64, error) {
	if r.ChatID != "" {
		g, err := s.groupFor(ctx, userID, r.ChatID)
		if err != nil {
			return 0, err
		}
		if g.DismissedAt != nil {
			return 0, fmt.Errorf("group %s is dismissed: %w", r.ChatID, service.ErrForbidden)
		}
		guides, err := s.store.Guides(ctx, []string{userID})
		if err != nil {
			return 0, err
		}
		me, ok := guides[userID]
		if !ok {
			return 0, fmt.Errorf("unknown guide %s: %w", userID, service.ErrForbidden)
		}
		return me.StoreID, nil
	}
	edges, err := s.store.CustomerEdges(ctx, r.ExternalUserID)
	if err != nil {
		return 0, err
	}
	mine, err := guideEdge(edges, userID)
	if err != nil {
		return 0, err
	}
	if !mine.Active {
		return 0, fmt.Errorf("customer %s no longer follows %s: %w", r.ExternalUserID, userID, service.ErrForbidden)
	}
	return mine.Guide.StoreID, nil
}
