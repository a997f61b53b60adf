package workbench

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

const maxChannelName = 30

// Channels lists the corp's channel names (admins only).
func (s *Service) Channels(ctx context.Context, a Actor) ([]Channel, error) {
	if !a.Admin {
		return nil, fmt.Errorf("channels are named by admins: %w", service.ErrForbidden)
	}
	cs, err := s.store.Channels(ctx)
	if err != nil {
		return nil, fmt.Errorf("channels: %w", err)
	}
	return cs, nil
}

// SetChannel names a `state` code (admins only): the code a contact-me QR code or link carries
// (≤30 characters at WeCom), the name guides see on the card.
func (s *Service) SetChannel(ctx context.Context, a Actor, c Channel) (Channel, error) {
	if !a.Admin {
		return Channel{}, fmt.Errorf("channels are named by admins: %w", service.ErrForbidden)
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.State == "" || len(c.State) > 64 || strings.ContainsAny(c.State, "\r\n\t") {
		return Channel{}, service.Invalid("state", "the state code, at most 64 bytes")
	}
	if c.Name == "" || utf8.RuneCountInString(c.Name) > maxChannelName {
		return Channel{}, service.Invalid("name", fmt.Sprintf("1 to %d characters", maxChannelName))
	}
	if err := s.store.PutChannel(ctx, c); err != nil {
		return Channel{}, fmt.Errorf("name channel %s: %w", c.State, err)
	}
	s.channels.reset()
	return c, s.audit(ctx, true, ActionSaveChannel, "channel:"+c.State, c.State+" →「"+c.Name+"」")
}

// DeleteChannel forgets a channel's name (admins only).
func (s *Service) DeleteChannel(ctx context.Context, a Actor, state string) error {
	if !a.Admin {
		return fmt.Errorf("channels are named by admins: %w", service.ErrForbidden)
	}
	if err := s.store.DeleteChannel(ctx, state); err != nil {
		return fmt.Errorf("forget channel %s: %w", state, err)
	}
	s.channels.reset()
	return s.audit(ctx, true, ActionDeleteChannel, "channel:"+state, state)
}

// ChannelName is the name of a `state` code, or "" when the corp has not named it.
func (s *Service) ChannelName(ctx context.Context, state string) (string, error) {
	if state == "" {
		return "", nil
	}
	m, err := s.channels.get(ctx)
	if err != nil {
		return "", fmt.Errorf("channels: %w", err)
	}
	return m[state], nil
}
