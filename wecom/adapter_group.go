package wecom

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Group is groupchat/get (with names).
func (d *Directory) Group(ctx context.Context, chatID string) (service.Group, error) {
	gc, err := d.c.GroupChatGet(ctx, chatID)
	if err != nil {
		return service.Group{}, upstream(err)
	}
	g := service.Group{ChatID: gc.ChatID, Name: gc.Name, OwnerUserID: gc.Owner, Notice: gc.Notice,
		CreatedAt: unixOrZero(gc.CreateTime), MemberVersion: gc.MemberVersion}
	for _, m := range gc.Members {
		g.Members = append(g.Members, service.GroupMember{MemberID: m.UserID, Type: m.Type, JoinTime: unixOrZero(m.JoinTime),
			JoinScene: m.JoinScene, Name: m.Name, UnionID: m.UnionID})
	}
	return g, nil
}

// GroupsOwnedBy pages groupchat/list for the groups the given guides own (status 0: all).
func (d *Directory) GroupsOwnedBy(ctx context.Context, userIDs []string, cursor string) ([]string, string, error) {
	page, err := d.c.GroupChatList(ctx, 0, userIDs, cursor, 1000)
	if err != nil {
		return nil, "", upstream(err)
	}
	ids := make([]string, len(page.Chats))
	for i, c := range page.Chats {
		ids[i] = c.ChatID
	}
	return ids, page.NextCursor, nil
}

func unixOrZero(s int64) time.Time {
	if s <= 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}
