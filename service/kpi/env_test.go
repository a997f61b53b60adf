package kpi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/kpidb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/kpi"
)

const corp = "wwkpi"

// t0 is Monday 3 March 2025, 10:00 in Shanghai (02:00 UTC).
var t0 = time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC)

// d0 is t0's day in Shanghai.
const d0 = kpi.Day(20250303)

// env is a throwaway MySQL database with the migrations, two stores and their guides, and a kpi
// service over kpidb. Activity rows are written as the activity log's writers write them.
type env struct {
	t   *testing.T
	ctx context.Context
	db  *gorm.DB
	svc *kpi.Service
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, repotest.New(t))
}

// newEnvOn is newEnv on a given database (SQLite for what differs there).
func newEnvOn(t *testing.T, db *gorm.DB) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), db: db, now: t0.AddDate(0, 0, 30)}
	e.svc = e.service(func(c *kpi.Config) {})
	e.exec("INSERT INTO stores (corp_id, id, name, parent_id) VALUES (?, 1, '南京西路店', 0), (?, 2, '徐家汇店', 0)", corp, corp)
	for _, g := range []struct {
		id, name string
		store    int64
	}{{"anna", "安娜", 1}, {"bo", "薄荷", 1}, {"cai", "蔡琳", 2}, {"dai", "戴维", 2}} {
		e.exec("INSERT INTO guides (corp_id, userid, name, store_id, status, updated_at) VALUES (?, ?, ?, ?, 'active', ?)",
			corp, g.id, g.name, g.store, t0)
	}
	return e
}

// service builds another kpi service over the same database (another replica, or other settings).
func (e *env) service(tune func(*kpi.Config)) *kpi.Service {
	cfg := kpi.Config{AttributionDays: 7, Batch: 40, Now: func() time.Time { return e.now }}
	tune(&cfg)
	return kpi.New(cfg, kpidb.New(e.db, corp), repo.NewTxManager(e.db), slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	require.NoError(e.t, e.db.Exec(sql, args...).Error)
}

// act appends one activity row and returns its id.
func (e *env) act(kind, guide, ext string, at time.Time, ref string, detail map[string]any) int64 {
	e.t.Helper()
	d := ""
	if detail != nil {
		b, _ := json.Marshal(detail)
		d = string(b)
	}
	row := map[string]any{"corp_id": corp, "occurred_at": at.UTC(), "kind": kind, "guide_userid": guide,
		"external_userid": ext, "actor_kind": "guide", "actor_id": guide, "ref": ref, "detail": d}
	require.NoError(e.t, e.db.Table("activity_log").Create(row).Error)
	var id int64
	require.NoError(e.t, e.db.Raw("SELECT MAX(id) FROM activity_log").Scan(&id).Error)
	return id
}

func (e *env) paid(order, ext string, at time.Time, fen int64) int64 {
	return e.act("order_paid", "", ext, at, order, map[string]any{"amount_fen": fen})
}

func (e *env) refunded(order, ext string, at time.Time, fen int64) int64 {
	return e.act("order_refunded", "", ext, at, order, map[string]any{"amount_fen": fen})
}

// owner records an ownership_history row (the graph writes them).
func (e *env) owner(ext, to, reason string, at time.Time) {
	e.exec("INSERT INTO ownership_history (corp_id, external_userid, from_userid, to_userid, reason, at) VALUES (?, ?, '', ?, ?, ?)",
		corp, ext, to, reason, at.UTC())
}

// catchUp folds everything.
func (e *env) catchUp() {
	e.t.Helper()
	_, err := e.svc.CatchUp(e.ctx)
	require.NoError(e.t, err)
}

// guide reads one guide's totals over [from, to] as a corp admin.
func (e *env) guide(userID string, from, to kpi.Day) kpi.GuideTotals {
	e.t.Helper()
	g, _, err := e.svc.Guide(e.ctx, userID, kpi.Period{From: from, To: to})
	require.NoError(e.t, err)
	return g
}

// dump reads every rollup table in a fixed order, for comparing two runs.
func (e *env) dump() map[string][]map[string]any {
	e.t.Helper()
	out := map[string][]map[string]any{}
	for table, order := range map[string]string{"kpi_guide_daily": "userid, day", "kpi_store_daily": "store_id, day",
		"kpi_corp_daily": "day", "kpi_marks": "userid, day, kind, external_userid", "kpi_order_credits": "order_id",
		"kpi_guide_monthly": "store_id, month, userid"} {
		var rows []map[string]any
		require.NoError(e.t, e.db.Table(table).Order(order).Find(&rows).Error)
		out[table] = rows
	}
	return out
}

var admin = service.Scope{UserID: "boss", Role: service.RoleAdmin, All: true}

func at(day int, hour int) time.Time {
	return t0.AddDate(0, 0, day).Add(time.Duration(hour-10) * time.Hour)
}
