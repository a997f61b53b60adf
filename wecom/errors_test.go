package wecom_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/guidebox/guidebox/wecom"
)

func TestAPIError(t *testing.T) {
	err := &wecom.APIError{Code: 60111, Msg: "userid not found", Endpoint: "cgi-bin/user/get"}
	assert.Equal(t, "wecom cgi-bin/user/get: errcode 60111: userid not found", err.Error())

	wrapped := fmt.Errorf("member zhangsan: %w", err)
	tests := []struct {
		name  string
		err   error
		codes []int
		want  bool
	}{
		{"direct match", err, []int{60111}, true},
		{"wrapped match", wrapped, []int{40096, 60111}, true},
		{"other code", wrapped, []int{40096}, false},
		{"no codes", wrapped, nil, false},
		{"not an APIError", errors.New("boom"), []int{60111}, false},
		{"nil", nil, []int{60111}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, wecom.IsCode(tt.err, tt.codes...))
		})
	}
	var ae *wecom.APIError
	assert.ErrorAs(t, wrapped, &ae)
	assert.Equal(t, "cgi-bin/user/get", ae.Endpoint)
}
