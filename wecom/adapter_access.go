package wecom

import (
	"context"

	"github.com/guidebox/guidebox/service/access"
)

// Leaders implements access.Leaders over department/list: each department's department_leader (负责人).
type Leaders struct{ c *Client }

var _ access.Leaders = (*Leaders)(nil)

// NewLeaders adapts c to access.Leaders.
func NewLeaders(c *Client) *Leaders { return &Leaders{c: c} }

// DepartmentLeaders maps each leader's userid to the departments they lead (获取部门列表,
// https://developer.work.weixin.qq.com/document/path/90208: department_leader lists the leaders the
// app may see).
func (l *Leaders) DepartmentLeaders(ctx context.Context) (map[string][]int64, error) {
	deps, err := l.c.ListDepartments(ctx)
	if err != nil {
		return nil, upstream(err)
	}
	out := map[string][]int64{}
	for _, d := range deps {
		for _, u := range d.Leaders {
			if u != "" {
				out[u] = append(out[u], int64(d.ID))
			}
		}
	}
	return out, nil
}
