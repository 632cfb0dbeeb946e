#!/usr/bin/env bash
# Worker start-up: starts the server RUNS times with one worker and prints, for each start, the
# master's "worker-1 ... ready in N ms" figure (spawn to ready) and the CPU time the worker had
# used by then (user + system, from /proc: the figure a loaded machine disturbs least), then the
# medians and the load average. WORKER_OPTS is passed as --worker-jvm-opts, to measure a JVM
# option before it is made the default; MASTER_OPTS go to the master's JVM (its -Dio.netty.*
# options reach its workers too). Every server listens on 127.0.0.1 port 0 and is stopped by
# its pid. Move server/target/shout-server.jsa away to measure workers without the archive; JAR
# names another build's jar, to compare two. On a machine others load, run it at real-time
# priority (as root), which the master and its workers inherit: it stands in for idle cores.
#   bench/startup.sh                      # RUNS=5
#   WORKER_OPTS="-XX:+UseSerialGC" bench/startup.sh
#   chrt -r 10 bench/startup.sh
#   WHEN=respawn bench/startup.sh         # one master, its worker killed (-9) RUNS times
# WHEN=first (the default) times each worker's first start, beside its master's own start-up,
# which takes CPU from it; WHEN=respawn times the replacement of a crashed worker, with the
# master already warm and idle, as after a crash or in a rolling restart.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/server/target/shout-server.jar}
RUNS=${RUNS:-5}
WHEN=${WHEN:-first}
WORKER_OPTS=${WORKER_OPTS:-}
read -r -a master_opts <<<"${MASTER_OPTS:-}"
[[ -f $JAR ]] || { echo "no $JAR: mvn -B -q package -DskipTests first" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "RUNS=$RUNS: expected a whole number >= 1" >&2; exit 1; }
[[ $WHEN == first || $WHEN == respawn ]] || { echo "WHEN=$WHEN: expected first or respawn" >&2; exit 1; }

LOG=$(mktemp /tmp/shout-startup.XXXXXX)
pid=
stop() {
  if [[ -n $pid ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
}
trap 'stop; rm -f "$LOG"' EXIT

args=(--host 127.0.0.1 --port 0 --workers 1)
[[ -n $WORKER_OPTS ]] && args+=(--worker-jvm-opts "$WORKER_OPTS")
figures=()
cpus=()
start_server() {
  : >"$LOG"
  timeout 600 java "${master_opts[@]}" -jar "$JAR" "${args[@]}" >"$LOG" 2>&1 &
  pid=$!
}
# The pid of the Nth worker-1 the master started.
worker_pid() { sed -n 's/.*started worker-1 (pid \([0-9]*\)).*/\1/p' "$LOG" | sed -n "${1}p"; }
# Waits for the master's Nth "worker-1 ... ready in" line; sets ms (its figure) and cpu (the
# worker's CPU time by then: utime + stime, fields 14 and 15 of /proc/PID/stat, in clock ticks).
await_ready() {
  local nth=$1 worker
  ms=
  cpu=
  for _ in $(seq 1200); do
    ms=$(sed -n 's/.*worker-1.* ready in \([0-9]*\) ms.*/\1/p' "$LOG" | sed -n "${nth}p")
    if [[ -n $ms ]]; then
      worker=$(worker_pid "$nth")
      cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$worker/stat")
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$LOG" >&2
  echo "no worker-1 'ready in' line number $nth" >&2
  exit 1
}
# CPU time (utime + stime, in clock ticks) the master and its current worker have used.
server_ticks() { cat "/proc/$pid/stat" "/proc/$(worker_pid "$run")/stat" | awk '{t += $14 + $15} END {print t}'; }
# Waits until neither the master nor its worker used a clock tick in 200 ms, at most 20 s: the
# machine is idle again after the last start (its compilations, the master's logging) and the
# next start is timed alone, as on an idle machine.
await_idle() {
  local before
  for _ in $(seq 100); do
    before=$(server_ticks)
    sleep 0.2
    [[ $(server_ticks) == "$before" ]] && return 0
  done
  echo "the server did not go idle within 20 s; timing the next start anyway" >&2
}
if [[ $WHEN == respawn ]]; then
  start_server
  await_ready 1
fi
for ((run = 1; run <= RUNS; run++)); do
  if [[ $WHEN == first ]]; then
    start_server
    await_ready 1
    stop
  else
    await_idle
    kill -KILL "$(worker_pid "$run")"
    await_ready $((run + 1))
  fi
  figures+=("$ms")
  cpus+=("$cpu")
  echo "run $run: ready in $ms ms, worker CPU $cpu ms (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
stop
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median of $RUNS ($WHEN starts): ready in $(median "${figures[@]}") ms, worker CPU $(median "${cpus[@]}") ms" \
  "(worker opts: ${WORKER_OPTS:-none}; master opts: ${MASTER_OPTS:-none}; load average $(cut -d' ' -f1-3 /proc/loadavg))"
