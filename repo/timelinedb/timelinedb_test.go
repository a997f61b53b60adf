package timelinedb_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/autotagdb"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/repo/timelinedb"
	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/service/timeline"
	"github.com/guidebox/guidebox/service/workbench"
)

const corp = "wwtimelinetest"

func sqliteDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := repo.Open(repo.DriverSQLite, filepath.Join(t.TempDir(), "guidebox.db"))
	require.NoError(t, err)
	_, err = repo.Migrate(context.Background(), db)
	require.NoError(t, err)
	t.Cleanup(func() {
		if s, err := db.DB(); err == nil {
			_ = s.Close()
		}
	})
	return db
}

func count(t *testing.T, db *gorm.DB, table string) int64 {
	t.Helper()
	var n int64
	require.NoError(t, db.Table(table).Count(&n).Error)
	return n
}

// Pages follow each other without a gap or a repeat, also through rows of one millisecond (the id
// breaks the tie), on MySQL and on the embedded SQLite of `make run`.
func TestPagesThroughTies(t *testing.T) {
	t.Parallel()
	for name, db := range map[string]*gorm.DB{"mysql": repotest.New(t), "sqlite": sqliteDB(t)} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
			var acts []service.Activity
			for i := range 45 {
				when := at
				if i%3 == 0 {
					when = at.Add(time.Duration(i) * time.Millisecond)
				}
				acts = append(acts, service.Activity{At: when, Kind: service.ActivityNoteAdded, UserID: "g1", ExternalUserID: "wm1",
					ActorKind: service.ActorGuide, ActorID: "g1", Detail: map[string]any{"body": "x"}})
			}
			acts = append(acts, service.Activity{At: at, Kind: service.ActivityNoteAdded, UserID: "g1", ExternalUserID: "wm2"})
			require.NoError(t, sqlstore.RecordActivities(ctx, db, corp, acts))
			require.NoError(t, db.Exec("INSERT INTO follows (corp_id, userid, external_userid, event_at, active) VALUES (?, 'g1', 'wm1', ?, 1)", corp, at).Error)
			svc := timeline.NewService(timelinedb.New(db, corp))
			seen := map[int64]bool{}
			var last timeline.Entry
			before, pages := "", 0
			for {
				p, err := svc.Page(ctx, "g1", "wm1", before)
				require.NoError(t, err)
				pages++
				for _, e := range p.Entries {
					require.False(t, seen[e.ID], "entry %d twice", e.ID)
					seen[e.ID] = true
					if last.ID != 0 {
						assert.True(t, e.At.Before(last.At) || e.At.Equal(last.At) && e.ID < last.ID, "newest first")
					}
					last = e
				}
				if before = p.Next; before == "" {
					break
				}
			}
			assert.Len(t, seen, 45)
			assert.Equal(t, 3, pages)
			_, err := svc.Page(ctx, "g2", "wm1", "")
			assert.ErrorIs(t, err, service.ErrForbidden)
		})
	}
}

// A change that rolls back leaves no activity; one that commits has its row.
func TestActivityCommitsWithItsChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := repotest.New(t)
	wb := workbenchdb.New(db, corp)
	send := workbench.Send{UserID: "g1", ExternalUserID: "wm1", ItemID: 7, Library: workbench.LibraryReply, Kind: "text", Title: "问候", SentAt: time.Now()}
	boom := errors.New("boom")
	err := repo.NewTxManager(db).InTx(ctx, func(ctx context.Context) error {
		_, err := wb.AddSend(ctx, send)
		require.NoError(t, err)
		_, err = sidebardb.New(db, corp).AddShare(ctx, service.Share{UserID: "g1", ExternalUserID: "wm1", ProductID: "P1", MsgType: "news", SharedAt: time.Now()})
		require.NoError(t, err)
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.Zero(t, count(t, db, "activity_log"), "rolled back: nothing recorded")
	assert.Zero(t, count(t, db, "wb_sends"))
	assert.Zero(t, count(t, db, "product_shares"))

	_, err = wb.AddSend(ctx, send)
	require.NoError(t, err)
	var kinds []string
	require.NoError(t, db.Table("activity_log").Pluck("kind", &kinds).Error)
	assert.Equal(t, []string{service.ActivityReplySent}, kinds)
}

// An auto-tag rule's change of a customer's tags is recorded once, by the rule, with the tag's name.
func TestRuleTagsRecorded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := repotest.New(t)
	now := time.Now().UTC()
	require.NoError(t, db.Exec("INSERT INTO tags (corp_id, tag_id, group_id, name) VALUES (?, 'et1', 'eg1', '高价值')", corp).Error)
	require.NoError(t, db.Exec("INSERT INTO autotag_rules (corp_id, name, kind, tag_id, created_at, updated_at) VALUES (?, '近30天消费满千', 'spend', 'et1', ?, ?)",
		corp, now, now).Error)
	var rule int64
	require.NoError(t, db.Raw("SELECT id FROM autotag_rules WHERE corp_id = ?", corp).Scan(&rule).Error)
	st := autotagdb.New(db, corp)
	add := autotag.Assigned{ExternalUserID: "wm1", RuleID: rule, TagID: "et1", Since: now}
	require.NoError(t, st.Apply(ctx, autotag.Changes{Add: []autotag.Assigned{add}}, now))
	require.NoError(t, st.Apply(ctx, autotag.Changes{Remove: []autotag.Assigned{add}}, now.Add(time.Second)))
	require.NoError(t, db.Exec("INSERT INTO follows (corp_id, userid, external_userid, event_at, active) VALUES (?, 'g1', 'wm1', ?, 1)", corp, now).Error)
	p, err := timeline.NewService(timelinedb.New(db, corp)).Page(ctx, "g1", "wm1", "")
	require.NoError(t, err)
	require.Len(t, p.Entries, 2)
	assert.Equal(t, "移除 高价值", p.Entries[0].Text)
	assert.Equal(t, "添加 高价值", p.Entries[1].Text)
	assert.Equal(t, "自动标签「近30天消费满千」", p.Entries[1].By)
}
