package handler_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/accessdb"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/catalog"
)

const (
	ordersCorp = "wwordersapitest01"
	posKey     = "pos-key-0123456789abcdef"
)

// ordersRouter is the real router with the orders API and the admin API's catalogue routes on MySQL;
// it logs into logs, which the tests search for the key.
func ordersRouter(t *testing.T) (http.Handler, *gorm.DB, *bytes.Buffer) {
	t.Helper()
	db := repotest.New(t)
	logs := &bytes.Buffer{}
	log := slog.New(handler.LogHandler{Handler: slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})})
	require.NoError(t, graphdb.New(db, ordersCorp).UpsertStores(context.Background(), []service.Store{{ID: 2, Name: "上海南京西路店"}}))
	cat := catalog.NewService(catalogdb.New(db, ordersCorp), repo.NewTxManager(db), log)
	t.Cleanup(cat.Close)
	orders := handler.NewOrdersHandler(handler.OrdersDeps{Orders: cat, Keys: []string{"other-key-0123456789abcdef", posKey}, Log: log})
	acc, err := access.New(access.Config{Admins: []string{"boss"}, Managers: map[string][]int64{"mgr": {2}}}, accessdb.New(db, ordersCorp), nil)
	require.NoError(t, err)
	admin := handler.NewAdminHandler(handler.AdminDeps{Catalog: cat, Access: acc,
		Sessions: fakeSessions{"tok-boss": "boss", "tok-guide": "guide", "tok-mgr": "mgr"}, Log: log})
	return handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(nil), Ready: func(context.Context) error { return nil },
		Features: []handler.Mounter{orders, admin}}), db, logs
}

func postOrder(r http.Handler, auth, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/orders", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

const order1 = `{"order_id":"POS-1","external_userid":"wm-alice","store_id":2,"guide_userid":"zhangsan",
	"paid_at":"2025-05-01T14:30:00+08:00","total_fen":29800,"status":"paid",
	"lines":[{"sku":"P001","qty":1,"price_fen":19900},{"sku":"P002","qty":1,"price_fen":9900}]}`

func TestOrdersAPI(t *testing.T) {
	r, db, logs := ordersRouter(t)
	bearer := "Bearer " + posKey

	for name, auth := range map[string]string{"no header": "", "wrong key": "Bearer pos-key-0123456789abcdeX",
		"basic": "Basic " + posKey, "no scheme": posKey, "empty bearer": "Bearer "} {
		w := postOrder(r, auth, order1)
		assert.Equal(t, http.StatusUnauthorized, w.Code, name)
		assert.Contains(t, w.Header().Get("WWW-Authenticate"), "Bearer", name)
	}

	w := postOrder(r, bearer, order1)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	created := w.Body.String()
	assert.JSONEq(t, `{"order_id":"POS-1","status":"paid","paid_at":"2025-05-01T06:30:00Z","total_fen":29800,"refunded_at":null}`, created)

	w = postOrder(r, bearer, order1)
	assert.Equal(t, http.StatusOK, w.Code, "the same body again")
	assert.Equal(t, created, w.Body.String(), "with the same result")

	w = postOrder(r, bearer, strings.Replace(order1, `"total_fen":29800`, `"total_fen":100`, 1))
	assert.Equal(t, http.StatusConflict, w.Code, w.Body.String())
	assert.Equal(t, "conflict", decode(t, w)["code"])

	refund := strings.Replace(order1, `"status":"paid"`, `"status":"refunded"`, 1)
	w = postOrder(r, bearer, refund)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	refunded := decode(t, w)
	assert.Equal(t, "refunded", refunded["status"])
	assert.NotNil(t, refunded["refunded_at"])
	again := postOrder(r, bearer, refund)
	assert.Equal(t, http.StatusOK, again.Code)
	assert.Equal(t, w.Body.String(), again.Body.String(), "the refund again: the same result")

	var stored struct {
		Status string
		N      int
	}
	require.NoError(t, db.Raw("SELECT MAX(status) AS status, COUNT(*) AS n FROM orders WHERE corp_id = ?", ordersCorp).Scan(&stored).Error)
	assert.Equal(t, "refunded", stored.Status)
	assert.Equal(t, 1, stored.N)
	assert.NotContains(t, logs.String(), posKey, "API keys are never logged")
}

func TestOrdersAPIRefusesBadInput(t *testing.T) {
	r, _, _ := ordersRouter(t)
	bearer := "Bearer " + posKey
	tests := []struct {
		name, body, field string
	}{
		{"not json", `{"order_id":`, "body"},
		{"empty", ``, "body"},
		{"two objects", order1 + `{}`, "body"},
		{"total as a string", strings.Replace(order1, `"total_fen":29800`, `"total_fen":"29800"`, 1), "total_fen"},
		{"total with decimals", strings.Replace(order1, `"total_fen":29800`, `"total_fen":298.5`, 1), "total_fen"},
		{"no total", strings.Replace(order1, `"total_fen":29800,`, ``, 1), "total_fen"},
		{"qty as a string", strings.Replace(order1, `"qty":1,"price_fen":9900`, `"qty":"1","price_fen":9900`, 1), "lines.qty"},
		{"zero qty", strings.Replace(order1, `"qty":1,"price_fen":9900`, `"qty":0,"price_fen":9900`, 1), "lines[1].qty"},
		{"bad time", strings.Replace(order1, `2025-05-01T14:30:00+08:00`, `2025-05-01 14:30`, 1), "paid_at"},
		{"no customer", strings.Replace(order1, `"external_userid":"wm-alice",`, ``, 1), "external_userid"},
		{"unknown store", strings.Replace(order1, `"store_id":2`, `"store_id":77`, 1), "store_id"},
		{"bad status", strings.Replace(order1, `"status":"paid"`, `"status":"cancelled"`, 1), "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := postOrder(r, bearer, tt.body)
			require.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
			assert.Equal(t, "invalid", decode(t, w)["code"])
			assert.Contains(t, decode(t, w)["message"], "invalid "+tt.field+":")
		})
	}

	big := `{"order_id":"POS-BIG","pad":"` + strings.Repeat("x", handler.MaxOrderBytes) + `"}`
	assert.Equal(t, http.StatusRequestEntityTooLarge, postOrder(r, bearer, big).Code, "over 1 MiB, with Content-Length")
	req := httptest.NewRequest(http.MethodPost, "/api/orders", io.MultiReader(strings.NewReader(big))) // no Content-Length
	req.ContentLength = -1
	req.Header.Set("Authorization", bearer)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code, "over 1 MiB, chunked")
	assert.Equal(t, http.StatusUnauthorized, postOrder(r, "", big).Code, "no key: 401 before the body is read")
}

// upload posts a file to an admin import route as a browser form would.
func upload(r http.Handler, path, cookie, filename string, data []byte, header map[string]string) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range header {
		req.Header.Set(k, v)
	}
	req.AddCookie(&http.Cookie{Name: handler.SessionCookie, Value: cookie})
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func TestAdminImportAndExportProducts(t *testing.T) {
	r, _, _ := ordersRouter(t)
	file := []byte("货号,商品名称,价格(元),库存\nP001,口红,199,上海南京西路店:3\nP002,面霜,abc,\nP001,重复,1,\n")

	assert.Equal(t, http.StatusForbidden, upload(r, "/api/admin/products/import", "tok-guide", "p.csv", file, nil).Code)
	assert.Equal(t, http.StatusForbidden, upload(r, "/api/admin/products/import", "tok-mgr", "p.csv", file, nil).Code,
		"the catalogue is the corp's: a store manager may not import it")
	w := upload(r, "/api/admin/products/import", "tok-boss", "p.csv", file, map[string]string{"Sec-Fetch-Site": "cross-site"})
	assert.Equal(t, http.StatusForbidden, w.Code, "a cross-site form cannot upload")

	w = upload(r, "/api/admin/products/import", "tok-boss", "p.csv", file, map[string]string{"Sec-Fetch-Site": "same-origin"})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var rep struct {
		Rows, Imported, Refused int
		Errors                  []struct {
			Line          int
			Field, Reason string
		}
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &rep))
	assert.Equal(t, 3, rep.Rows)
	assert.Equal(t, 1, rep.Imported)
	assert.Equal(t, 2, rep.Refused)
	require.Len(t, rep.Errors, 2)
	assert.Equal(t, 3, rep.Errors[0].Line)
	assert.Equal(t, "价格(元)", rep.Errors[0].Field)
	assert.Equal(t, 4, rep.Errors[1].Line)
	assert.Equal(t, "货号", rep.Errors[1].Field)

	w = upload(r, "/api/admin/products/import", "tok-boss", "p.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0}, nil)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, decode(t, w)["message"], "invalid file:")

	req := httptest.NewRequest(http.MethodGet, "/api/admin/audit", nil)
	req.AddCookie(&http.Cookie{Name: handler.SessionCookie, Value: "tok-boss"})
	w = httptest.NewRecorder()
	r.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	entries := decode(t, w)["entries"].([]any)
	require.Len(t, entries, 1, "the import that read rows is in the audit log; the unreadable file changed nothing")
	e := entries[0].(map[string]any)
	assert.Equal(t, "import_products", e["action"])
	assert.Equal(t, "boss", e["actor"])
	assert.Equal(t, "共 3 行，导入 1 行，跳过 2 行", e["detail"])
	assert.Equal(t, "all", e["scope"])

	req = httptest.NewRequest(http.MethodGet, "/api/admin/products/export?format=csv", nil)
	req.AddCookie(&http.Cookie{Name: handler.SessionCookie, Value: "tok-boss"})
	w = httptest.NewRecorder()
	r.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Header().Get("Content-Disposition"), "attachment")
	assert.Contains(t, w.Body.String(), "P001,口红,,,199.00,,,,,是,上海南京西路店:3,0")
}
