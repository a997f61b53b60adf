package workbench_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/workbench"
)

func names(es []workbench.HomeEntry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.Name)
	}
	return out
}

// The sidebar home (Wednesday 25 November 2026, 10:00 in Shanghai): follow-ups due today and overdue,
// birthdays Monday to Sunday, customers added since Monday; a note settles a follow-up.
func TestHome(t *testing.T) {
	t.Parallel()
	e := newWBEnv(t, nil)
	now := e.clock()
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, e.loc)
	e.follow("amy", "wmToday", "今日客户", now.AddDate(0, -3, 0))
	e.follow("amy", "wmLate", "逾期客户", now.AddDate(0, -3, 0))
	e.follow("amy", "wmLater", "下周客户", now.AddDate(0, -3, 0))
	e.follow("amy", "wmNew", "新客户", monday.Add(9*time.Hour))
	e.follow("amy", "wmOld", "上周客户", monday.Add(-time.Hour))
	e.follow("amy", "wmBirth", "寿星", now.AddDate(-1, 0, 0))
	e.follow("amy", "wmBirthSun", "周日寿星", now.AddDate(-1, 0, 0))
	e.follow("amy", "wmBirthNext", "下周寿星", now.AddDate(-1, 0, 0))
	e.follow("bob", "wmBob", "别人的客户", now.AddDate(0, -1, 0))

	for ext, at := range map[string]time.Time{"wmToday": now.Add(29 * time.Hour), "wmLater": now.Add(6 * 24 * time.Hour)} {
		_, err := e.svc.AddNote(e.ctx, amy, ext, workbench.NoteInput{Body: "回访 " + ext, NextAt: &at})
		require.NoError(t, err)
	}
	_, err := e.svc.AddNote(e.ctx, amy, "wmLate", workbench.NoteInput{Body: "寄样品", NextAt: ptr(now.Add(time.Minute))})
	require.NoError(t, err)

	_, err = e.svc.CreateField(e.ctx, admin, workbench.Field{FieldID: "birthday", Name: "生日", Type: workbench.FieldDate, Birthday: true})
	require.NoError(t, err)
	for ext, d := range map[string]string{"wmBirth": "1990-11-26", "wmBirthSun": "1985-11-29", "wmBirthNext": "1992-11-30"} {
		_, err := e.svc.SetProfile(e.ctx, amy, ext, map[string]any{"birthday": d})
		require.NoError(t, err)
	}
	e.advance(25 * time.Hour) // Thursday 11:00: the late one (Wednesday 10:01) is overdue, today's is due at 15:00

	home, err := e.svc.Home(e.ctx, "amy")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 26, 0, 0, 0, 0, e.loc), home.Today)
	assert.Equal(t, []string{"逾期客户", "今日客户"}, append(names(home.Overdue), names(home.DueToday)...))
	require.Len(t, home.Overdue, 1)
	assert.Equal(t, "寄样品", home.Overdue[0].Note)
	assert.Equal(t, []string{"寿星", "周日寿星"}, names(home.Birthdays))
	assert.Equal(t, 1129, home.Birthdays[1].MonthDay)
	assert.Equal(t, time.Date(2026, 11, 29, 0, 0, 0, 0, e.loc), home.Birthdays[1].At.In(e.loc))
	assert.Equal(t, "生日", home.BirthdayName)
	assert.Equal(t, []string{"新客户"}, names(home.NewCustomers))

	_, err = e.svc.AddNote(e.ctx, amy, "wmLate", workbench.NoteInput{Body: "样品已寄出"})
	require.NoError(t, err)
	home, err = e.svc.Home(e.ctx, "amy")
	require.NoError(t, err)
	assert.Empty(t, home.Overdue, "a new note settles the follow-up")

	// A birthday set while bob did not follow the customer reaches bob's home after a transfer: the
	// index is rebuilt for him on his first home of the day.
	e.transfer("amy", "bob", "wmBirth")
	home, err = e.svc.Home(e.ctx, "bob")
	require.NoError(t, err)
	assert.Equal(t, []string{"寿星"}, names(home.Birthdays))
	home, err = e.svc.Home(e.ctx, "amy")
	require.NoError(t, err)
	assert.Equal(t, []string{"周日寿星"}, names(home.Birthdays), "amy no longer follows 寿星")

	// A customer amy starts following today, whose birthday cat saved: amy's index (built today) lacks
	// them until tomorrow, when her first home reads yesterday's index and rebuilds it in the background.
	e.follow("cat", "wmLater2", "晚来的寿星", now.AddDate(-1, 0, 0))
	_, err = e.svc.SetProfile(e.ctx, cat, "wmLater2", map[string]any{"birthday": "1991-11-28"})
	require.NoError(t, err)
	e.follow("amy", "wmLater2", "晚来的寿星", e.clock())
	home, err = e.svc.Home(e.ctx, "amy")
	require.NoError(t, err)
	assert.Equal(t, []string{"周日寿星"}, names(home.Birthdays), "not in today's index")
	e.advance(24 * time.Hour) // Friday
	home, err = e.svc.Home(e.ctx, "amy")
	require.NoError(t, err)
	assert.Equal(t, []string{"周日寿星"}, names(home.Birthdays), "yesterday's index answers at once")
	require.Eventually(t, func() bool {
		home, err := e.svc.Home(e.ctx, "amy")
		return err == nil && len(home.Birthdays) == 2
	}, 10*time.Second, 20*time.Millisecond, "the rebuilt index has the new customer")
	home, err = e.svc.Home(e.ctx, "amy")
	require.NoError(t, err)
	assert.Equal(t, []string{"晚来的寿星", "周日寿星"}, names(home.Birthdays))
}
