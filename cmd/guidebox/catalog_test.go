package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
)

// TestMain runs main itself when the test binary is started as guidebox (GUIDEBOX_AS_MAIN set to the
// arguments, separated by newlines): the imports' exit codes are checked on a real process.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("GUIDEBOX_AS_MAIN"); ok {
		os.Args = append([]string{"guidebox"}, strings.Split(args, "\n")...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// guidebox runs the test binary as `guidebox args...` and returns its exit code and output.
func guidebox(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "GUIDEBOX_AS_MAIN="+strings.Join(args, "\n"))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return 0, out.String(), errOut.String()
}

// catalogCLI points the CLI at a fresh MySQL database holding store 2 (上海南京西路店).
func catalogCLI(t *testing.T) {
	dsn := repotest.DSN(t)
	for k, v := range map[string]string{"GUIDEBOX_CONFIG": "", "GUIDEBOX_DATABASE_DRIVER": "mysql", "GUIDEBOX_DATABASE_DSN": dsn,
		"GUIDEBOX_WECOM_CORP_ID": "wwclitest", "GUIDEBOX_WECOM_SECRET": "cli-secret", "GUIDEBOX_WECOM_TOKEN": "tok",
		"GUIDEBOX_WECOM_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "GUIDEBOX_LOG_LEVEL": "warn"} {
		t.Setenv(k, v)
	}
	db, err := repo.Open(repo.DriverMySQL, dsn)
	require.NoError(t, err)
	_, err = repo.Migrate(context.Background(), db)
	require.NoError(t, err)
	require.NoError(t, graphdb.New(db, "wwclitest").UpsertStores(context.Background(), []service.Store{{ID: 2, Name: "上海南京西路店"}}))
	sqlDB, _ := db.DB()
	require.NoError(t, sqlDB.Close())
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

// The imports exit 0 when every row is stored, 1 when some were refused (the others stored), 2 when
// the file cannot be read; export writes what import reads back.
func TestCatalogCLIExitCodes(t *testing.T) {
	catalogCLI(t)
	good := writeFile(t, "good.csv", "货号,商品名称,价格(元),库存\nP001,口红,199,上海南京西路店:3\nP002,面霜,299,\n")
	code, out, _ := guidebox(t, "products", "import", good)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "共 2 行：导入 2 行，拒绝 0 行")

	some := writeFile(t, "some.csv", "货号,商品名称,价格(元),库存\nP003,香水,1x9,\nP004,眼霜,99,成都店:1\nP005,精华,1\n")
	code, out, _ = guidebox(t, "products", "import", some)
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "第 2 行\t价格(元)\t「1x9」不是有效金额")
	assert.Contains(t, out, "第 3 行\t库存\t未知门店「成都店」")
	assert.Contains(t, out, "第 4 行\t库存\t缺少该列")
	assert.Contains(t, out, "共 3 行：导入 0 行，拒绝 3 行")

	for name, path := range map[string]string{
		"missing file":   filepath.Join(t.TempDir(), "nope.csv"),
		"old excel":      writeFile(t, "old.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
		"missing column": writeFile(t, "nosku.csv", "商品名称,价格(元)\n口红,1\n"),
	} {
		code, _, stderr := guidebox(t, "products", "import", path)
		assert.Equal(t, 2, code, name)
		assert.Contains(t, stderr, "guidebox:", name)
	}
	code, _, stderr := guidebox(t, "products", "import")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "usage: guidebox products import FILE")

	exported := filepath.Join(t.TempDir(), "all.xlsx")
	code, _, stderr = guidebox(t, "products", "export", exported)
	require.Equal(t, 0, code, stderr)
	code, out, _ = guidebox(t, "products", "import", exported)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "共 2 行：导入 2 行，拒绝 0 行")

	orders := writeFile(t, "orders.csv", "订单号,客户ID,门店,支付时间,货号,数量,单价(元)\n"+
		"O1,wm-alice,2,2025-05-01 10:00,P001,1,199\nO1,wm-alice,2,2025-05-01 10:00,P002,2,299\nO2,wm-bob,9,2025-05-01 10:00,P001,1,199\n")
	code, out, _ = guidebox(t, "orders", "import", orders)
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "第 4 行\t门店\t未知门店「9」")
	assert.Contains(t, out, "共 3 行：导入 2 行，拒绝 1 行（1 个订单）")
	code, out, _ = guidebox(t, "orders", "import", writeFile(t, "o.csv", "订单号,客户ID,门店,支付时间,货号,数量,单价(元)\nO1,wm-alice,2,2025-05-01 10:00,P001,1,199\nO1,wm-alice,2,2025-05-01 10:00,P002,2,299\n"))
	assert.Equal(t, 0, code, "the same orders again: stored already, nothing refused\n%s", out)
}
