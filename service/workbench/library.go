package workbench

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// Limits of the libraries.
const (
	maxGroupName   = 20
	maxTitleRunes  = 40
	maxTextContent = 1000
	maxLinkDesc    = 120
	maxURL         = 1024
	maxPage        = 512
)

// Library lists a library's groups a guide sees, corp-wide first, then the guide's own, each with its
// items; q (optional) keeps the items whose title or text contains it, and the groups that have any.
func (s *Service) Library(ctx context.Context, a Actor, library, q string) ([]Group, error) {
	return s.library(ctx, library, []string{"", a.UserID}, q)
}

// CorpLibrary lists the corp-wide groups of a library with their items (admins only).
func (s *Service) CorpLibrary(ctx context.Context, a Actor, library string) ([]Group, error) {
	if !a.Admin {
		return nil, fmt.Errorf("corp library is managed by admins: %w", service.ErrForbidden)
	}
	return s.library(ctx, library, []string{""}, "")
}

func (s *Service) library(ctx context.Context, library string, owners []string, q string) ([]Group, error) {
	if library != LibraryReply && library != LibraryMaterial {
		return nil, service.Invalid("library", "reply or material")
	}
	gs, err := s.store.Groups(ctx, library, owners)
	if err != nil {
		return nil, fmt.Errorf("%s groups: %w", library, err)
	}
	items, err := s.store.Items(ctx, library, owners)
	if err != nil {
		return nil, fmt.Errorf("%s items: %w", library, err)
	}
	q = strings.ToLower(strings.TrimSpace(q))
	idx := map[int64]int{}
	for i := range gs {
		idx[gs[i].ID] = i
	}
	for _, it := range items {
		i, ok := idx[it.GroupID]
		if !ok || (q != "" && !matches(it, q)) {
			continue
		}
		gs[i].Items = append(gs[i].Items, it)
	}
	out := gs[:0]
	for _, g := range gs {
		if q == "" || len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

func matches(it Item, q string) bool {
	for _, s := range []string{it.Title, it.Content} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// ownedGroup reads a group the caller may edit: corp-wide ones by admins (corp), a guide's own by
// that guide. Another guide's group is ErrNotFound (its existence does not leak); a corp group edited
// as a guide's is ErrForbidden.
func (s *Service) ownedGroup(ctx context.Context, a Actor, id int64, corp bool) (Group, error) {
	g, err := s.store.GetGroup(ctx, id)
	if err != nil {
		return Group{}, fmt.Errorf("group %d: %w", id, err)
	}
	if err := editable(a, g.OwnerUserID, corp); err != nil {
		return Group{}, fmt.Errorf("group %d: %w", id, err)
	}
	return g, nil
}

// editable decides whether a may edit what owner owns, through the corp (admin) or the personal API.
func editable(a Actor, owner string, corp bool) error {
	switch {
	case corp && owner != "":
		return service.ErrNotFound
	case corp && !a.Admin:
		return fmt.Errorf("corp replies are edited by admins: %w", service.ErrForbidden)
	case !corp && owner == "":
		return fmt.Errorf("corp replies are edited by admins: %w", service.ErrForbidden)
	case !corp && owner != a.UserID:
		return service.ErrNotFound
	}
	return nil
}

// visible decides whether a may read (and send) what owner owns: the corp's, or a's own.
func visible(a Actor, owner string) error {
	if owner != "" && owner != a.UserID {
		return service.ErrNotFound
	}
	return nil
}

// SaveGroup creates (ID 0) or renames and reorders a group: corp-wide through the admin API (corp),
// else the guide's own.
func (s *Service) SaveGroup(ctx context.Context, a Actor, g Group, corp bool) (Group, error) {
	g.Name = strings.TrimSpace(g.Name)
	if g.Name == "" || utf8.RuneCountInString(g.Name) > maxGroupName {
		return Group{}, service.Invalid("name", fmt.Sprintf("1 to %d characters", maxGroupName))
	}
	if g.ID != 0 {
		old, err := s.ownedGroup(ctx, a, g.ID, corp)
		if err != nil {
			return Group{}, err
		}
		old.Name, old.Order = g.Name, g.Order
		if err := s.store.UpdateGroup(ctx, old); err != nil {
			return Group{}, fmt.Errorf("update group %d: %w", g.ID, err)
		}
		return old, s.audit(ctx, corp, ActionSaveGroup, fmt.Sprintf("library_group:%d", old.ID), "「"+old.Name+"」")
	}
	if g.Library != LibraryReply && g.Library != LibraryMaterial {
		return Group{}, service.Invalid("library", "reply or material")
	}
	if corp && !a.Admin {
		return Group{}, fmt.Errorf("corp replies are edited by admins: %w", service.ErrForbidden)
	}
	g.OwnerUserID = a.UserID
	if corp {
		g.OwnerUserID = ""
	}
	created, err := s.store.CreateGroup(ctx, g)
	if err != nil {
		return Group{}, fmt.Errorf("create group: %w", err)
	}
	return created, s.audit(ctx, corp, ActionSaveGroup, fmt.Sprintf("library_group:%d", created.ID), "新建「"+created.Name+"」")
}

// DeleteGroup deletes a group with its items.
func (s *Service) DeleteGroup(ctx context.Context, a Actor, id int64, corp bool) error {
	g, err := s.ownedGroup(ctx, a, id, corp)
	if err != nil {
		return err
	}
	if err := s.store.DeleteGroup(ctx, id); err != nil {
		return fmt.Errorf("delete group %d: %w", id, err)
	}
	return s.audit(ctx, corp, ActionDeleteGroup, fmt.Sprintf("library_group:%d", id), "「"+g.Name+"」")
}

// SaveItem creates (ID 0) or rewrites an item in a group the caller may edit; its kind is checked
// against the group's library and its fields against the kind.
func (s *Service) SaveItem(ctx context.Context, a Actor, it Item, corp bool) (Item, error) {
	if it.ID != 0 {
		old, err := s.ownedItem(ctx, a, it.ID, corp)
		if err != nil {
			return Item{}, err
		}
		it.GroupID, it.Library, it.OwnerUserID, it.HasImage = old.GroupID, old.Library, old.OwnerUserID, old.HasImage
		if it.Kind == "" {
			it.Kind = old.Kind
		}
		if it.Kind != old.Kind {
			return Item{}, service.Invalid("kind", "an item's kind cannot change")
		}
	} else {
		g, err := s.ownedGroup(ctx, a, it.GroupID, corp)
		if errors.Is(err, service.ErrNotFound) {
			return Item{}, service.Invalid("group_id", "no such group")
		}
		if err != nil {
			return Item{}, err
		}
		it.Library, it.OwnerUserID = g.Library, g.OwnerUserID
	}
	if err := checkItem(&it); err != nil {
		return Item{}, err
	}
	it.UpdatedBy, it.UpdatedAt = a.UserID, s.now().UTC().Truncate(1e6)
	if it.ID != 0 {
		if err := s.store.UpdateItem(ctx, it); err != nil {
			return Item{}, fmt.Errorf("update item %d: %w", it.ID, err)
		}
		return it, s.audit(ctx, corp, ActionSaveItem, fmt.Sprintf("library_item:%d", it.ID), itemName(it))
	}
	created, err := s.store.CreateItem(ctx, it)
	if err != nil {
		return Item{}, fmt.Errorf("create item: %w", err)
	}
	return created, s.audit(ctx, corp, ActionSaveItem, fmt.Sprintf("library_item:%d", created.ID), "新建"+itemName(created))
}

// ownedItem reads an item the caller may edit (see ownedGroup).
func (s *Service) ownedItem(ctx context.Context, a Actor, id int64, corp bool) (Item, error) {
	it, err := s.store.GetItem(ctx, id)
	if err != nil {
		return Item{}, fmt.Errorf("item %d: %w", id, err)
	}
	if err := editable(a, it.OwnerUserID, corp); err != nil {
		return Item{}, fmt.Errorf("item %d: %w", id, err)
	}
	return it, nil
}

// visibleItem reads an item the guide may read and send.
func (s *Service) visibleItem(ctx context.Context, a Actor, id int64) (Item, error) {
	it, err := s.store.GetItem(ctx, id)
	if err != nil {
		return Item{}, fmt.Errorf("item %d: %w", id, err)
	}
	if err := visible(a, it.OwnerUserID); err != nil {
		return Item{}, fmt.Errorf("item %d: %w", id, err)
	}
	return it, nil
}

// DeleteItem deletes an item and its image.
func (s *Service) DeleteItem(ctx context.Context, a Actor, id int64, corp bool) error {
	it, err := s.ownedItem(ctx, a, id, corp)
	if err != nil {
		return err
	}
	if err := s.store.DeleteItem(ctx, id); err != nil {
		return fmt.Errorf("delete item %d: %w", id, err)
	}
	return s.audit(ctx, corp, ActionDeleteItem, fmt.Sprintf("library_item:%d", id), itemName(it))
}
