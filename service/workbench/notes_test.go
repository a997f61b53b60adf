package workbench_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

func ptr[T any](v T) *T { return &v }

// Notes stay with the customer through a handover: the new guide reads the previous guide's notes
// under that guide's name; the previous guide keeps reading but may no longer write; a guide who
// never followed the customer sees nothing.
func TestNotesAcrossAHandover(t *testing.T) {
	t.Parallel()
	e := newWBEnv(t, nil)
	e.stages()
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -2, 0))

	first, err := e.svc.AddNote(e.ctx, amy, "wmC1", workbench.NoteInput{Body: "到店试了粉底，偏好哑光", StageID: "intent",
		NextAt: ptr(e.clock().Add(48 * time.Hour))})
	require.NoError(t, err)
	assert.Equal(t, "有意向", first.StageName)
	e.advance(time.Hour)
	_, err = e.svc.AddNote(e.ctx, amy, "wmC1", workbench.NoteInput{Body: "约周六到店"})
	require.NoError(t, err)

	_, err = e.svc.Notes(e.ctx, bob, "wmC1", 0)
	assert.ErrorIs(t, err, service.ErrForbidden, "bob does not follow the customer yet")
	_, err = e.svc.AddNote(e.ctx, bob, "wmC1", workbench.NoteInput{Body: "x"})
	assert.ErrorIs(t, err, service.ErrForbidden)

	e.transfer("amy", "bob", "wmC1")
	notes, err := e.svc.Notes(e.ctx, bob, "wmC1", 0)
	require.NoError(t, err)
	require.Len(t, notes, 2, "the new guide sees the previous guide's notes")
	assert.Equal(t, "约周六到店", notes[0].Body, "newest first")
	for _, n := range notes {
		assert.Equal(t, "amy", n.UserID)
		assert.Equal(t, "王安妮", n.AuthorName, "marked as the previous guide's")
	}
	assert.Equal(t, "有意向", notes[1].StageName)
	sum, err := e.svc.Summary(e.ctx, "bob", "wmC1")
	require.NoError(t, err)
	assert.Equal(t, "有意向", sum.StageName, "the stage is the customer's")
	assert.Nil(t, sum.NextFollowUp, "amy's follow-up stays amy's")

	_, err = e.svc.AddNote(e.ctx, bob, "wmC1", workbench.NoteInput{Body: "接手后首次联系，已加群", StageID: "deal"})
	require.NoError(t, err)
	notes, err = e.svc.Notes(e.ctx, amy, "wmC1", 0)
	require.NoError(t, err, "the previous guide still reads (read-only)")
	require.Len(t, notes, 3)
	assert.Equal(t, "李博", notes[0].AuthorName)
	_, err = e.svc.AddNote(e.ctx, amy, "wmC1", workbench.NoteInput{Body: "x"})
	assert.ErrorIs(t, err, service.ErrForbidden, "a lost customer is read-only")
	_, err = e.svc.Notes(e.ctx, cat, "wmC1", 0)
	assert.ErrorIs(t, err, service.ErrForbidden)

	e.advance(72 * time.Hour) // amy's follow-up of the customer is due now, but amy no longer follows them
	home, err := e.svc.Home(e.ctx, "amy")
	require.NoError(t, err)
	assert.Empty(t, home.Overdue, "no follow-up of a customer amy no longer follows")

	older, err := e.svc.Notes(e.ctx, bob, "wmC1", notes[1].ID)
	require.NoError(t, err)
	require.Len(t, older, 1, "paged by id")
	assert.Equal(t, notes[2].ID, older[0].ID)
}

func TestNoteValidation(t *testing.T) {
	t.Parallel()
	e := newWBEnv(t, nil)
	e.stages()
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -2, 0))
	long := make([]rune, 1001)
	for i := range long {
		long[i] = '字'
	}
	tests := []struct {
		name  string
		in    workbench.NoteInput
		field string
	}{
		{"empty", workbench.NoteInput{Body: "  "}, "body"},
		{"too long", workbench.NoteInput{Body: string(long)}, "body"},
		{"unknown stage", workbench.NoteInput{Body: "x", StageID: "nope"}, "stage_id"},
		{"next in the past", workbench.NoteInput{Body: "x", NextAt: ptr(e.clock().Add(-24 * time.Hour))}, "next_at"},
		{"next too far", workbench.NoteInput{Body: "x", NextAt: ptr(e.clock().AddDate(2, 0, 0))}, "next_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.AddNote(e.ctx, amy, "wmC1", tt.in)
			var ve *service.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	_, err := e.svc.SetStages(e.ctx, amy, []workbench.Stage{{Name: "x"}})
	assert.ErrorIs(t, err, service.ErrForbidden, "the pipeline is the admins'")
	_, err = e.svc.SetStages(e.ctx, admin, []workbench.Stage{{Name: "初次接触"}, {Name: "初次接触"}})
	var ve *service.ValidationError
	assert.ErrorAs(t, err, &ve)

	st, err := e.svc.SetStages(e.ctx, admin, []workbench.Stage{{StageID: "contact", Name: "初次接触"}, {Name: "复购"}})
	require.NoError(t, err)
	live, err := e.svc.Stages(e.ctx)
	require.NoError(t, err)
	require.Len(t, live, 2, "intent and deal archived")
	assert.Equal(t, []string{"初次接触", "复购"}, []string{live[0].Name, live[1].Name})
	assert.NotEmpty(t, st[1].StageID, "a new stage gets an id")
	_, err = e.svc.AddNote(e.ctx, amy, "wmC1", workbench.NoteInput{Body: "x", StageID: "intent"})
	assert.ErrorAs(t, err, &ve, "an archived stage cannot be chosen")
}
