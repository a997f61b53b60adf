package jobs_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/jobs"
)

// TestStatuses: what `guidebox jobs` shows for each job: its phase and when it is next due.
func TestStatuses(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	hold := make(chan struct{})
	ok := func(context.Context) error { return nil }
	a := w.replica("a", 5*time.Minute,
		jobs.Job{Name: "a.ok", Every: time.Hour, FirstRunNow: true, Run: ok},
		jobs.Job{Name: "b.failed", Every: time.Hour, FirstRunNow: true, Run: func(context.Context) error { return errors.New("boom") }},
		jobs.Job{Name: "c.running", Every: time.Hour, FirstRunNow: true, Run: func(context.Context) error { <-hold; return nil }},
		jobs.Job{Name: "d.new", Every: 24 * time.Hour, Run: ok},
		jobs.Job{Name: "e.off", Run: ok})
	a.Tick(ctx)
	other := w.replica("z", 5*time.Minute, jobs.Job{Name: "z.elsewhere", Every: time.Hour, FirstRunNow: true, Run: ok})
	tickAll(ctx, other)
	w.clock.Advance(4 * time.Minute) // within c's lease

	sts, err := a.Statuses(ctx)
	require.NoError(t, err)
	close(hold)
	a.Wait()
	got := map[string]jobs.Status{}
	var names []string
	for _, s := range sts {
		got[s.Name] = s
		names = append(names, s.Name)
	}
	assert.Equal(t, "a.ok b.failed c.running d.new e.off z.elsewhere", strings.Join(names, " "), "this replica's jobs, then the others")
	now := w.clock.Now()
	assert.Equal(t, "ok", got["a.ok"].Phase)
	assert.Equal(t, now.Add(56*time.Minute), *got["a.ok"].Next)
	assert.Equal(t, "failed", got["b.failed"].Phase)
	assert.Equal(t, "boom", got["b.failed"].LastError)
	assert.Equal(t, "running", got["c.running"].Phase)
	assert.Equal(t, "a", got["c.running"].Holder)
	assert.Nil(t, got["c.running"].Next)
	assert.Equal(t, "never run", got["d.new"].Phase)
	assert.Equal(t, now.Add(24*time.Hour-4*time.Minute), *got["d.new"].Next, "due a period after it was first scheduled")
	assert.Equal(t, "off", got["e.off"].Phase)
	assert.Equal(t, "off", got["z.elsewhere"].Phase, "not a job of this replica")
	assert.Equal(t, "z", got["z.elsewhere"].Holder)

	w.clock.Advance(time.Hour)
	sts, err = a.Statuses(ctx)
	require.NoError(t, err)
	for _, s := range sts {
		if s.Name == "c.running" {
			assert.Equal(t, "ok", s.Phase, "finished since")
		}
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"plain", errors.New("reconcile: wecom cgi-bin/user/list: errcode 60011: no privilege"), "reconcile: wecom cgi-bin/user/list: errcode 60011: no privilege"},
		{"token in a url", errors.New(`Get "https://qyapi.weixin.qq.com/cgi-bin/user/get?access_token=abcDEF123&userid=g1": EOF`),
			`Get "https://qyapi.weixin.qq.com/cgi-bin/user/get?access_token=***&userid=g1": EOF`},
		{"corpsecret", errors.New("gettoken?corpid=ww1&corpsecret=s3cr3t failed"), "gettoken?corpid=ww1&corpsecret=*** failed"},
		{"dsn password", errors.New("open guidebox:hunter2@tcp(db:3306)/guidebox: refused"), "open guidebox:***@tcp(db:3306)/guidebox: refused"},
		{"configured secret", errors.New("bad key XyZ-configured-aes-key"), "bad key XyZ-***"},
		{"newlines", errors.New("line one\n\tline two"), "line one line two"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, jobs.ErrorText(tt.err, "configured-aes-key", "ab"))
		})
	}
	long := jobs.ErrorText(errors.New(strings.Repeat("错", 2000)))
	assert.Equal(t, 500, len([]rune(long)))
	assert.True(t, strings.HasSuffix(long, "…"))
}
