#!/usr/bin/env bash
# Browser tests of the sidebar and the admin console (make test-ui; make test runs it after ui-build).
# Headless Chromium from Debian (/usr/bin/chromium) driven by playwright-core (no browser download),
# against the real router on MySQL with the WeCom simulator (handler/sidebar_browser_test.go starts it
# in-process and runs sidebar-ui/e2e/run.mjs; handler/admin_browser_test.go runs sidebar-ui/e2e/admin.mjs).
# Screenshots (the sidebar's at 360 px, the console's at 1280 and 360 px) land in test-artifacts/.
# The last line is "test-ui: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
log() { echo "test-ui: $*" >&2; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# Without a CJK font the Chinese UI renders as boxes in the screenshots.
fc-list :lang=zh 2>/dev/null | grep -q . || need_apt+=(fonts-wqy-microhei)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq "${need_apt[@]}" >&2 || { log "apt-get install failed"; echo "test-ui: 0 passed, 1 failed"; exit 1; }
fi

make --no-print-directory ui-deps >&2 || { echo "test-ui: 0 passed, 1 failed"; exit 1; }
# Build when dist is missing or older than any source (a stale dist would test yesterday's pages).
if [ ! -f sidebar-ui/dist/index.html ] || [ ! -f sidebar-ui/dist/console.html ] || \
  [ -n "$(find sidebar-ui/src sidebar-ui/index.html sidebar-ui/console.html sidebar-ui/vite.config.ts sidebar-ui/package-lock.json -newer sidebar-ui/dist/index.html -print -quit)" ]; then
  (cd sidebar-ui && npm run build --silent >&2) || { echo "test-ui: 0 passed, 1 failed"; exit 1; }
fi

TEST_MYSQL_DSN="$(scripts/ensure-mysql.sh)" || { echo "test-ui: no MySQL"; echo "test-ui: 0 passed, 1 failed"; exit 1; }
export TEST_MYSQL_DSN GUIDEBOX_BROWSER=1
mkdir -p test-artifacts
out=test-artifacts/test-ui.log
go test -count=1 -timeout 20m -run '^Test(Sidebar|Admin)Browser$' -v ./handler/ 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
pass=$(grep -E '^# pass ' "$out" | awk '{s+=$3} END {print s+0}')
fail=$(grep -E '^# fail ' "$out" | awk '{s+=$3} END {print s+0}')
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
echo "test-ui: screenshots and the log are in test-artifacts/"
echo "test-ui: ${pass} passed, ${fail} failed"
exit "$rc"
