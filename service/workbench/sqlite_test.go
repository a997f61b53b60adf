package workbench_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/workbench"
)

// The embedded SQLite default (make run) runs the workbench's statements too: notes and the home
// (birthday index inserts that skip duplicates), profile values and their search (LIKE with an escape),
// the libraries and sends.
func TestWorkbenchOnSQLite(t *testing.T) {
	t.Parallel()
	e := newWBEnvOn(t, repotest.NewSQLite(t), nil)
	e.stages()
	e.fields()
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -1, 0))
	e.follow("amy", "wmNew", "新客户", e.clock().Add(-time.Hour))
	_, err := e.svc.AddNote(e.ctx, amy, "wmC1", workbench.NoteInput{Body: "回访", StageID: "intent", NextAt: ptr(e.clock().Add(time.Hour))})
	require.NoError(t, err)
	_, err = e.svc.SetProfile(e.ctx, amy, "wmC1", map[string]any{"birthday": "1990-11-27", "skin": []any{"油性"}, "note": "50%_off 偏好"})
	require.NoError(t, err)
	_, err = e.svc.SetProfile(e.ctx, amy, "wmC1", map[string]any{"birthday": "1990-11-27"}) // the index row exists: skipped
	require.NoError(t, err)
	home, err := e.svc.Home(e.ctx, "amy")
	require.NoError(t, err)
	assert.Equal(t, []string{"周小姐"}, names(home.DueToday))
	assert.Equal(t, []string{"周小姐"}, names(home.Birthdays))
	assert.Equal(t, []string{"新客户"}, names(home.NewCustomers))
	notes, err := e.svc.Notes(e.ctx, amy, "wmC1", 0)
	require.NoError(t, err)
	require.Len(t, notes, 1)
	assert.Equal(t, "王安妮", notes[0].AuthorName)
	for q, want := range map[string]int{"50%_": 1, "50%x": 0, "5": 1} {
		hits, err := e.svc.SearchProfiles(e.ctx, admin, workbench.ProfileQuery{FieldID: "note", Text: q})
		require.NoError(t, err)
		assert.Len(t, hits, want, q)
	}
	g, err := e.svc.SaveGroup(e.ctx, admin, workbench.Group{Library: workbench.LibraryReply, Name: "问候"}, true)
	require.NoError(t, err)
	it, err := e.svc.SaveItem(e.ctx, admin, workbench.Item{GroupID: g.ID, Kind: workbench.KindText, Content: "您好"}, true)
	require.NoError(t, err)
	_, err = e.svc.RecordSend(e.ctx, amy, it.ID, workbench.Target{ExternalUserID: "wmC1"})
	require.NoError(t, err)
	lib, err := e.svc.Library(e.ctx, amy, workbench.LibraryReply, "")
	require.NoError(t, err)
	require.Len(t, lib, 1)
	assert.Len(t, lib[0].Items, 1)
}
