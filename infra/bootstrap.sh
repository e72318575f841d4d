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
# - --with-replica: also a streaming read replica of the local PostgreSQL (docs/read-replica.md), on the
#   port of DATABASE_REPLICA_URL (default 5433): only checked when DATABASE_REPLICA_URL names another host,
#   else a hot standby cloned with pg_basebackup into /var/lib/postgresql/<v>/pave-replica, restarted
#   when it is down and rebuilt when it cannot start or stream. Adds a replication role `pave_replica`
#   and its pg_hba.conf line on the primary.
# - --with-redis-cluster: also a 3-node Redis Cluster (masters only) on 127.0.0.1:7001-7003 for the
#   REDIS_CLUSTER_NODES tests (docs/deploy.md, "Redis Cluster"): data kept in memory under
#   /tmp/pave-redis-cluster, nodes started when down, the cluster created when it is not `cluster_state:ok`.
# Idempotent, and quick when everything already runs. Prints what it did; exits non-zero on failure.
set -euo pipefail

WITH_CHROMIUM=0
WITH_S3=0
WITH_NGINX=0
WITH_REPLICA=0
WITH_REDIS_CLUSTER=0
for arg in "$@"; do
  case "$arg" in
    --with-chromium) WITH_CHROMIUM=1 ;;
    --with-s3) WITH_S3=1 ;;
    --with-nginx) WITH_NGINX=1 ;;
    --with-replica) WITH_REPLICA=1 ;;
    --with-redis-cluster) WITH_REDIS_CLUSTER=1 ;;
    *) echo "usage: bootstrap.sh [--with-chromium] [--with-s3] [--with-nginx] [--with-replica] [--with-redis-cluster]" >&2; exit 2 ;;
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
  -- The role the API takes for a signed-in staff member's queries: subject to the towns' row-level
  -- security (migration 030); pave, the tables' owner, is not.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pave_staff') THEN
    CREATE ROLE pave_staff NOLOGIN;
  END IF;
END $$;
GRANT pave_staff TO pave;
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

# ---------------------------------------------------------------- PostgreSQL read replica
# A physical hot standby of the whole local cluster, so every database (test clones included) is on it
# and replication is real: the API's replica pool sees exactly the lag production would. Its data
# directory holds its own postgresql.conf and pg_hba.conf (Debian keeps the primary's under /etc, which
# pg_basebackup does not copy), and it is run with pg_ctl, outside Debian's cluster tooling.
REPLICA_ROLE=pave_replica
REPLICA_PASSWORD=pave_replica

replica_port() {
  local port=5433
  if [ -n "${DATABASE_REPLICA_URL:-}" ]; then
    port=$(node -e 'const u = new URL(process.argv[1]); console.log(u.port || 5432)' "$DATABASE_REPLICA_URL" 2>/dev/null) \
      || fail "DATABASE_REPLICA_URL is not a URL"
  fi
  echo "$port"
}

replica_is_local() {
  [ -z "${DATABASE_REPLICA_URL:-}" ] && return 0
  local host; host=$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$DATABASE_REPLICA_URL")
  [ "$host" = "127.0.0.1" ] || [ "$host" = "localhost" ]
}

# Prints `t` when a server in recovery answers on the port, `f` for a primary, nothing when none answers.
replica_recovery_state() {
  as_postgres -h 127.0.0.1 -p "$1" -d postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null || true
}

replica_streams() {
  as_postgres -h 127.0.0.1 -p "$1" -d postgres -tAc 'SELECT status FROM pg_stat_wal_receiver' 2>/dev/null \
    | grep -q streaming
}

ensure_replication_access() {
  as_postgres -d postgres <<SQL || fail "could not create the replication role $REPLICA_ROLE"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$REPLICA_ROLE') THEN
    CREATE ROLE $REPLICA_ROLE LOGIN REPLICATION PASSWORD '$REPLICA_PASSWORD';
  END IF;
END \$\$;
SQL
  local conninfo="host=127.0.0.1 port=5432 user=$REPLICA_ROLE password=$REPLICA_PASSWORD replication=true"
  if ! psql -X -q "$conninfo" -c 'IDENTIFY_SYSTEM' >/dev/null 2>&1; then
    local hba; hba=$(as_postgres -d postgres -tAc 'SHOW hba_file')
    # First line of the file: pg_hba.conf is first-match, and `all` in the database column never
    # matches replication connections, so no existing line can stand in for this one.
    local line="host replication $REPLICA_ROLE 127.0.0.1/32 scram-sha-256"
    if ! grep -qxF "$line" "$hba"; then
      sed -i "1i # Pavé read replica (infra/bootstrap.sh --with-replica)\n$line" "$hba"
      say "pg_hba.conf: replication allowed for $REPLICA_ROLE from 127.0.0.1"
    fi
    as_postgres -d postgres -tAc 'SELECT pg_reload_conf()' >/dev/null
    psql -X -q "$conninfo" -c 'IDENTIFY_SYSTEM' >/dev/null 2>&1 \
      || fail "the primary refuses replication connections from $REPLICA_ROLE (see $hba)"
  fi
}

ensure_local_replica() {
  local port; port=$(replica_port)
  local state; state=$(replica_recovery_state "$port")
  if [ "$state" = "t" ]; then
    say "PostgreSQL replica: running on 127.0.0.1:$port (hot standby)"
    return
  fi
  [ "$state" = "f" ] && fail "a PostgreSQL primary, not a replica, answers on 127.0.0.1:$port"
  [ "$(id -u)" -eq 0 ] || fail "starting the replica needs root (runs as postgres); or set DATABASE_REPLICA_URL"
  local v; v=$(pg_version)
  local bin="/usr/lib/postgresql/$v/bin"
  local dir="/var/lib/postgresql/$v/pave-replica"
  local log="/var/log/postgresql/postgresql-$v-pave-replica.log"
  local started=$SECONDS
  local pg_ctl=(runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -l "$log" -w -t 30)
  ensure_replication_access

  # Down but built: a restart is enough when it streams again (the primary may meanwhile have recycled
  # WAL it needs: then it is rebuilt, in seconds at a development database's size).
  if [ -f "$dir/standby.signal" ]; then
    say "starting the PostgreSQL replica on 127.0.0.1:$port"
    if "${pg_ctl[@]}" start >/dev/null 2>&1 || [ "$(replica_recovery_state "$port")" = "t" ]; then
      for _ in $(seq 1 20); do replica_streams "$port" && break; sleep 0.5; done
      if replica_streams "$port"; then
        say "PostgreSQL replica: restarted on 127.0.0.1:$port in $((SECONDS - started)) s"
        return
      fi
    fi
    say "the replica did not start streaming: rebuilding it (see $log)"
    "${pg_ctl[@]}" stop -m immediate >/dev/null 2>&1 || true
  fi

  say "cloning the primary into $dir (pg_basebackup)"
  rm -rf "$dir"
  install -d -o postgres -g postgres -m 700 "$dir"
  install -d -o postgres -g postgres /var/log/postgresql
  # -c fast: a spread checkpoint would make the clone wait minutes; -R writes standby.signal and
  # primary_conninfo (with the application_name that pg_stat_replication shows).
  runuser -u postgres -- "$bin/pg_basebackup" -D "$dir" -R -c fast -X stream \
    -d "host=127.0.0.1 port=5432 user=$REPLICA_ROLE password=$REPLICA_PASSWORD application_name=pave-replica" \
    || fail "pg_basebackup from 127.0.0.1:5432 failed"
  local hba; hba=$(as_postgres -d postgres -tAc 'SHOW hba_file')
  # The primary's access rules (the same roles log in to both), and the few settings that differ.
  install -o postgres -g postgres -m 640 "$hba" "$dir/pg_hba.conf"
  cat >"$dir/postgresql.conf" <<CONF
# Written by infra/bootstrap.sh --with-replica; rebuilt with the replica.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
# Report what the standby is reading to the primary, so its vacuum keeps rows a long replica query needs.
hot_standby_feedback = on
max_connections = 100
shared_buffers = 128MB
dynamic_shared_memory_type = posix
CONF
  chown postgres:postgres "$dir/postgresql.conf"
  "${pg_ctl[@]}" start >/dev/null || fail "the replica did not start (see $log)"
  for _ in $(seq 1 40); do replica_streams "$port" && break; sleep 0.25; done
  replica_streams "$port" || fail "the replica started but does not stream from the primary (see $log)"
  say "PostgreSQL replica: built and streaming on 127.0.0.1:$port in $((SECONDS - started)) s"
}

check_given_replica() {
  local state; state=$(psql -X -q "$DATABASE_REPLICA_URL" -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null || true)
  [ -n "$state" ] || fail "DATABASE_REPLICA_URL is set but not reachable"
  [ "$state" = "t" ] || say "warning: DATABASE_REPLICA_URL answers but is not in recovery (not a replica)"
  say "PostgreSQL replica: using DATABASE_REPLICA_URL as given (reachable)"
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

# ---------------------------------------------------------------- Redis Cluster (3 masters)
# Three nodes, no replicas: enough for keys to land on different nodes (what breaks multi-key commands
# without hash tags), cheap enough for a test run. Nothing is saved, so nodes that lost their data
# (restarted) are reset and the cluster created again: about 2 s.
REDIS_CLUSTER_DIR=/tmp/pave-redis-cluster
REDIS_CLUSTER_PORTS=(7001 7002 7003)

redis_cluster_ok() {
  local port
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do
    redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
    # Every node must know all three: a node restarted empty answers ok about a cluster of one.
    [ "$(redis-cli -p "$port" cluster info 2>/dev/null | sed -n 's/^cluster_known_nodes:\([0-9]*\).*/\1/p')" \
      = "${#REDIS_CLUSTER_PORTS[@]}" ] || return 1
  done
}

ensure_local_redis_cluster() {
  local started=$SECONDS port
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if redis_cluster_ok; then
    say "Redis Cluster: running on 127.0.0.1:${REDIS_CLUSTER_PORTS[0]}-${REDIS_CLUSTER_PORTS[-1]}"
    return
  fi
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do
    mkdir -p "$REDIS_CLUSTER_DIR/$port"
    if ! redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
      # A node's nodes.conf outlives the node: without its peers' data it only confuses a new cluster.
      rm -f "$REDIS_CLUSTER_DIR/$port/nodes.conf"
      redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --cluster-enabled yes \
        --cluster-config-file nodes.conf --cluster-node-timeout 5000 --save "" --appendonly no \
        --dir "$REDIS_CLUSTER_DIR/$port" --logfile "$REDIS_CLUSTER_DIR/$port/redis.log" \
        --pidfile "$REDIS_CLUSTER_DIR/$port/redis.pid" >/dev/null || fail "could not start the Redis Cluster node on $port"
    fi
  done
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do
    for _ in $(seq 1 30); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG || fail "the Redis Cluster node on $port did not answer"
  done
  # Half a cluster (some nodes restarted empty): start over, the nodes hold test data only.
  say "creating a Redis Cluster on 127.0.0.1:${REDIS_CLUSTER_PORTS[0]}-${REDIS_CLUSTER_PORTS[-1]}"
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do
    redis-cli -p "$port" flushall >/dev/null 2>&1 || true
    redis-cli -p "$port" cluster reset hard >/dev/null || fail "could not reset the Redis Cluster node on $port"
  done
  local nodes=()
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$REDIS_CLUSTER_DIR/create.log" 2>&1 \
    || fail "redis-cli --cluster create failed (see $REDIS_CLUSTER_DIR/create.log)"
  for _ in $(seq 1 50); do redis_cluster_ok && break; sleep 0.2; done
  redis_cluster_ok || fail "the Redis Cluster did not reach cluster_state:ok (see $REDIS_CLUSTER_DIR/*/redis.log)"
  say "Redis Cluster: started on 127.0.0.1:${REDIS_CLUSTER_PORTS[0]}-${REDIS_CLUSTER_PORTS[-1]} in $((SECONDS - started)) s"
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
if [ "$WITH_REPLICA" -eq 1 ]; then
  if ! replica_is_local; then check_given_replica
  elif [ -n "${DATABASE_URL:-}" ]; then fail "--with-replica clones the local PostgreSQL: with DATABASE_URL, set DATABASE_REPLICA_URL too"
  else ensure_local_replica; fi
fi
if [ -n "${REDIS_URL:-}" ]; then check_given_redis; else ensure_local_redis; fi
if [ "$WITH_REDIS_CLUSTER" -eq 1 ]; then ensure_local_redis_cluster; fi
if [ "$WITH_CHROMIUM" -eq 1 ]; then ensure_chromium; fi
if [ "$WITH_S3" -eq 1 ]; then
  if [ -n "${S3_ENDPOINT:-}" ]; then check_given_s3; else ensure_local_s3; fi
fi
if [ "$WITH_NGINX" -eq 1 ]; then ensure_nginx; fi
say "services ready"
