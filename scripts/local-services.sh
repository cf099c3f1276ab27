#!/usr/bin/env bash
# Installs (when missing) and starts the local Redis and MongoDB-compatible store used by
# `npm start` and `npm test`. Idempotent: services already answering on their ports are reused.
# MONGODB_URI / REDIS_URL set in the environment win: nothing local is started for them.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.local"
tools="${AVVYR_TOOLS_DIR:-$HOME/.cache/avvyr-integrations/bin}"
redis_port="${LOCAL_REDIS_PORT:-6380}"
# The local Redis Cluster (`cluster`): 6 nodes on this port and the 5 after it.
cluster_port="${LOCAL_REDIS_CLUSTER_PORT:-7380}"
cluster_node_timeout="${LOCAL_REDIS_CLUSTER_NODE_TIMEOUT:-2000}"
mongo_port="${LOCAL_MONGO_PORT:-27018}"
ferretdb_version="v1.24.2"

log() { printf '[local-services] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 100); do port_open "$port" && return 0; sleep 0.2; done
  log "$name did not open port $port; see $state/$name.log"
  tail -n 20 "$state/$name.log" >&2 || true
  return 1
}

apt_install() {
  log "installing Debian package(s): $*"
  if [ ! -f "$state/.apt-updated" ]; then apt-get update -qq >/dev/null && touch "$state/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

redis_up() {
  if [ -n "${REDIS_URL:-}" ]; then log "REDIS_URL is set; not starting a local Redis"; return; fi
  if port_open "$redis_port"; then log "redis already on 127.0.0.1:$redis_port"; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$state/redis"
  # AOF with fsync on every write: a 202 must survive a Redis crash. noeviction: BullMQ
  # jobs must never be evicted under memory pressure (the service refuses any other policy).
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$state/redis" \
    --appendonly yes --appendfsync always --save '' --maxmemory-policy noeviction \
    --daemonize yes --pidfile "$state/redis.pid" --logfile "$state/redis.log"
  wait_port "$redis_port" redis
  log "redis started on 127.0.0.1:$redis_port (AOF on, noeviction)"
}

ferretdb_bin() {
  if command -v ferretdb >/dev/null; then command -v ferretdb; return; fi
  # The name carries a hash of the local patches, so a build from another version of them (or
  # without them) is replaced, not reused. Applied in this order; each header says why.
  local patches=("$root/scripts/ferretdb/sqlite-pushdown.patch" "$root/scripts/ferretdb/atomic-updates.patch"
    "$root/scripts/ferretdb/batched-updates.patch")
  local patch_hash
  patch_hash="$(cat "${patches[@]}" | sha256sum | cut -c1-12)"
  local bin="$tools/ferretdb-$ferretdb_version-patched-$patch_hash"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || { log "neither mongod nor go is on PATH: cannot provide a document store"; exit 1; }
    log "building FerretDB $ferretdb_version into $tools (first run only, a few minutes)"
    # A plain `go install` panics at start: the release reads its version from a generated
    # build/version/version.txt. Build from the module source with that file written.
    local src build
    src="$(go mod download -json "github.com/FerretDB/FerretDB@$ferretdb_version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
    build="$(mktemp -d)"
    cp -r "$src/." "$build/" && chmod -R u+w "$build"
    echo "$ferretdb_version" >"$build/build/version/version.txt"
    # Filters, sorts and limits run on SQLite's indexes (upstream they scan the table in Go), an
    # update of a document is atomic (upstream a concurrent one can be lost), and a bulkWrite's
    # updates of different documents commit together (upstream each commits on its own).
    command -v patch >/dev/null || apt_install patch
    local patch_file
    for patch_file in "${patches[@]}"; do patch -s -p1 -d "$build" <"$patch_file" >&2; done
    mkdir -p "$tools"
    (cd "$build" && go build -o "$bin" ./cmd/ferretdb) >&2
    rm -rf "$build"
  fi
  echo "$bin"
}

mongo_up() {
  if [ -n "${MONGODB_URI:-}" ]; then log "MONGODB_URI is set; not starting a local store"; return; fi
  if port_open "$mongo_port" && ! stale_ferretdb; then
    log "document store already on 127.0.0.1:$mongo_port"; return
  fi
  if command -v mongod >/dev/null; then
    mkdir -p "$state/mongod"
    mongod --bind_ip 127.0.0.1 --port "$mongo_port" --dbpath "$state/mongod" --fork \
      --logpath "$state/mongod.log" >/dev/null
    wait_port "$mongo_port" mongod
    log "mongod started on 127.0.0.1:$mongo_port"
    return
  fi
  local bin
  bin="$(ferretdb_bin)"
  mkdir -p "$state/ferretdb"
  nohup "$bin" --handler=sqlite --sqlite-url="file:$state/ferretdb/" \
    --listen-addr="127.0.0.1:$mongo_port" --debug-addr=- --telemetry=disable --log-level=warn \
    --state-dir="$state/ferretdb" >"$state/ferretdb.log" 2>&1 &
  echo $! >"$state/ferretdb.pid"
  wait_port "$mongo_port" ferretdb
  log "FerretDB (SQLite) started on 127.0.0.1:$mongo_port"
}

# True (after stopping it) when the store on the port is this checkout's FerretDB built from other
# patches: it is started again from the current build. Anything else on the port is left alone.
stale_ferretdb() {
  local file="$state/ferretdb.pid" running
  [ -f "$file" ] || return 1
  running="$(readlink "/proc/$(cat "$file")/exe" 2>/dev/null)" || return 1
  case "$running" in *ferretdb-*) ;; *) return 1 ;; esac
  [ "$running" != "$(ferretdb_bin)" ] || return 1
  log "FerretDB on 127.0.0.1:$mongo_port is an older build; restarting it"
  stop_pid ferretdb
}

stop_pid() {
  local file="$state/$1.pid"
  [ -f "$file" ] || return 0
  local pid
  pid="$(cat "$file")"
  kill "$pid" 2>/dev/null || true
  # Wait for it to exit, so an `up` right after starts a fresh one instead of reusing it.
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$file"
}

cluster_ports() { seq "$cluster_port" $((cluster_port + 5)); }
cluster_nodes() { cluster_ports | sed 's/^/127.0.0.1:/' | paste -sd, -; }
cluster_info() { redis-cli -p "$cluster_port" cluster info 2>/dev/null | tr -d '\r'; }
cluster_healthy() {
  local info
  info="$(cluster_info)"
  grep -q '^cluster_state:ok' <<<"$info" && grep -q '^cluster_known_nodes:6' <<<"$info" &&
    grep -q '^cluster_size:3' <<<"$info"
}

# 3 primaries + 3 replicas on loopback, AOF on, noeviction. Idempotent: a healthy cluster is
# reused, a stopped node is started again (it rejoins from its nodes.conf), fresh nodes are
# joined into a cluster. Prints REDIS_CLUSTER_NODES=… on stdout.
cluster_up() {
  command -v redis-server >/dev/null || apt_install redis-server
  local port dir started=0
  for port in $(cluster_ports); do
    port_open "$port" && continue
    dir="$state/redis-cluster/$port"
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" \
      --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout "$cluster_node_timeout" \
      --appendonly yes --appendfsync always --save '' --maxmemory-policy noeviction \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    started=$((started + 1))
  done
  for port in $(cluster_ports); do wait_port "$port" "redis-cluster/$port/redis"; done
  if ! grep -q '^cluster_known_nodes:6' <<<"$(cluster_info)"; then
    log "creating the cluster on 127.0.0.1:$cluster_port-$((cluster_port + 5))"
    # shellcheck disable=SC2046
    redis-cli --cluster create $(cluster_ports | sed 's/^/127.0.0.1:/') \
      --cluster-replicas 1 --cluster-yes >"$state/redis-cluster/create.log" 2>&1 ||
      { tail -n 20 "$state/redis-cluster/create.log" >&2; exit 1; }
  fi
  for _ in $(seq 1 150); do cluster_healthy && break; sleep 0.2; done
  cluster_healthy || { log "the cluster is not healthy:"; cluster_info >&2; exit 1; }
  if [ "$started" = 0 ]; then log "redis cluster already on 127.0.0.1:$cluster_port-$((cluster_port + 5))"
  else log "redis cluster on 127.0.0.1:$cluster_port-$((cluster_port + 5)) ($started node(s) started)"; fi
  echo "REDIS_CLUSTER_NODES=$(cluster_nodes)"
}

# Stops the cluster's nodes and forgets it (data and nodes.conf), so the next `cluster` is fresh.
cluster_down() {
  local port pidfile pid
  for port in $(cluster_ports); do
    pidfile="$state/redis-cluster/$port/redis.pid"
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  for port in $(cluster_ports); do rm -rf "$state/redis-cluster/$port"; done
  log "redis cluster on 127.0.0.1:$cluster_port-$((cluster_port + 5)) stopped"
}

mkdir -p "$state"
case "${1:-up}" in
  up) redis_up; mongo_up ;;
  down)
    stop_pid redis; stop_pid ferretdb
    [ -d "$state/mongod" ] && mongod --dbpath "$state/mongod" --shutdown >/dev/null 2>&1 || true
    log "stopped" ;;
  redis-down) stop_pid redis ;;
  redis-up) redis_up ;;
  cluster) cluster_up ;;
  cluster-down) cluster_down ;;
  # The document store binary `up` runs (built first when missing), for tests that run their own.
  ferretdb-bin) ferretdb_bin ;;
  *) echo "usage: $0 up|down|redis-up|redis-down|cluster|cluster-down|ferretdb-bin" >&2; exit 2 ;;
esac
