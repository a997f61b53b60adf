package handler_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service/workbench"
)

// seedTimeline gives the customer guide A took over from guide Prev a history longer than a page:
// 25 of Prev's follow-up notes over the weeks before the handover, written through the workbench's
// store (which records each in the activity log).
func (st *sidebarStack) seedTimeline(t *testing.T) {
	t.Helper()
	store := workbenchdb.New(st.db, sbCorp)
	start := time.Now().AddDate(0, 0, -60)
	for i := range 25 {
		_, err := store.AddNote(context.Background(), workbench.Note{ExternalUserID: st.inherited, UserID: st.guidePrev,
			Body: fmt.Sprintf("第%d次回访：聊了当季新款", i+1), CreatedAt: start.AddDate(0, 0, 2*i)})
		require.NoError(t, err)
	}
}
