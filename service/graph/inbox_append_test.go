package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/graph"
)

// TestInboxAppendStoresEachKeyOnce: the intake's hand-written multi-row insert stores every field of
// each item, ignores a key already stored and a key repeated within one batch, hashes an over-long
// key and leaves an over-long subject out, on MySQL and on the embedded SQLite.
func TestInboxAppendStoresEachKeyOnce(t *testing.T) {
	for _, driver := range []string{repo.DriverMySQL, repo.DriverSQLite} {
		t.Run(driver, func(t *testing.T) {
			var db *gorm.DB
			if driver == repo.DriverMySQL {
				db = repotest.New(t)
			} else {
				db = repotest.NewSQLite(t)
			}
			ctx := context.Background()
			inbox := graphdb.NewInboxStore(db)
			at := time.Date(2026, 12, 2, 6, 0, 0, 0, time.FixedZone("CST", 8*3600))
			item := func(key, user, ext string) graph.InboxItem {
				return graph.InboxItem{Key: key, Event: "change_external_contact", ChangeType: "add_external_contact", EventTime: at,
					Raw: []byte("<xml><UserID>" + user + "</UserID></xml>"), UserID: user, ExternalUserID: ext}
			}
			long := strings.Repeat("k", 300)
			require.NoError(t, inbox.Append(ctx, []graph.InboxItem{item("b", "g1", "wm1"), item("a", "g2", "wm2"), item("b", "g1", "wm1")}))
			require.NoError(t, inbox.Append(ctx, []graph.InboxItem{item("a", "g2", "wm2"), item("c", strings.Repeat("u", 65), "wm3"), item(long, "g4", "wm4")}))

			got, err := inbox.Claim(ctx, "w", 10, time.Minute)
			require.NoError(t, err)
			require.Len(t, got, 4, "a, b, c and the long key, each once")
			byUser := map[string]graph.InboxItem{}
			for _, it := range got {
				byUser[it.UserID] = it
				assert.Equal(t, "change_external_contact", it.Event)
				assert.Equal(t, "add_external_contact", it.ChangeType)
				assert.True(t, it.EventTime.Equal(at), "event time %s", it.EventTime)
			}
			assert.Equal(t, "a", byUser["g2"].Key)
			assert.Equal(t, "wm2", byUser["g2"].ExternalUserID)
			assert.Equal(t, []byte("<xml><UserID>g1</UserID></xml>"), byUser["g1"].Raw)
			assert.True(t, strings.HasPrefix(byUser["g4"].Key, "sha1:"), "a key past the unique index is hashed")
			assert.Equal(t, "wm3", byUser[""].ExternalUserID, "a userid past the column is left out")
			st, err := inbox.Stats(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, 4, st.Pending)
		})
	}
}
