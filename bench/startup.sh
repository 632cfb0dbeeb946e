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
# The benchmark forks no process while a worker starts: it reads the master's log as it grows
# with bash's own read, and naps by reading, with a timeout, a FIFO nobody writes. Polling with
# sed and sleep every 50 ms took about 100 ms of a first start's 400 from the two cores.
mkfifo "$LOG.nap"
exec {nap}<>"$LOG.nap"
pid=
logfd=
stop() {
  if [[ -n $pid ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
}
trap 'stop; rm -f "$LOG" "$LOG.nap"' EXIT

args=(--host 127.0.0.1 --port 0 --workers 1)
[[ -n $WORKER_OPTS ]] && args+=(--worker-jvm-opts "$WORKER_OPTS")
figures=()
cpus=()
start_server() {
  : >"$LOG"
  timeout 600 java "${master_opts[@]}" -jar "$JAR" "${args[@]}" >"$LOG" 2>&1 &
  pid=$!
  [[ -n $logfd ]] && exec {logfd}<&-
  exec {logfd}<"$LOG"
  started=()
  readies=()
  partial=
}
# Reads the log's new lines: the pid of each worker-1 the master started, and the figure of
# each of its "worker-1 ... ready in N ms" lines, in order.
follow_log() {
  local chunk line
  while IFS= read -r -u "$logfd" chunk; do
    line=$partial$chunk
    partial=
    [[ $line =~ started\ worker-1\ \(pid\ ([0-9]+)\) ]] && started+=("${BASH_REMATCH[1]}")
    [[ $line =~ worker-1.*\ ready\ in\ ([0-9]+)\ ms ]] && readies+=("${BASH_REMATCH[1]}")
  done
  partial+=$chunk
}
nap() { read -r -t 0.05 -u "$nap" _ || true; }
# The pid of the Nth worker-1 the master started.
worker_pid() { echo "${started[$1 - 1]}"; }
# Waits for the master's Nth "worker-1 ... ready in" line; sets ms (its figure) and cpu (the
# worker's CPU time by then: utime + stime, fields 14 and 15 of /proc/PID/stat, in clock ticks).
await_ready() {
  local nth=$1 tries
  ms=
  cpu=
  for ((tries = 0; tries < 1200; tries++)); do
    follow_log
    if ((${#readies[@]} >= nth && ${#started[@]} >= nth)); then
      ms=${readies[nth - 1]}
      cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/${started[nth - 1]}/stat")
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    nap
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
