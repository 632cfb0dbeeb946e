#!/usr/bin/env bash
# The connection-scale run: process mode holding LEVELS idle connections each in turn. For each
# level it reports the server's resident memory (master + workers) while all are held, per
# connection, then pings through every connection once and reports the latencies. See
# bench/README.md.
#
# One process may open only `ulimit -n` descriptors here, so the connections come from several
# bench processes in parallel (at most PER_CLIENT each) and go to enough workers that each
# holds fewer than PER_WORKER.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

LEVELS=${LEVELS:-10000 50000 100000}
HOLD=${HOLD:-30s}
PER_CLIENT=${PER_CLIENT:-18000}
PER_WORKER=${PER_WORKER:-15000}
CONNECT_LIMIT=${CONNECT_LIMIT:-300}
TRANSFORM=${TRANSFORM:-upper}
# Seconds between the bench processes' end and reading the worker restarts.
SETTLE=${SETTLE:-8}

check_duration HOLD "$HOLD"
hold_s=$(seconds_of "$HOLD")
((hold_s >= 10)) || die "HOLD=$HOLD: at least 10s, so that the memory is read while every connection is held"
for n in $LEVELS; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "LEVELS: '$n' is not a connection count"; done
fd_limit=$(ulimit -n)
((PER_CLIENT + 500 <= fd_limit && PER_WORKER + 500 <= fd_limit)) \
  || die "PER_CLIENT=$PER_CLIENT and PER_WORKER=$PER_WORKER must stay 500 below ulimit -n ($fd_limit)"

RESULTS=$(results_dir)
WORK=$(mktemp -d /tmp/shout-scale.XXXXXX)
CLIENTS=()
# Run by lib.sh's cleanup before it stops the servers.
on_exit() {
  local pid
  for pid in "${CLIENTS[@]+"${CLIENTS[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
}
begin_session

prepare_jars
facts=$RESULTS/machine.txt
[[ -s $facts ]] && echo "# scale.sh" >>"$facts"
machine_facts_start "$facts"
echo "scale_settings: LEVELS=$LEVELS HOLD=$HOLD PER_CLIENT=$PER_CLIENT PER_WORKER=$PER_WORKER CONNECT_LIMIT=$CONNECT_LIMIT TRANSFORM=$TRANSFORM" >>"$facts"

csv=$RESULTS/scale.csv
echo "level,clients,workers,connections_per_worker,max_connections,server_open,connect_s,rss_idle_kb,rss_total_kb,rss_master_kb,rss_workers_kb,rss_per_conn_kb,rss_added_per_conn_kb,heap_total_kb,heap_master_kb,kernel_tcp_mem_kb,worker_restarts,server_connections_lost,$(python3 "$BENCH_DIR/scale_report.py" client-fields),problem" >"$csv"

# row FIELDS EMPTY PROBLEM: a line of scale.csv, EMPTY empty fields before the quoted problem.
row() {
  local empty= e
  for ((e = 0; e < $2; e++)); do empty+=,; done
  printf '%s%s,"%s"\n' "$1" "$empty" "${3//\"/\'}" >>"$csv"
}

# metric_sum PORT NAME: a metric of the server's /metrics summed over its labels (workers,
# causes); nothing when the endpoint does not answer within 5 s.
metric_sum() {
  local page
  page=$(curl -s --max-time 5 "http://$HOST:$1/metrics") || return 0
  awk -v name="$2" '$1 == name || index($1, name "{") == 1 { sum += $2 } END { printf "%d\n", sum }' <<<"$page"
}

# The kernel's count of connections dropped because a listening socket's accept queue was full
# (TcpExt ListenOverflows, all sockets of this network namespace).
listen_overflows() {
  awk '$1 == "TcpExt:" { if (!names) { for (i = 2; i <= NF; i++) if ($i == "ListenOverflows") col = i; names = 1 } else { print $col; exit } }' /proc/net/netstat
}

# Connections open in the server, summed over its workers.
server_open() { metric_sum "$1" shout_connections_open; }

# The newest "holding idle: N open" of a bench process's progress, or nothing before it.
holding_count() {
  { grep -o 'holding idle: [0-9,]* open' "$1" 2>/dev/null || true; } | tail -n 1 | tr -dc '0-9'
}

# What went wrong in the bench processes of a level: their stderr less the progress lines, and
# their stdout less the JSON report (a JVM that did not start says why there). The three most
# frequent, counted.
client_problems() {
  {
    grep -h -v -E '^shout bench: +[0-9]+s (connecting|holding idle)' "$RESULTS"/raw/"$1".client-*.log || true
    grep -h -v '^{' "$RESULTS"/raw/"$1".client-*.json || true
  } 2>/dev/null | sort | uniq -c | sort -rn | head -n 3 | sed 's/^ *//' | tr '\n' ';' | tr ',' ' '
}

# heap_after_gc_kb PID: the Java heap in use right after a full collection (jcmd GC.run, then
# GC.heap_info), in kB: every generation's "used" summed (the serial collector reports young and
# tenured apart, G1 one heap; metaspace is not heap); 0 when jcmd cannot reach the process. Read
# after the RSS, which a full collection may shrink.
heap_after_gc_kb() {
  jcmd "$1" GC.run >/dev/null 2>&1 || { echo 0; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/ generation | heap / { for (i = 1; i < NF; i++) if ($i == "used") {
    v = $(i + 1); sub(/K,?$/, "", v); used += v } } END { print used + 0 }'
}

kernel_tcp_mem_kb() {
  awk -v page="$(getconf PAGESIZE)" '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "mem") print $(i + 1) * page / 1024 }' /proc/net/sockstat
}

for n in $LEVELS; do
  workers=$((n / PER_WORKER + 1))
  per_worker=$(((n + workers - 1) / workers))
  cpw=$((per_worker + per_worker / 10 + 100))
  ((cpw > fd_limit - 500)) && cpw=$((fd_limit - 500))
  max_connections=$((n + n / 10 + 100))
  clients=$(((n + PER_CLIENT - 1) / PER_CLIENT))
  tag=scale-$n
  problem=
  log "level $n: $workers workers (at most $cpw connections each), $clients bench processes"

  client_limit=$((CONNECT_LIMIT + hold_s + 90))
  if ! start_shout "$RESULTS/raw/$tag.server.log" $((client_limit + START_LIMIT + 60)) --mode process \
    --workers "$workers" --threads 1 --transform "$TRANSFORM" --max-connections "$max_connections" \
    --connections-per-worker "$cpw" --max-connections-per-ip 0 --backlog 4096 --metrics-port 0; then
    stop_server "$SERVER_PID"
    row "$n,$clients,$workers,$cpw,$max_connections" 22 "server did not start (see raw/$tag.server.log)"
    continue
  fi
  metrics_port=$(grep -m 1 -o "metrics on http://$HOST:[0-9]*" "$RESULTS/raw/$tag.server.log" || true)
  metrics_port=${metrics_port##*:}
  master=$(server_main_pid "$SERVER_PID")
  sleep 2
  rss_idle=$(tree_rss_kb "$master")

  # The bench processes, each with its share of the connections.
  overflows_before=$(listen_overflows)
  CLIENTS=()
  started=$(date +%s.%N)
  for ((i = 1; i <= clients; i++)); do
    share=$((n / clients + (i <= n % clients ? 1 : 0)))
    # shellcheck disable=SC2086
    timeout -k 5 "$client_limit" "$JAVA" ${BENCH_JVM_OPTS:-} -jar "$CLIENT_JAR" bench --host "$HOST" \
      --port "$SERVER_PORT" --pattern idle-then-ping --connections "$share" --duration "$HOLD" \
      --transform "$TRANSFORM" --connect-timeout 30s --json \
      </dev/null >"$RESULTS/raw/$tag.client-$i.json" 2>"$RESULTS/raw/$tag.client-$i.log" &
    CLIENTS+=($!)
  done

  # Every bench process holding (its progress says "holding idle") or gone.
  for ((t = 0; t < CONNECT_LIMIT * 2; t++)); do
    settled=0
    for ((i = 1; i <= clients; i++)); do
      if [[ -n $(holding_count "$RESULTS/raw/$tag.client-$i.log") ]] || ! kill -0 "${CLIENTS[i - 1]}" 2>/dev/null; then
        settled=$((settled + 1))
      fi
    done
    ((settled == clients)) && break
    sleep 0.5
  done
  connect_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  ((settled == clients)) || problem="not all bench processes connected within CONNECT_LIMIT=${CONNECT_LIMIT}s"
  # The connections the bench processes hold, and which of them hold.
  held=0
  holding=()
  for ((i = 1; i <= clients; i++)); do
    c=$(holding_count "$RESULTS/raw/$tag.client-$i.log")
    [[ -n $c ]] && holding+=("${CLIENTS[i - 1]}")
    held=$((held + ${c:-0}))
  done
  if ((${#holding[@]} < clients)); then
    problem="${problem:+$problem; }$((clients - ${#holding[@]})) of $clients bench processes never held their connections"
  fi

  overflows=$(($(listen_overflows) - overflows_before))
  if ((overflows > 0)); then
    problem="${problem:+$problem; }the accept queue overflowed $overflows times while the clients connected (TcpExt ListenOverflows)"
  fi

  # The server's count catches up with the clients' as workers acknowledge their hand-offs. A
  # client may count a connection the server never accepted (its accept queue overflowed: the
  # kernel answered the handshake, then dropped it), so the wait also ends once the count has
  # stood still for three readings, and within a third of HOLD, while every client still holds.
  open=0
  still=0
  for ((t = 0; t < hold_s / 3 && still < 3; t++)); do
    previous=$open
    open=$(server_open "$metrics_port")
    ((${open:-0} >= held)) && break
    if [[ -n $open && $open == "$previous" ]]; then still=$((still + 1)); else still=0; fi
    sleep 0.5
  done
  rss_total=$(tree_rss_kb "$master")
  rss_master=$(awk '/^VmRSS:/ { print $2 }' "/proc/$master/status" 2>/dev/null || echo 0)
  tcp_mem=$(kernel_tcp_mem_kb)
  open=${open:-0}
  heap_master=$(heap_after_gc_kb "$master")
  heap_total=$heap_master
  for p in $(descendants "$master"); do heap_total=$((heap_total + $(heap_after_gc_kb "$p"))); done
  open_after=$(server_open "$metrics_port")
  # Each bench process holds for HOLD from its own last connect; one that has moved on to its
  # ping round, or left, would make the reading describe fewer connections.
  alive=0
  for pid in "${holding[@]+"${holding[@]}"}"; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
  if [[ -n $open_after && $open_after != "$open" ]] || ((alive != ${#holding[@]})); then
    problem="${problem:+$problem; }connections changed while the memory was read ($open open, then $open_after; $alive of ${#holding[@]} holding bench processes still holding): raise HOLD"
  fi
  log "level $n: $held held by the clients, $open open in the server after ${connect_s}s; RSS $((rss_total / 1024)) MB (idle $((rss_idle / 1024)) MB)"

  # The ping round, then the reports.
  for pid in "${CLIENTS[@]}"; do wait "$pid" 2>/dev/null || true; done
  CLIENTS=()
  # A worker that stalls on the closes is killed only after --worker-timeout (5 s): give it time to show.
  sleep "$SETTLE"
  restarts=$(metric_sum "$metrics_port" shout_worker_restarts_total)
  lost=$(metric_sum "$metrics_port" shout_connections_lost_total)
  stop_server "$SERVER_PID"
  if ((${restarts:-0} > 0)); then
    problem="${problem:+$problem; }$restarts worker restarts during the level, $lost connections lost with them (see raw/$tag.server.log)"
  fi
  client_json=()
  for ((i = 1; i <= clients; i++)); do client_json+=("$RESULTS/raw/$tag.client-$i.json"); done
  figures=$(python3 "$BENCH_DIR/scale_report.py" clients "${client_json[@]}")
  if ((open < n)); then
    why=$(client_problems "$tag")
    problem="${problem:+$problem; }reached $open of $n${why:+: $why}"
  fi
  per_conn= added_per_conn=
  if ((open > 0)); then
    per_conn=$(awk -v r="$rss_total" -v o="$open" 'BEGIN { printf "%.2f", r / o }')
    added_per_conn=$(awk -v r="$rss_total" -v i="$rss_idle" -v o="$open" 'BEGIN { printf "%.2f", (r - i) / o }')
  fi
  row "$n,$clients,$workers,$cpw,$max_connections,$open,$connect_s,$rss_idle,$rss_total,$rss_master,$((rss_total - rss_master)),$per_conn,$added_per_conn,$heap_total,$heap_master,$tcp_mem,$restarts,$lost,$figures" 0 "$problem"
  [[ -n $problem ]] && log "level $n: $problem"
done
machine_facts_end "$facts"

echo
python3 "$BENCH_DIR/scale_report.py" table "$csv" | tee "$RESULTS/scale-summary.txt"
echo
log "results in $RESULTS (scale.csv, scale-summary.txt, machine.txt, raw/)"
