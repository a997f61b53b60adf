package wecom_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// stripPrefix serves the simulator under prefix, answering 404 elsewhere.
func stripPrefix(prefix string, s *sim.Sim) http.Handler {
	h := s.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, prefix+"/") {
			http.NotFound(w, r)
			return
		}
		r.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
		h.ServeHTTP(w, r)
	})
}

var t0 = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// seed loads a small corp: store 2 under headquarters, guides zhangsan and
// lisi, and customer wmwang followed by zhangsan.
func (e *env) seed(t *testing.T) {
	t.Helper()
	require.NoError(t, e.sim.Load(&sim.Corp{
		Departments: []sim.Department{{ID: 2, Name: "徐汇店", ParentID: 1, Order: 10}},
		Users: []sim.User{
			{UserID: "zhangsan", Name: "张三", Departments: []int{2}, MainDepartment: 2, Mobile: "13800000000", Gender: "1"},
			{UserID: "lisi", Name: "李四", Departments: []int{2}, MainDepartment: 2},
		},
		Customers: []sim.Customer{{ExternalUserID: "wmwang", Name: "王小美", Type: 1, Gender: 2, UnionID: "ou1"}},
		Follows: []sim.Follow{{UserID: "zhangsan", ExternalUserID: "wmwang", Remark: "王姐", CreateTime: t0,
			AddWay: 1, State: "qr_store2"}},
	}))
}

var ctx = context.Background()

// apiCode returns err's WeCom errcode, failing the test if err is not an *APIError.
func apiCode(t *testing.T, err error) int {
	t.Helper()
	var ae *wecom.APIError
	require.ErrorAs(t, err, &ae)
	return ae.Code
}

// count returns how many observed calls hit endpoint.
func (r *recorder) count(endpoint string) int {
	n := 0
	for _, c := range r.all() {
		if c.Endpoint == endpoint {
			n++
		}
	}
	return n
}
