package workbench_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

// demoFields are the fields of the demo corp: one of each type.
var demoFields = []workbench.Field{
	{FieldID: "birthday", Name: "生日", Type: workbench.FieldDate, Birthday: true},
	{FieldID: "skin", Name: "肤质", Type: workbench.FieldMulti, Options: []string{"干性", "油性", "混合", "敏感"}},
	{FieldID: "size", Name: "尺码", Type: workbench.FieldSelect, Options: []string{"S", "M", "L", "XL"}},
	{FieldID: "due_date", Name: "宝宝预产期", Type: workbench.FieldDate},
	{FieldID: "points", Name: "会员积分", Type: workbench.FieldNumber},
	{FieldID: "note", Name: "偏好说明", Type: workbench.FieldText},
}

func (e *wbEnv) fields() {
	e.t.Helper()
	for i, f := range demoFields {
		f.Order = i
		_, err := e.svc.CreateField(e.ctx, admin, f)
		require.NoError(e.t, err)
	}
}

// Each type takes its values and refuses others with a ValidationError naming the field.
func TestProfileValuesAreValidatedByType(t *testing.T) {
	t.Parallel()
	e := newWBEnv(t, nil)
	e.fields()
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -2, 0))
	good := map[string]any{"birthday": "1990-05-03", "skin": []any{"敏感", "干性"}, "size": "M", "due_date": "2027-02-14",
		"points": json.Number("1280.5"), "note": "喜欢大地色系"}
	p, err := e.svc.SetProfile(e.ctx, amy, "wmC1", good)
	require.NoError(t, err)
	assert.Equal(t, "1990-05-03", p.Values["birthday"].Text)
	assert.Equal(t, []string{"干性", "敏感"}, p.Values["skin"].Items, "kept in the field's option order")
	assert.Equal(t, "1280.5", p.Values["points"].Text)
	assert.Equal(t, 1280.5, *p.Values["points"].Num)
	assert.Equal(t, 503, *p.Values["birthday"].MonthDay)
	require.Len(t, p.Fields, len(demoFields))

	bad := []struct {
		name  string
		field string
		value any
	}{
		{"date not a date", "birthday", "1990-13-03"},
		{"date in words", "birthday", "五月三日"},
		{"date as a number", "birthday", 19900503.0},
		{"date out of range", "due_date", "1800-01-01"},
		{"number as words", "points", "很多"},
		{"number too big", "points", 1e13},
		{"number as a list", "points", []any{1.0}},
		{"single choice not an option", "size", "XXL"},
		{"single choice as a list", "size", []any{"M"}},
		{"multiple choice not an option", "skin", []any{"油性", "中性"}},
		{"multiple choice repeated", "skin", []any{"油性", "油性"}},
		{"multiple choice as text", "skin", "油性"},
		{"text too long", "note", string(make([]rune, 201))},
		{"text as a number", "note", 3.0},
		{"unknown field", "shoe", "42"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.SetProfile(e.ctx, amy, "wmC1", map[string]any{tt.field: tt.value})
			var ve *service.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "values."+tt.field, ve.Field)
		})
	}
	p, err = e.svc.Profile(e.ctx, amy, "wmC1")
	require.NoError(t, err)
	assert.Equal(t, "M", p.Values["size"].Text, "refused edits changed nothing")

	p, err = e.svc.SetProfile(e.ctx, amy, "wmC1", map[string]any{"size": nil, "skin": []any{}, "note": ""})
	require.NoError(t, err)
	assert.NotContains(t, p.Values, "size", "null clears")
	assert.NotContains(t, p.Values, "skin")
	assert.NotContains(t, p.Values, "note")

	_, err = e.svc.SetProfile(e.ctx, bob, "wmC1", map[string]any{"size": "S"})
	assert.ErrorIs(t, err, service.ErrForbidden)
	_, err = e.svc.Profile(e.ctx, bob, "wmC1")
	assert.ErrorIs(t, err, service.ErrForbidden)
}

func TestProfileFieldsAreTheAdminsAndSearchable(t *testing.T) {
	t.Parallel()
	e := newWBEnv(t, nil)
	_, err := e.svc.CreateField(e.ctx, amy, demoFields[0])
	assert.ErrorIs(t, err, service.ErrForbidden)
	e.fields()
	for name, f := range map[string]workbench.Field{
		"bad id":               {FieldID: "Shoe Size", Name: "鞋码", Type: workbench.FieldText},
		"bad type":             {FieldID: "shoe", Name: "鞋码", Type: "color"},
		"taken name":           {FieldID: "shoe", Name: "尺码", Type: workbench.FieldText},
		"choice without":       {FieldID: "shoe", Name: "鞋码", Type: workbench.FieldSelect},
		"options on text":      {FieldID: "shoe", Name: "鞋码", Type: workbench.FieldText, Options: []string{"36"}},
		"two birthdays":        {FieldID: "born", Name: "出生日期", Type: workbench.FieldDate, Birthday: true},
		"birthday not a date":  {FieldID: "born", Name: "出生日期", Type: workbench.FieldText, Birthday: true},
		"repeated option":      {FieldID: "shoe", Name: "鞋码", Type: workbench.FieldSelect, Options: []string{"36", "36"}},
		"id already defined":   {FieldID: "size", Name: "鞋码", Type: workbench.FieldText},
		"name far too long...": {FieldID: "shoe", Name: "一二三四五六七八九十一二三四五六七", Type: workbench.FieldText},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.svc.CreateField(e.ctx, admin, f)
			require.Error(t, err)
			if name == "id already defined" {
				assert.ErrorIs(t, err, service.ErrConflict)
				return
			}
			var ve *service.ValidationError
			assert.ErrorAs(t, err, &ve)
		})
	}
	_, err = e.svc.UpdateField(e.ctx, admin, workbench.Field{FieldID: "size", Name: "尺码", Type: workbench.FieldText})
	var ve *service.ValidationError
	require.ErrorAs(t, err, &ve, "a type never changes")
	assert.Equal(t, "type", ve.Field)
	_, err = e.svc.UpdateField(e.ctx, admin, workbench.Field{FieldID: "size", Name: "尺码", Options: []string{"S", "M", "L", "XL", "XXL"}})
	require.NoError(t, err)

	for i, c := range []struct{ ext, size, birthday string }{{"wmA", "M", "1990-05-03"}, {"wmB", "XXL", "1985-11-20"}, {"wmC", "M", "2001-01-09"}} {
		e.follow([]string{"amy", "bob", "amy"}[i], c.ext, "客户"+c.ext, e.clock().AddDate(0, -1, 0))
		actor := []workbench.Actor{amy, bob, amy}[i]
		_, err := e.svc.SetProfile(e.ctx, actor, c.ext, map[string]any{"size": c.size, "birthday": c.birthday, "skin": []any{"油性"}})
		require.NoError(t, err)
	}
	ids := func(hs []workbench.ProfileHit) []string {
		out := []string{}
		for _, h := range hs {
			out = append(out, h.ExternalUserID)
		}
		return out
	}
	hits, err := e.svc.SearchProfiles(e.ctx, admin, workbench.ProfileQuery{FieldID: "size", Text: "M"})
	require.NoError(t, err)
	assert.Equal(t, []string{"wmA", "wmC"}, ids(hits))
	assert.Equal(t, "客户wmA", hits[0].Name)
	hits, err = e.svc.SearchProfiles(e.ctx, admin, workbench.ProfileQuery{FieldID: "birthday", Min: "1985-01-01", Max: "1995-12-31"})
	require.NoError(t, err)
	assert.Equal(t, []string{"wmA", "wmB"}, ids(hits))
	hits, err = e.svc.SearchProfiles(e.ctx, admin, workbench.ProfileQuery{FieldID: "skin", Text: "油性", After: "wmA"})
	require.NoError(t, err)
	assert.Equal(t, []string{"wmB", "wmC"}, ids(hits), "continues after a customer")
	_, err = e.svc.SearchProfiles(e.ctx, amy, workbench.ProfileQuery{FieldID: "size", Text: "M"})
	assert.ErrorIs(t, err, service.ErrForbidden)
	_, err = e.svc.SearchProfiles(e.ctx, admin, workbench.ProfileQuery{FieldID: "birthday", Min: "soon"})
	assert.ErrorAs(t, err, &ve)
	assert.Equal(t, "min", ve.Field)
}
