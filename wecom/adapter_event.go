package wecom

import (
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom/callback"
)

// ParseEvent turns a decrypted callback, as stored in the inbox, into a graph.Event.
func ParseEvent(raw []byte) (graph.Event, error) {
	m, err := callback.ParseMessage(raw)
	if err != nil {
		return graph.Event{}, fmt.Errorf("parse callback xml: %w", err)
	}
	ev := graph.Event{
		Key: m.Key(), Event: m.Event, ChangeType: m.ChangeType, Time: time.Unix(m.CreateTime, 0).UTC(),
		UserID: m.UserID, ExternalUserID: m.ExternalUserID, ChatID: m.ChatID, TagID: m.ID, TagType: m.TagType,
		State: m.State, WelcomeCode: m.WelcomeCode, Source: m.Source, FailReason: m.FailReason,
		UpdateDetail: m.UpdateDetail, MemChangeList: m.MemChangeList, CurMemVer: m.CurMemVer, NewUserID: m.NewUserID,
	}
	if ev.Event == "" {
		ev.Event = m.MsgType
	}
	return ev, nil
}
