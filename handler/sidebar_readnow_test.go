package handler_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom/sim"
)

// waitInInbox plays a customer adding guide in WeCom and leaves the callback waiting in the inbox,
// as under a backlog; it returns the customer.
func (st *sidebarStack) waitInInbox(t *testing.T, guide, name string) string {
	t.Helper()
	st.sim.SetPushPaused(true)
	ext, _, err := st.sim.CustomerAddsGuide(guide, sim.Customer{Name: name}, "qr-live")
	require.NoError(t, err)
	for _, m := range st.sim.TakeQueued() {
		require.NoError(t, graphdb.NewInboxStore(st.db).Append(context.Background(), []graph.InboxItem{{Key: m.Key(), Event: m.Event,
			ChangeType: m.ChangeType, EventTime: time.Unix(m.CreateTime, 0), Raw: m.Marshal(), UserID: m.UserID, ExternalUserID: m.ExternalUserID}}))
	}
	return ext
}

// TestSidebarCardReadsACustomerAheadOfTheBacklog: a guide opens the card of a customer whose add is
// still in the inbox: the card reads the customer from WeCom at once and shows them complete. If WeCom
// fails, the card answers as the graph is (no edge yet: 403), never a 5xx; without the reader, 403 too.
func TestSidebarCardReadsACustomerAheadOfTheBacklog(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true, readNow: true})
	me := st.demoSession(t, st.guideA)
	ext := st.waitInInbox(t, st.guideA, "秦女士")

	w := st.do(t, http.MethodGet, "/api/sidebar/customers/"+ext, "", me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	card := decode(t, w)
	assert.Equal(t, "秦女士", card["customer"].(map[string]any)["name"])
	assert.Equal(t, "qr-live", card["edge"].(map[string]any)["state"])
	assert.Equal(t, false, card["incomplete"])
	assert.Equal(t, false, card["lost"])

	st.sim.SetFail5xx("/cgi-bin/externalcontact/get", 10)
	late := st.waitInInbox(t, st.guideA, "褚先生")
	w = st.do(t, http.MethodGet, "/api/sidebar/customers/"+late, "", me)
	assert.Equal(t, http.StatusForbidden, w.Code, w.Body.String())

	plain := newSidebarStack(t, stackOpts{demo: true})
	ext = plain.waitInInbox(t, plain.guideA, "韩女士")
	w = plain.do(t, http.MethodGet, "/api/sidebar/customers/"+ext, "", plain.demoSession(t, plain.guideA))
	assert.Equal(t, http.StatusForbidden, w.Code, "no reader: the card waits for the backlog")
}
