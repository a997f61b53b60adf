#!/usr/bin/env bash
# Find or start a MySQL/MariaDB for the tests and print its DSN on stdout.
# Order: TEST_MYSQL_DSN from the environment; a server already answering on 127.0.0.1:3306;
# an installed but stopped mariadbd (started here); none installed (apt-get install mariadb-server).
# The tests connect as root over TCP with an empty password; a fresh Debian install lets root in
# only through the unix socket, so that login is enabled here (test machines only).
set -euo pipefail
log() { echo "ensure-mysql: $*" >&2; }

if [ -n "${TEST_MYSQL_DSN:-}" ]; then
  echo "$TEST_MYSQL_DSN"; exit 0
fi
DSN="root@tcp(127.0.0.1:3306)/"
alive() { mysqladmin --protocol=tcp -h127.0.0.1 -P3306 ping >/dev/null 2>&1; } # 0 even when access is denied
tcp_login() { mysql --protocol=tcp -h127.0.0.1 -P3306 -uroot -e 'SELECT 1' >/dev/null 2>&1; }

if command -v mysql >/dev/null 2>&1 && tcp_login; then
  echo "$DSN"; exit 0
fi
if ! [ -x /usr/sbin/mariadbd ] && ! [ -x /usr/sbin/mysqld ]; then
  log "no MySQL installed; installing mariadb-server (needs root and Debian's packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq mariadb-server >&2
fi
if ! alive; then
  log "starting mariadbd"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  bin=/usr/sbin/mariadbd; [ -x "$bin" ] || bin=/usr/sbin/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    log "initialising the data folder"
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >&2 || mysql_install_db --user=mysql >&2
  fi
  nohup "$bin" --user=mysql >/tmp/guidebox-mariadbd.log 2>&1 &
  for _ in $(seq 1 60); do alive && break; sleep 1; done
fi
if ! alive; then
  log "MySQL did not come up; see /tmp/guidebox-mariadbd.log"; exit 1
fi
if ! tcp_login; then
  log "letting root in over TCP with an empty password (through the unix socket)"
  mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;" >&2 ||
    mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED BY ''; FLUSH PRIVILEGES;" >&2 || true
fi
if ! tcp_login; then
  log "cannot log in as root over TCP; set TEST_MYSQL_DSN"; exit 1
fi
echo "$DSN"
