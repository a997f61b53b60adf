package sidebar

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Service answers the guide sidebar: customer and group cards, tag edits and shares.
// A guide sees only customers they follow now or followed before (read-only once lost),
// and groups they own or are a member of; anything else is ErrForbidden.
type Service struct {
	store    Store
	products ProductStore
	wc       WeComWriter
	rec      Recommender
	orders   OrderSource
	wb       Workbench
	reader   ContactReader
	tags     *tagDict
	now      func() time.Time
}

// NewService builds the service over the sidebar's store, the product catalogue and WeCom (tags and
// remarks); orders may be nil (cards then say orders are not connected), rec nil uses the catalogue
// recommender.
func NewService(store Store, products ProductStore, wc WeComWriter, rec Recommender, orders OrderSource) *Service {
	if rec == nil {
		rec = NewCatalogRecommender(products)
	}
	return &Service{store: store, products: products, wc: wc, rec: rec, orders: orders,
		tags: newTagDict(store.ListTags, 30*time.Second), now: time.Now}
}

// WithWorkbench makes the card show the workbench's summary and channel names; without it the card
// shows the raw state code.
func (s *Service) WithWorkbench(wb Workbench) *Service {
	s.wb = wb
	return s
}

// WithContactReader makes a card opened before the inbox's backlog reaches its customer read them from
// WeCom on the spot (the graph, wired in cmd/guidebox); without it the card shows the graph as it is.
func (s *Service) WithContactReader(r ContactReader) *Service {
	s.reader = r
	return s
}

// ReadNowWait bounds a card's read from WeCom on the spot: past it (a slow WeCom, or no budget for
// the interactive lane) the card answers with what the graph has, its edge Incomplete.
const ReadNowWait = time.Second

const maxWeComIDLen = 64 // WeCom ids (userid, external_userid, chat_id) fit the schema's VARCHAR(64)

func checkWeComID(field, id string) error {
	if id == "" || len(id) > maxWeComIDLen || strings.ContainsAny(id, " \t\r\n/") {
		return service.Invalid(field, "must be a WeCom id")
	}
	return nil
}

// edgeOf finds guide's edge among edges; ErrForbidden if the guide never followed the customer.
func guideEdge(edges []FollowerView, userID string) (FollowerView, error) {
	for _, e := range edges {
		if e.UserID == userID {
			return e, nil
		}
	}
	return FollowerView{}, fmt.Errorf("customer not followed by %s: %w", userID, service.ErrForbidden)
}

// CustomerCard assembles the card of externalUserID for guide userID in one call.
// The edges are read first (they decide access); the rest is read concurrently.
func (s *Service) CustomerCard(ctx context.Context, userID, externalUserID string) (CustomerCard, error) {
	if err := checkWeComID("external_userid", externalUserID); err != nil {
		return CustomerCard{}, err
	}
	edges, err := s.store.CustomerEdges(ctx, externalUserID)
	if err != nil {
		return CustomerCard{}, fmt.Errorf("card %s: %w", externalUserID, err)
	}
	mine, err := guideEdge(edges, userID)
	if s.readNow(ctx, userID, externalUserID, mine, err == nil) {
		if edges, err = s.store.CustomerEdges(ctx, externalUserID); err != nil {
			return CustomerCard{}, fmt.Errorf("card %s: %w", externalUserID, err)
		}
		mine, err = guideEdge(edges, userID)
	}
	if err != nil {
		return CustomerCard{}, err
	}
	card := CustomerCard{Edge: mine.Follow, RemarkMobiles: mine.RemarkMobiles, Lost: !mine.Active, OrdersEnabled: s.orders != nil,
		AddWayName: AddWayName(mine.AddWay), Incomplete: mine.Active && mine.DetailsAt.IsZero()}
	for _, e := range edges {
		if e.UserID != userID && e.Active {
			card.Followers = append(card.Followers, e)
		}
	}
	if err := s.fillCard(ctx, &card, mine); err != nil {
		return CustomerCard{}, fmt.Errorf("card %s: %w", externalUserID, err)
	}
	return card, nil
}

// readNow has the customer read from WeCom on the spot, in the interactive lane and within
// ReadNowWait, when the reader finds the guide's edge (has: the graph has one) behind WeCom; it
// reports whether it read. A failed read leaves the card as the graph has it: the backlog will come.
func (s *Service) readNow(ctx context.Context, userID, extID string, mine FollowerView, has bool) bool {
	if s.reader == nil {
		return false
	}
	var edge *service.Follow
	if has {
		edge = &mine.Follow
	}
	rctx, cancel := context.WithTimeout(service.WithLane(ctx, service.LaneInteractive), ReadNowWait)
	defer cancel()
	read, err := s.reader.ReadNow(rctx, userID, extID, edge)
	return err == nil && read
}

// fillCard runs the card's independent reads in parallel and keeps the first error.
func (s *Service) fillCard(ctx context.Context, card *CustomerCard, mine FollowerView) error {
	ext, uid := mine.ExternalUserID, mine.UserID
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	run := func(fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	run(func() (err error) { card.Customer, card.Owner, err = s.store.CustomerWithOwner(ctx, ext); return })
	run(func() error { return s.store.RecordSidebarOpen(ctx, uid, ext, s.now()) })
	run(func() (err error) { card.Handover, err = s.store.LastHandover(ctx, ext, uid); return })
	run(func() error { return s.fillTagsAndRecs(ctx, card, mine) })
	if s.orders != nil {
		run(func() (err error) { card.Orders, err = s.orders.RecentOrders(ctx, ext, 5); return })
	}
	if s.wb != nil {
		run(func() (err error) { card.Workbench, err = s.wb.CardSummary(ctx, uid, ext); return })
		run(func() (err error) { card.Channel, err = s.wb.ChannelName(ctx, mine.State); return })
	}
	wg.Wait()
	return first
}

// fillTagsAndRecs reads the card's tags (with their origins, rule tags included) and the recent
// shares at once, then asks for recommendations, which use both.
func (s *Service) fillTagsAndRecs(ctx context.Context, card *CustomerCard, mine FollowerView) error {
	var named map[string]service.Tag
	var shares []service.Share
	var tagErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		card.Tags, named, tagErr = s.cardTags(ctx, mine.UserID, mine.ExternalUserID)
	}()
	shares, err := s.store.RecentShares(ctx, mine.UserID, mine.ExternalUserID, 20)
	<-done
	if err != nil {
		return err
	}
	if tagErr != nil {
		return tagErr
	}
	card.RecentShares = shares
	in := service.RecommendInput{UserID: mine.UserID, StoreID: mine.Guide.StoreID, ExternalUserID: mine.ExternalUserID,
		TagNames: map[string]string{}, Shares: shares, Limit: 5}
	for _, g := range card.Tags {
		for _, t := range g.Tags {
			in.TagIDs = append(in.TagIDs, t.TagID)
			in.TagNames[t.TagID] = named[t.TagID].Name
		}
	}
	card.Recommendations, err = s.rec.Recommend(ctx, in)
	return err
}

// CorpTags lists every corp tag group in WeCom's order with its single-choice rule, for the tag editor.
func (s *Service) CorpTags(ctx context.Context) ([]CorpTagGroup, error) {
	gs, err := s.store.ListTags(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	single, err := s.store.SingleChoiceGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("tag group settings: %w", err)
	}
	out := make([]CorpTagGroup, len(gs))
	for i, g := range gs {
		out[i] = CorpTagGroup{TagGroup: g, SingleChoice: single[g.GroupID]}
	}
	return out, nil
}

// DemoDirectory lists the demo corp's guides with a few customers and groups each (demo mode only).
func (s *Service) DemoDirectory(ctx context.Context) ([]DemoGuide, error) {
	gs, err := s.store.DemoDirectory(ctx, 30)
	if err != nil {
		return nil, fmt.Errorf("demo directory: %w", err)
	}
	return gs, nil
}
