#!/usr/bin/env bash
# Find or start a Redis for the tests and print its address (host:port) on stdout.
# Order: TEST_REDIS_ADDR from the environment; a server already answering PING on 127.0.0.1:6379;
# an installed redis-server (started here in the background, without persistence); none installed
# (apt-get install redis-server, then started the same way).
# REDIS_PORT (default 6379) picks another local port, e.g. to try the script beside a running server.
set -euo pipefail
log() { echo "ensure-redis: $*" >&2; }

if [ -n "${TEST_REDIS_ADDR:-}" ]; then
  echo "$TEST_REDIS_ADDR"; exit 0
fi
PORT="${REDIS_PORT:-6379}"
ADDR="127.0.0.1:$PORT"
# PING over bash's /dev/tcp, so redis-cli is not needed; a server that wants a password fails it.
alive() {
  local line=""
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 line <&3 || true
  exec 3<&-
  [ "${line%$'\r'}" = "+PONG" ]
} 2>/dev/null

if alive; then
  echo "$ADDR"; exit 0
fi
bin=$(command -v redis-server || true)
if [ -z "$bin" ]; then
  log "no redis-server installed; installing redis-server (needs root and Debian's packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq redis-server >&2
  bin=/usr/bin/redis-server
  # Where an init system runs, Debian's package starts its own server on 6379.
  for _ in 1 2 3 4 5; do alive && { echo "$ADDR"; exit 0; }; sleep 1; done
fi
log "starting redis-server on $ADDR (no persistence; log /tmp/guidebox-redis-$PORT.log)"
"$bin" --bind 127.0.0.1 --port "$PORT" --save "" --appendonly no --daemonize yes \
  --dir /tmp --pidfile "/tmp/guidebox-redis-$PORT.pid" --logfile "/tmp/guidebox-redis-$PORT.log" >&2
for _ in $(seq 1 30); do alive && break; sleep 1; done
if ! alive; then
  log "Redis did not come up on $ADDR; see /tmp/guidebox-redis-$PORT.log"; exit 1
fi
echo "$ADDR"
