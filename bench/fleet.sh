#!/usr/bin/env bash
# The fleet session: shout hosts in network namespaces, measured directly and through HAProxy run
# from deploy/haproxy/haproxy.cfg; then the time HAProxy takes to mark a host down when it dies
# (kill -9) and when it is cut off (link down), with new connections churning through it. Writes
# fleet.csv, failover.csv and fleet-summary.txt; docs/SCALING.md shows the figures. See
# bench/README.md.
#
# The topology is the fleet tests' (integration-tests, dev.shout.it.fleet): a namespace per host
# and one for the balancer's side, joined by veth pairs; the hosts' addresses (192.0.2.0/24, the
# config's server lines) exist only inside them, and no namespace has a route out. HAProxy runs
# in this script's own namespace, listening on 127.0.0.1, and opens its connections to the hosts
# in the balancer's namespace ("namespace" on its server lines).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-50}
CHURN_CONNECTIONS=${CHURN_CONNECTIONS:-10}
# Load through freshly started hosts before any figure is taken, ping-pong then churn this long
# each: a JVM's code for connecting is compiled later than its code for replying.
HOST_WARMUP=${HOST_WARMUP:-5s}
# How long the churn runs while a host is lost, and when in it the host goes.
FAILOVER_DURATION=${FAILOVER_DURATION:-12s}
FAILOVER_AFTER=${FAILOVER_AFTER:-4}
check_duration DURATION "$DURATION"
check_duration WARMUP "$WARMUP"
check_duration FAILOVER_DURATION "$FAILOVER_DURATION"
check_duration HOST_WARMUP "$HOST_WARMUP"
(($(id -u) == 0)) || die "network namespaces need root"
for program in ip haproxy python3; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$program" >/dev/null || die "$program is needed (apt-get install -y iproute2 haproxy python3)"
done
HAPROXY=$(PATH="$PATH:/usr/sbin:/sbin" command -v haproxy)

SHIPPED=$ROOT/deploy/haproxy/haproxy.cfg
BALANCER=192.0.2.254
ID=$(printf '%06x' $((RANDOM * 32768 + RANDOM)) | tail -c 6)
LB=shout-bench-$ID-lb
# The hosts: name address port metrics-port, from the shipped file's server lines.
mapfile -t SERVERS < <(awk '$1 == "server" { split($3, a, ":"); print $2, a[1], a[2] }' "$SHIPPED")
CHECK_PORT=$(grep -oP '^\s*default-server .*\bcheck port \K\d+' "$SHIPPED")
((${#SERVERS[@]} >= 2)) && [[ -n $CHECK_PORT ]] || die "$SHIPPED: expected server lines and 'default-server ... check port N'"

RESULTS=$(results_dir)
WORK=$(mktemp -d /tmp/shout-fleet.XXXXXX)
NAMESPACES=()
HAPROXY_PID=
on_exit() {
  local ns pid
  [[ -n $HAPROXY_PID ]] && { kill -TERM "$HAPROXY_PID" 2>/dev/null || true; wait "$HAPROXY_PID" 2>/dev/null || true; }
  # HAProxy's events (servers up, down, drained), not its line for every connection.
  [[ -f $WORK/haproxy.log ]] && grep -v '^[0-9a-f.:]*:[0-9]* \[' "$WORK/haproxy.log" >"$RESULTS/raw/haproxy-events.log" || true
  stop_all_servers
  for ns in "${NAMESPACES[@]+"${NAMESPACES[@]}"}"; do
    # Only this script starts anything in its namespaces; what is left there is killed by pid.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns delete "$ns" 2>/dev/null || true
  done
}
begin_session
prepare_jars

# --- the network -----------------------------------------------------------------------------

host_ns() { echo "shout-bench-$ID-$1"; }
host_side() { echo "sb${ID}h${1#s}"; }
balancer_side() { echo "sb${ID}b${1#s}"; }

ip netns add "$LB"
NAMESPACES+=("$LB")
ip -n "$LB" link set lo up
ip -n "$LB" addr add "$BALANCER/32" dev lo
# Churn from one address would run out of ports: the balancer's side reuses them (its own setting).
ip netns exec "$LB" sysctl -q -w net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="1024 65000"
for entry in "${SERVERS[@]}"; do
  read -r name address _ <<<"$entry"
  ns=$(host_ns "$name")
  ip netns add "$ns"
  NAMESPACES+=("$ns")
  ip -n "$ns" link set lo up
  ip link add "$(balancer_side "$name")" netns "$LB" type veth peer name "$(host_side "$name")" netns "$ns"
  ip -n "$ns" addr add "$address/32" dev "$(host_side "$name")"
  ip -n "$LB" link set "$(balancer_side "$name")" up
done

# heal NAME: the host's link up, with its routes (a link that went down lost them).
heal() {
  local name=$1 address=$2 ns
  ns=$(host_ns "$name")
  ip -n "$ns" link set "$(host_side "$name")" up
  ip -n "$ns" route replace "$BALANCER/32" dev "$(host_side "$name")"
  ip -n "$LB" route replace "$address/32" dev "$(balancer_side "$name")" src "$BALANCER"
}
for entry in "${SERVERS[@]}"; do heal $entry; done

# --- shout on the hosts ----------------------------------------------------------------------

declare -A HOST_PID
# start_host NAME ADDRESS PORT LOG FLAG...: shout in the host's namespace, one worker, its
# metrics (and /health) on the config's check port; waits for its start line.
start_host() {
  local name=$1 address=$2 port=$3 logfile=$4 waited=0
  shift 4
  # shellcheck disable=SC2086
  timeout -k 10 600 ip netns exec "$(host_ns "$name")" "$JAVA" ${SERVER_JVM_OPTS:-} -jar "$SERVER_JAR" \
    --host "$address" --port "$port" --metrics-port "$CHECK_PORT" --workers 1 "$@" </dev/null >"$logfile" 2>&1 &
  HOST_PID[$name]=$!
  STARTED+=("$!")
  until grep -q "shout listening on $address:$port " "$logfile" 2>/dev/null; do
    kill -0 "${HOST_PID[$name]}" 2>/dev/null || die "$name exited before its start line; see $logfile"
    ((waited++ < START_LIMIT * 10)) || die "$name: no start line within ${START_LIMIT}s; see $logfile"
    sleep 0.1
  done
}

# --- HAProxy ---------------------------------------------------------------------------------

HAPROXY_SOCKET=$WORK/admin.sock
# api COMMAND...: one command to HAProxy's runtime API, its answer printed.
api() {
  python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall((" ".join(sys.argv[2:]) + "\n").encode())
print(s.makefile().read(), end="")' "$HAPROXY_SOCKET" "$@"
}
# await_status SERVER STATUS SINCE_NS: polls `show stat` until SERVER has STATUS; prints the
# milliseconds since SINCE_NS (a `date +%s%N`), or fails after 60 s.
await_status() {
  python3 -c 'import socket, sys, time
path, server, status, since = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def stat():
    s = socket.socket(socket.AF_UNIX); s.connect(path); s.sendall(b"show stat\n")
    lines = s.makefile().read().splitlines(); head = lines[0][2:].split(",")
    for line in lines[1:]:
        f = line.split(",")
        if len(f) == len(head) and f[0] == "shout" and f[1] == server:
            return f[head.index("status")]
deadline = time.time() + 60
while stat() != status:
    if time.time() > deadline: sys.exit("%s never %s" % (server, status))
    time.sleep(0.01)
print(round((time.time_ns() - since) / 1e6))' "$HAPROXY_SOCKET" "$1" "$2" "$3"
}

# The shipped file, changed only as the fleet tests change it but keeping its check timings:
# the stats socket here, the frontend on loopback, no user/group (a socket opened in another
# namespace needs root), each server reached in the balancer's namespace.
FRONTEND_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -E -e "s|^(\s*stats socket )\S+|\1$HAPROXY_SOCKET|" -e "s|^(\s*bind )\S+$|\1127.0.0.1:$FRONTEND_PORT|" \
  -e '/^\s*(user|group) /d' -e "s|^(\s*server \S+ \S+)$|\1 namespace $LB|" "$SHIPPED" >"$RESULTS/haproxy.cfg"
CHECK_TIMINGS=$(grep -oP '^\s*default-server .*\b\Kinter \S+ fall \d+ rise \d+' "$SHIPPED")

start_haproxy() {
  "$HAPROXY" -c -q -f "$RESULTS/haproxy.cfg" || die "haproxy -c failed on $RESULTS/haproxy.cfg"
  timeout -k 5 600 "$HAPROXY" -db -f "$RESULTS/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
  HAPROXY_PID=$!
  local entry name
  for entry in "${SERVERS[@]}"; do
    read -r name _ <<<"$entry"
    await_status "$name" UP "$(date +%s%N)" >/dev/null || die "HAProxy never saw $name up: $(tail -n 5 "$WORK/haproxy.log")"
  done
}

# --- the runs --------------------------------------------------------------------------------

warmup_s=$(seconds_of "$WARMUP")
duration_s=$(seconds_of "$DURATION")
bench_limit=$((warmup_s + duration_s + 60))
facts=$RESULTS/machine.txt
[[ -s $facts ]] && echo "# fleet.sh" >>"$facts"
machine_facts_start "$facts"
{
  echo "fleet_settings: DURATION=$DURATION WARMUP=$WARMUP HOST_WARMUP=$HOST_WARMUP CONNECTIONS=$CONNECTIONS CHURN_CONNECTIONS=$CHURN_CONNECTIONS FAILOVER_DURATION=$FAILOVER_DURATION FAILOVER_AFTER=$FAILOVER_AFTER"
  echo "fleet_hosts: ${#SERVERS[@]} hosts, each a network namespace running shout --workers 1; HAProxy $("$HAPROXY" -v | head -n 1 | cut -d' ' -f3) from deploy/haproxy/haproxy.cfg, checks $CHECK_TIMINGS"
} >>"$facts"
index=$RESULTS/fleet-index.csv
echo "phase,workload,exit_code,json" >"$index"

# warm PHASE: ping-pong and churn against $HOST for HOST_WARMUP each, their figures not kept.
warm() {
  local phase=$1
  log "$phase: warming the hosts up"
  run_bench "$WORK/warm.json" "$WORK/warm.log" "$bench_limit" --port "$PORT" \
    --connections "$CONNECTIONS" --warmup 0s --duration "$HOST_WARMUP" || true
  run_bench "$WORK/warm.json" "$WORK/warm.log" "$bench_limit" --port "$PORT" \
    --churn --connections "$CHURN_CONNECTIONS" --warmup 0s --duration "$HOST_WARMUP" || true
}

# measure PHASE: ping-pong and churn runs against $HOST (in $BENCH_NETNS if set).
measure() {
  local phase=$1 workload rc flags
  for workload in pp$CONNECTIONS churn; do
    flags=(--port "$PORT" --warmup "$WARMUP" --duration "$DURATION")
    if [[ $workload == churn ]]; then flags+=(--churn --connections "$CHURN_CONNECTIONS"); else flags+=(--connections "$CONNECTIONS"); fi
    log "$phase: $workload"
    rc=0
    run_bench "$RESULTS/raw/$phase-$workload.json" "$RESULTS/raw/$phase-$workload.bench.log" "$bench_limit" "${flags[@]}" || rc=$?
    echo "$phase,$workload,$rc,raw/$phase-$workload.json" >>"$index"
  done
}

read -r first_name first_address first_port _ <<<"${SERVERS[0]}"

# 1. Direct: the bench on the balancer's side, straight to one host (no PROXY protocol: the
#    bench sends no header).
log "direct: one host, the bench in the balancer's namespace"
start_host "$first_name" "$first_address" "$first_port" "$RESULTS/raw/direct-$first_name.server.log"
HOST=$first_address PORT=$first_port BENCH_NETNS=$LB warm direct
HOST=$first_address PORT=$first_port BENCH_NETNS=$LB measure direct
stop_server "${HOST_PID[$first_name]}"

# 2. Through HAProxy, every host with --proxy-protocol v2: first with one host in service
#    (the others in maintenance), then all of them.
for entry in "${SERVERS[@]}"; do
  read -r name address port <<<"$entry"
  start_host "$name" "$address" "$port" "$RESULTS/raw/$name.server.log" --proxy-protocol v2 --proxy-trusted "$BALANCER/32"
done
start_haproxy
HOST=127.0.0.1 PORT=$FRONTEND_PORT warm haproxy
for entry in "${SERVERS[@]:1}"; do read -r name _ <<<"$entry"; api set server "shout/$name" state maint; done
HOST=127.0.0.1 PORT=$FRONTEND_PORT measure haproxy-1
for entry in "${SERVERS[@]:1}"; do read -r name _ <<<"$entry"; api set server "shout/$name" state ready; done
for entry in "${SERVERS[@]:1}"; do read -r name _ <<<"$entry"; await_status "$name" UP "$(date +%s%N)" >/dev/null; done
HOST=127.0.0.1 PORT=$FRONTEND_PORT measure "haproxy-${#SERVERS[@]}"

# 3. Failover: churn through HAProxy while a host is lost; the time until HAProxy marks it DOWN.
failover=$RESULTS/failover.csv
echo "loss,server,marked_down_ms,checks,exit_code,json" >"$failover"
# lose WHAT SERVER ACTION...: starts the churn, runs ACTION FAILOVER_AFTER s in, measures.
lose() {
  local what=$1 server=$2 since down rc=0 bench
  shift 2
  log "failover: $what of $server under churn"
  HOST=127.0.0.1 run_bench "$RESULTS/raw/failover-$what.json" "$RESULTS/raw/failover-$what.bench.log" \
    "$bench_limit" --port "$FRONTEND_PORT" --churn --connections "$CHURN_CONNECTIONS" --warmup 1s \
    --duration "$FAILOVER_DURATION" &
  bench=$!
  sleep "$FAILOVER_AFTER"
  since=$(date +%s%N)
  "$@"
  down=$(await_status "$server" DOWN "$since") || down=
  log "  $server marked DOWN ${down:-never} ms after $what"
  wait "$bench" || rc=$?
  echo "$what,$server,$down,$CHECK_TIMINGS,$rc,raw/failover-$what.json" >>"$failover"
}
read -r killed_name _ <<<"${SERVERS[1]}"
read -r cut_name cut_address _ <<<"${SERVERS[2]:-${SERVERS[1]}}"
lose kill-9 "$killed_name" kill -KILL "$(server_main_pid "${HOST_PID[$killed_name]}")"
lose link-down "$cut_name" ip -n "$(host_ns "$cut_name")" link set "$(host_side "$cut_name")" down
heal "$cut_name" "$cut_address"

machine_facts_end "$facts"
{
  for ns in "${NAMESPACES[@]}"; do
    echo "nf_conntrack_count_in_$ns: $(ip netns exec "$ns" cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null || echo none)"
  done
} >>"$facts"
python3 "$BENCH_DIR/fleet_report.py" "$RESULTS" | tee "$RESULTS/fleet-summary.txt"
log "results in $RESULTS"
