package workbench

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// Limits of profile fields.
const (
	maxFields      = 50
	maxFieldName   = 16
	maxOptions     = 30
	maxOptionRunes = 20
	searchPage     = 50
)

var fieldTypes = map[string]bool{FieldText: true, FieldNumber: true, FieldDate: true, FieldSelect: true, FieldMulti: true}

// Fields lists the corp's profile fields for admins, archived ones included.
func (s *Service) Fields(ctx context.Context) ([]Field, error) {
	fs, err := s.store.Fields(ctx)
	if err != nil {
		return nil, fmt.Errorf("fields: %w", err)
	}
	return fs, nil
}

// CreateField adds a profile field (admins only). Its id and type never change.
func (s *Service) CreateField(ctx context.Context, a Actor, f Field) (Field, error) {
	if !a.Admin {
		return Field{}, fmt.Errorf("profile fields are defined by admins: %w", service.ErrForbidden)
	}
	if !slugRE.MatchString(f.FieldID) {
		return Field{}, service.Invalid("field_id", "lowercase letters, digits and _ (starting with a letter), at most 32")
	}
	if !fieldTypes[f.Type] {
		return Field{}, service.Invalid("type", "one of text, number, date, select, multiselect")
	}
	f.Archived = false
	all, err := s.store.Fields(ctx)
	if err != nil {
		return Field{}, fmt.Errorf("fields: %w", err)
	}
	if len(all) >= maxFields {
		return Field{}, service.Invalid("field_id", fmt.Sprintf("at most %d fields", maxFields))
	}
	if err := checkField(&f, all); err != nil {
		return Field{}, err
	}
	if err := s.store.CreateField(ctx, f); err != nil {
		return Field{}, fmt.Errorf("create field %s: %w", f.FieldID, err)
	}
	s.fields.reset()
	return f, s.audit(ctx, true, ActionSaveField, "field:"+f.FieldID, "新建「"+f.Name+"」")
}

// UpdateField changes a field's name, options, order, birthday flag or archives it (admins only);
// its type stays. Options may be added, renamed or dropped; values holding a dropped option keep it
// until edited.
func (s *Service) UpdateField(ctx context.Context, a Actor, f Field) (Field, error) {
	if !a.Admin {
		return Field{}, fmt.Errorf("profile fields are defined by admins: %w", service.ErrForbidden)
	}
	all, err := s.store.Fields(ctx)
	if err != nil {
		return Field{}, fmt.Errorf("fields: %w", err)
	}
	var old *Field
	for i := range all {
		if all[i].FieldID == f.FieldID {
			old = &all[i]
		}
	}
	if old == nil {
		return Field{}, fmt.Errorf("field %s: %w", f.FieldID, service.ErrNotFound)
	}
	if f.Type != "" && f.Type != old.Type {
		return Field{}, service.Invalid("type", "a field's type cannot change; add a new field")
	}
	f.Type = old.Type
	if err := checkField(&f, all); err != nil {
		return Field{}, err
	}
	if err := s.store.UpdateField(ctx, f); err != nil {
		return Field{}, fmt.Errorf("update field %s: %w", f.FieldID, err)
	}
	s.fields.reset()
	detail := "「" + f.Name + "」"
	if f.Archived != old.Archived {
		detail = map[bool]string{true: "停用", false: "恢复"}[f.Archived] + detail
	}
	return f, s.audit(ctx, true, ActionSaveField, "field:"+f.FieldID, detail)
}

// checkField validates a field's name, options and birthday flag against the other fields.
func checkField(f *Field, all []Field) error {
	f.Name = strings.TrimSpace(f.Name)
	if f.Name == "" || utf8.RuneCountInString(f.Name) > maxFieldName {
		return service.Invalid("name", fmt.Sprintf("1 to %d characters", maxFieldName))
	}
	for _, o := range all {
		if o.FieldID != f.FieldID && !o.Archived && o.Name == f.Name {
			return service.Invalid("name", "another field has this name")
		}
		if f.Birthday && !f.Archived && o.FieldID != f.FieldID && o.Birthday && !o.Archived {
			return service.Invalid("birthday", "field "+o.FieldID+" is the birthday already")
		}
	}
	if f.Birthday && f.Type != FieldDate {
		return service.Invalid("birthday", "only a date field can be the birthday")
	}
	choice := f.Type == FieldSelect || f.Type == FieldMulti
	if !choice {
		if len(f.Options) > 0 {
			return service.Invalid("options", "only choice fields have options")
		}
		return nil
	}
	if len(f.Options) == 0 || len(f.Options) > maxOptions {
		return service.Invalid("options", fmt.Sprintf("1 to %d options", maxOptions))
	}
	seen := map[string]bool{}
	for i, o := range f.Options {
		o = strings.TrimSpace(o)
		if o == "" || utf8.RuneCountInString(o) > maxOptionRunes || seen[o] {
			return service.Invalid(fmt.Sprintf("options[%d]", i), fmt.Sprintf("options are unique, 1 to %d characters", maxOptionRunes))
		}
		seen[o], f.Options[i] = true, o
	}
	return nil
}

// Profile is a customer's profile for a guide who follows or followed them: the live fields in order
// and the values set.
func (s *Service) Profile(ctx context.Context, a Actor, extID string) (Profile, error) {
	if err := s.canRead(ctx, a.UserID, extID); err != nil {
		return Profile{}, err
	}
	return s.profile(ctx, extID)
}

func (s *Service) profile(ctx context.Context, extID string) (Profile, error) {
	fs, err := s.fields.get(ctx)
	if err != nil {
		return Profile{}, fmt.Errorf("fields: %w", err)
	}
	vs, err := s.store.Values(ctx, extID)
	if err != nil {
		return Profile{}, fmt.Errorf("profile of %s: %w", extID, err)
	}
	p := Profile{Values: map[string]Value{}}
	live := map[string]bool{}
	for _, f := range fs {
		if !f.Archived {
			p.Fields = append(p.Fields, f)
			live[f.FieldID] = true
		}
	}
	for _, v := range vs {
		if live[v.FieldID] {
			p.Values[v.FieldID] = v
		}
	}
	return p, nil
}

// SetProfile writes a guide's edits of a customer's profile: values by field id, each checked against
// its field's type (a bad one is a ValidationError naming the field); nil or an empty value clears it.
// Fields not named are left as they are. The guide must follow the customer now.
func (s *Service) SetProfile(ctx context.Context, a Actor, extID string, edits map[string]any) (Profile, error) {
	if err := s.canWrite(ctx, a.UserID, extID); err != nil {
		return Profile{}, err
	}
	if len(edits) == 0 {
		return Profile{}, service.Invalid("values", "give at least one field")
	}
	fs, err := s.fields.get(ctx)
	if err != nil {
		return Profile{}, fmt.Errorf("fields: %w", err)
	}
	byID := map[string]Field{}
	birthday := ""
	for _, f := range fs {
		if !f.Archived {
			byID[f.FieldID] = f
			if f.Birthday {
				birthday = f.FieldID
			}
		}
	}
	var set []Value
	var clear []string
	for id, raw := range edits {
		f, ok := byID[id]
		if !ok {
			return Profile{}, service.Invalid("values."+id, "no such profile field")
		}
		v, empty, err := parseValue(f, raw)
		if err != nil {
			return Profile{}, err
		}
		if empty {
			clear = append(clear, id)
			continue
		}
		v.ExternalUserID, v.FieldID, v.UpdatedBy, v.UpdatedAt = extID, id, a.UserID, s.now().UTC().Truncate(1e6)
		set = append(set, v)
	}
	if err := s.store.SetValues(ctx, extID, set, clear, birthday); err != nil {
		return Profile{}, fmt.Errorf("set profile of %s: %w", extID, err)
	}
	return s.profile(ctx, extID)
}

// SearchProfiles finds customers by one profile field (admins only), 50 at a time by external_userid.
func (s *Service) SearchProfiles(ctx context.Context, a Actor, q ProfileQuery) ([]ProfileHit, error) {
	if !a.Admin {
		return nil, fmt.Errorf("profile search is for admins: %w", service.ErrForbidden)
	}
	fs, err := s.fields.get(ctx)
	if err != nil {
		return nil, fmt.Errorf("fields: %w", err)
	}
	var f *Field
	for i := range fs {
		if fs[i].FieldID == q.FieldID {
			f = &fs[i]
		}
	}
	if f == nil {
		return nil, service.Invalid("field_id", "no such profile field")
	}
	if err := checkQuery(*f, &q); err != nil {
		return nil, err
	}
	hits, err := s.store.SearchValues(ctx, *f, q)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", f.FieldID, err)
	}
	return hits, nil
}

// checkQuery makes sure the query fits the field: text for text and choices, a range for numbers and dates.
func checkQuery(f Field, q *ProfileQuery) error {
	if q.Limit <= 0 || q.Limit > searchPage {
		q.Limit = searchPage
	}
	q.Text = strings.TrimSpace(q.Text)
	switch f.Type {
	case FieldNumber, FieldDate:
		if q.Min == "" && q.Max == "" {
			return service.Invalid("min", "give min, max or both")
		}
		for name, bound := range map[string]string{"min": q.Min, "max": q.Max} {
			if bound == "" {
				continue
			}
			if _, _, err := parseValue(Field{FieldID: name, Name: name, Type: f.Type}, bound); err != nil {
				return service.Invalid(name, "must be a "+f.Type)
			}
		}
	default:
		if q.Text == "" {
			return service.Invalid("q", "give the text to look for")
		}
	}
	return nil
}
