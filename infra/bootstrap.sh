#!/usr/bin/env bash
# Makes PostgreSQL (with PostGIS) and Redis reachable for Pavé, and creates its databases.
#
# - DATABASE_URL / REDIS_URL set: used as given; only checked (and the databases created if the
#   role may). Nothing is installed or started for them.
# - Otherwise: local services on 127.0.0.1, started when installed but down, installed with apt
#   when missing (postgresql, postgresql-<v>-postgis-3, redis-server). A role `pave` (password
#   `pave`, CREATEDB) owns the databases `pave`, `pave_test`, `pave_bench` and `pave_bench_queue` (benchmarks), each with PostGIS enabled.
# - --with-chromium: also installs Debian's chromium for the browser tests.
# - --with-s3: also an S3-compatible object store for the STORAGE=s3 tests (docs/adr/0009): S3_ENDPOINT
#   when set (only checked), else Ceph's RADOS Gateway from Debian on 127.0.0.1:7480, a one-node
#   cluster kept in memory (started from scratch whenever it is down), user `pave-test`.
# - --with-nginx: also installs Debian's nginx (nginx-light) for `npm run start:cluster` and the cluster
#   test, which run it as their own child process with a generated config; the system service is not used.
# Idempotent, and quick when everything already runs. Prints what it did; exits non-zero on failure.
set -euo pipefail

WITH_CHROMIUM=0
WITH_S3=0
WITH_NGINX=0
for arg in "$@"; do
  case "$arg" in
    --with-chromium) WITH_CHROMIUM=1 ;;
    --with-s3) WITH_S3=1 ;;
    --with-nginx) WITH_NGINX=1 ;;
    *) echo "usage: bootstrap.sh [--with-chromium] [--with-s3] [--with-nginx]" >&2; exit 2 ;;
  esac
done

say() { printf '[bootstrap] %s\n' "$*"; }
fail() { printf '[bootstrap] FAILED: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && SUDO="sudo" || SUDO=""
fi

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: install $* yourself, or set DATABASE_URL / REDIS_URL"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    $SUDO apt-get update -qq >/dev/null || fail "apt-get update failed"
    APT_UPDATED=1
  fi
  say "installing $* (apt)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || fail "apt-get install $* failed"
}

# ---------------------------------------------------------------- PostgreSQL + PostGIS
pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1; }

as_postgres() {
  # Superuser access for creating roles, databases and the extension.
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"
  else
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres "$@"
  fi
}

ensure_local_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(pg_version)" ]; then
    apt_install postgresql postgresql-contrib
  fi
  local v; v=$(pg_version)
  if [ ! -f "/usr/share/postgresql/$v/extension/postgis.control" ]; then
    apt_install "postgresql-$v-postgis-3"
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$v "; then
      say "creating PostgreSQL $v cluster main"
      $SUDO pg_createcluster "$v" main >/dev/null || fail "pg_createcluster $v main failed"
    fi
    local cluster; cluster=$(pg_lsclusters -h | awk -v v="$v" '$1==v {print $2; exit}')
    say "starting PostgreSQL $v/$cluster"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$v" "$cluster" start 2>/dev/null \
      || $SUDO pg_ctlcluster "$v" "$cluster" start || fail "could not start PostgreSQL $v/$cluster"
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.3; done
    pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL did not become ready on 127.0.0.1:5432"
  fi
  say "PostgreSQL $v: running on 127.0.0.1:5432 with PostGIS available"

  as_postgres -d postgres <<'SQL' || fail "could not create role pave"
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pave') THEN
    CREATE ROLE pave LOGIN CREATEDB PASSWORD 'pave';
  END IF;
END $$;
SQL
  local db
  for db in pave pave_test pave_bench pave_bench_queue; do
    if [ "$(as_postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
      as_postgres -d postgres -c "CREATE DATABASE $db OWNER pave" || fail "could not create database $db"
      say "created database $db"
    fi
    as_postgres -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>/dev/null \
      || fail "could not enable PostGIS in $db"
  done
  say "databases pave, pave_test, pave_bench and pave_bench_queue ready (role pave)"
}

check_given_postgres() {
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client
  psql -X -q "$DATABASE_URL" -tAc 'SELECT 1' >/dev/null 2>&1 || fail "DATABASE_URL is set but not reachable"
  psql -X -q "$DATABASE_URL" -tAc "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'" | grep -q 1 \
    || fail "the server at DATABASE_URL has no PostGIS extension available"
  say "PostgreSQL: using DATABASE_URL as given (reachable, PostGIS available)"
}

# ---------------------------------------------------------------- Redis
ensure_local_redis() {
  if command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    say "Redis: running on 127.0.0.1:6379"
    return
  fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  say "starting Redis on 127.0.0.1:6379"
  mkdir -p /tmp/pave-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/pave-redis --logfile /tmp/pave-redis/redis.log >/dev/null || fail "could not start redis-server"
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
  redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG || fail "Redis did not answer on 127.0.0.1:6379"
  say "Redis: started"
}

check_given_redis() {
  command -v redis-cli >/dev/null 2>&1 || apt_install redis-tools
  redis-cli -u "$REDIS_URL" ping 2>/dev/null | grep -q PONG || fail "REDIS_URL is set but Redis does not answer"
  say "Redis: using REDIS_URL as given (reachable)"
}

# ---------------------------------------------------------------- Chromium (browser tests)
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    say "Chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  else
    apt_install chromium fonts-dejavu-core
    say "Chromium: installed"
  fi
}

# ---------------------------------------------------------------- S3 (RADOS Gateway)
# A real S3 engine rather than a mock: one monitor, one OSD on memstore (RAM, at most RGW_MEMORY bytes:
# test buckets are deleted by their test file) and the gateway, all on loopback. Nothing persists, so a
# cluster that is down is recreated, never repaired: about 15 s.
RGW_DIR=/tmp/pave-s3
RGW_PORT=7480
RGW_MEMORY=$((2 * 1024 * 1024 * 1024))

rgw_answers() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$RGW_PORT/"; }

ensure_local_s3() {
  command -v curl >/dev/null 2>&1 || apt_install curl
  if rgw_answers; then
    say "S3: RADOS Gateway running on 127.0.0.1:$RGW_PORT"
    return
  fi
  command -v radosgw >/dev/null 2>&1 && command -v ceph-osd >/dev/null 2>&1 && command -v ceph-mon >/dev/null 2>&1 \
    || apt_install radosgw ceph-mon ceph-osd
  # Daemons of an earlier cluster (their pid files), which cannot serve without the rest of it.
  local pidfile
  for pidfile in "$RGW_DIR"/run/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$RGW_DIR"
  mkdir -p "$RGW_DIR"/{mon,osd,rgw,run,log}
  say "starting a one-node Ceph cluster and its RADOS Gateway on 127.0.0.1:$RGW_PORT (in memory)"
  local fsid; fsid=$(cat /proc/sys/kernel/random/uuid)
  cat >"$RGW_DIR/ceph.conf" <<CONF
[global]
fsid = $fsid
mon host = 127.0.0.1:16789
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
run dir = $RGW_DIR/run
pid file = $RGW_DIR/run/\$name.pid
admin socket = $RGW_DIR/run/\$name.asok
log file = $RGW_DIR/log/\$name.log
keyring = $RGW_DIR/keyring
client mount timeout = 30
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
auth allow insecure global id reclaim = false
osd objectstore = memstore
memstore device bytes = $RGW_MEMORY
[mon.a]
mon data = $RGW_DIR/mon
[osd.0]
osd data = $RGW_DIR/osd
keyring = $RGW_DIR/osd/keyring
[client.rgw]
keyring = $RGW_DIR/rgw/keyring
rgw data = $RGW_DIR/rgw
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
CONF
  local conf=(-c "$RGW_DIR/ceph.conf")
  (
    set -e
    ceph-authtool --create-keyring "$RGW_DIR/keyring" --gen-key -n mon. --cap mon 'allow *'
    ceph-authtool "$RGW_DIR/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *'
    monmaptool --create --add a 127.0.0.1:16789 --fsid "$fsid" "$RGW_DIR/monmap"
    ceph-mon "${conf[@]}" --mkfs -i a --monmap "$RGW_DIR/monmap" --keyring "$RGW_DIR/keyring"
    ceph-mon "${conf[@]}" -i a
    timeout 60 ceph "${conf[@]}" osd create
    ceph-osd "${conf[@]}" -i 0 --mkfs --mkkey --no-mon-config
    timeout 60 ceph "${conf[@]}" auth add osd.0 osd 'allow *' mon 'allow profile osd' -i "$RGW_DIR/osd/keyring"
    timeout 60 ceph "${conf[@]}" osd crush add-bucket localhost host
    timeout 60 ceph "${conf[@]}" osd crush move localhost root=default
    timeout 60 ceph "${conf[@]}" osd crush add osd.0 1.0 host=localhost
    ceph-osd "${conf[@]}" -i 0
    timeout 60 ceph "${conf[@]}" auth get-or-create client.rgw mon 'allow rw' osd 'allow rwx' >"$RGW_DIR/rgw/keyring"
    radosgw "${conf[@]}" -n client.rgw
  ) >"$RGW_DIR/log/bootstrap.log" 2>&1 || fail "could not start the Ceph cluster (see $RGW_DIR/log/)"
  for _ in $(seq 1 120); do rgw_answers && break; sleep 0.5; done
  rgw_answers || fail "the RADOS Gateway did not answer on 127.0.0.1:$RGW_PORT (see $RGW_DIR/log/)"
  # The keys the test kit uses (tests/support/env.ts): a loopback-only store holding test data.
  timeout 60 radosgw-admin "${conf[@]}" -n client.rgw user create --uid=pave-test --display-name='Pavé tests' \
    --access-key=pave-test --secret=pave-test-secret >/dev/null 2>>"$RGW_DIR/log/bootstrap.log" \
    || fail "could not create the S3 user pave-test (see $RGW_DIR/log/bootstrap.log)"
  say "S3: RADOS Gateway started on 127.0.0.1:$RGW_PORT (user pave-test)"
}

check_given_s3() {
  command -v curl >/dev/null 2>&1 || apt_install curl
  curl -s -o /dev/null --max-time 5 "$S3_ENDPOINT" || fail "S3_ENDPOINT is set but does not answer"
  say "S3: using S3_ENDPOINT as given (reachable)"
}

# ---------------------------------------------------------------- nginx (several API processes)
ensure_nginx() {
  if [ -x /usr/sbin/nginx ]; then
    say "nginx: $(/usr/sbin/nginx -v 2>&1 | head -n 1)"
  else
    apt_install nginx-light
    say "nginx: installed (Pavé starts its own; the system service is left as Debian set it up)"
  fi
}

if [ -n "${DATABASE_URL:-}" ]; then check_given_postgres; else ensure_local_postgres; fi
if [ -n "${REDIS_URL:-}" ]; then check_given_redis; else ensure_local_redis; fi
if [ "$WITH_CHROMIUM" -eq 1 ]; then ensure_chromium; fi
if [ "$WITH_S3" -eq 1 ]; then
  if [ -n "${S3_ENDPOINT:-}" ]; then check_given_s3; else ensure_local_s3; fi
fi
if [ "$WITH_NGINX" -eq 1 ]; then ensure_nginx; fi
say "services ready"
