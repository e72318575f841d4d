#!/usr/bin/env bash
# Makes PostgreSQL (with PostGIS) and Redis reachable for Pavé, and creates its databases.
#
# - DATABASE_URL / REDIS_URL set: used as given; only checked (and the databases created if the
#   role may). Nothing is installed or started for them.
# - Otherwise: local services on 127.0.0.1, started when installed but down, installed with apt
#   when missing (postgresql, postgresql-<v>-postgis-3, redis-server). A role `pave` (password
#   `pave`, CREATEDB) owns the databases `pave`, `pave_test`, `pave_bench` and `pave_bench_queue` (benchmarks), each with PostGIS enabled.
# - --with-chromium: also installs Debian's chromium for the browser tests.
# Idempotent, and quick when everything already runs. Prints what it did; exits non-zero on failure.
set -euo pipefail

WITH_CHROMIUM=0
for arg in "$@"; do
  case "$arg" in
    --with-chromium) WITH_CHROMIUM=1 ;;
    *) echo "usage: bootstrap.sh [--with-chromium]" >&2; exit 2 ;;
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

if [ -n "${DATABASE_URL:-}" ]; then check_given_postgres; else ensure_local_postgres; fi
if [ -n "${REDIS_URL:-}" ]; then check_given_redis; else ensure_local_redis; fi
if [ "$WITH_CHROMIUM" -eq 1 ]; then ensure_chromium; fi
say "services ready"
