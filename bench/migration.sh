#!/usr/bin/env bash
# What a rolling restart costs now that connections move (issue #11), ROUNDS times, each round
# on a fresh process-mode server:
#   1. ping-pong (the C load generator, PINGPONG connections): a run of DURATION without a
#      restart gives the p99 and the longest round trip before it; a second run of the same
#      length gets a SIGHUP a third of the way in, and its longest round trip is the one that
#      crossed the restart;
#   2. IDLE idle connections (`shout bench --pattern idle-then-ping`), then a SIGHUP: how long
#      each old worker took from "moving N connections" to "moved N connections" in its log,
#      and so migrations per second; at the end of IDLE_HOLD every connection is pinged once.
# See bench/README.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15s}
PINGPONG=${PINGPONG:-50}
IDLE=${IDLE:-10000}
WORKERS=${WORKERS:-2}
# How long the idle connections are held before each is pinged once; the roll must end within it.
IDLE_HOLD=${IDLE_HOLD:-60s}

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS=$ROUNDS: expected a whole number >= 1"
check_duration DURATION "$DURATION"
check_duration IDLE_HOLD "$IDLE_HOLD"
[[ $PINGPONG =~ ^[1-9][0-9]*$ ]] || die "PINGPONG=$PINGPONG: expected a connection count"
[[ $IDLE =~ ^[1-9][0-9]*$ ]] || die "IDLE=$IDLE: expected a connection count"
[[ $WORKERS =~ ^[1-9][0-9]*$ ]] || die "WORKERS=$WORKERS: expected a worker count"
((IDLE + 500 <= $(ulimit -n))) || die "IDLE=$IDLE must stay 500 below ulimit -n ($(ulimit -n))"

RESULTS=$(results_dir)
WORK=$(mktemp -d /tmp/shout-migration.XXXXXX)
IDLE_CLIENT=
on_exit() { [[ -n $IDLE_CLIENT ]] && kill -TERM "$IDLE_CLIENT" 2>/dev/null; true; }
begin_session

prepare_jars
LOADGEN=c prepare_load
duration_s=$(seconds_of "$DURATION")
bench_limit=$((duration_s + 60))

facts=$RESULTS/machine.txt
: >"$facts"
machine_facts_start "$facts"
echo "migration_settings: ROUNDS=$ROUNDS DURATION=$DURATION PINGPONG=$PINGPONG IDLE=$IDLE IDLE_HOLD=$IDLE_HOLD WORKERS=$WORKERS" >>"$facts"

# rolls_done LOG: how many rolling restarts the master has finished.
rolls_done() { grep -c 'rolling restart done' "$1" 2>/dev/null || true; }

# await_roll LOG BEFORE: waits (at most 5 minutes) until a roll after the first BEFORE is done.
await_roll() {
  local t
  for ((t = 0; t < 3000; t++)); do
    (($(rolls_done "$1") > $2)) && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during the roll; see $1"
    sleep 0.1
  done
  die "no 'rolling restart done' within 5 minutes; see $1"
}

csv=$RESULTS/migration.csv
echo "round,p99_before_us,max_before_us,max_across_us,messages_per_s_before,messages_per_s_across,verify_failures,idle_connections,moved,fallback,move_ms,migrations_per_s,pinged_after,problem" >"$csv"

for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round: ping-pong, $PINGPONG connections, $DURATION without and $DURATION with a SIGHUP"
  server_log=$RESULTS/raw/r$round.server.log
  start_shout "$server_log" $((4 * bench_limit + 600)) --mode process --workers "$WORKERS" --threads 1 \
    --max-connections $((IDLE + PINGPONG + 1000)) --connections-per-worker $((IDLE + PINGPONG + 1000)) \
    --max-connections-per-ip 0 --idle-timeout 0 --backlog 4096 \
    || die "the server did not start; see $server_log"
  master=$(server_main_pid "$SERVER_PID")
  flags=(--port "$SERVER_PORT" --connections "$PINGPONG" --size 64 --warmup 2s --duration "$DURATION")
  run_bench "$RESULTS/raw/r$round.before.json" "$RESULTS/raw/r$round.before.log" "$bench_limit" "${flags[@]}" \
    || die "the ping-pong run before the restart failed; see raw/r$round.before.log"

  before=$(rolls_done "$server_log")
  run_bench "$RESULTS/raw/r$round.across.json" "$RESULTS/raw/r$round.across.log" "$bench_limit" "${flags[@]}" &
  across=$!
  # The warm-up, then a third of the measured time: the restart falls inside the measurement.
  sleep $((2 + duration_s / 3))
  kill -HUP "$master"
  await_roll "$server_log" "$before"
  wait "$across" || log "round $round: the ping-pong run across the restart failed; see raw/r$round.across.log"

  log "round $round: $IDLE idle connections, then a SIGHUP"
  before=$(rolls_done "$server_log")
  moving_before=$(grep -c 'moving [0-9]* connections' "$server_log" || true)
  timeout -k 5 600 "$JAVA" ${BENCH_JVM_OPTS:-} -jar "$CLIENT_JAR" bench --host "$HOST" --port "$SERVER_PORT" \
    --pattern idle-then-ping --connections "$IDLE" --duration "$IDLE_HOLD" --connect-timeout 30s --json \
    </dev/null >"$RESULTS/raw/r$round.idle.json" 2>"$RESULTS/raw/r$round.idle.log" &
  IDLE_CLIENT=$!
  for ((t = 0; t < 1200; t++)); do
    grep -q 'holding idle' "$RESULTS/raw/r$round.idle.log" 2>/dev/null && break
    kill -0 "$IDLE_CLIENT" 2>/dev/null || die "the idle client ended early; see raw/r$round.idle.log"
    sleep 0.5
  done
  kill -HUP "$master"
  await_roll "$server_log" "$before"
  # At the end of IDLE_HOLD the idle client pings every connection once, moved or not.
  wait "$IDLE_CLIENT" || log "round $round: the idle client failed; see raw/r$round.idle.log"
  IDLE_CLIENT=
  stop_server "$SERVER_PID"

  python3 "$BENCH_DIR/migration_report.py" round "$round" "$RESULTS/raw/r$round" "$server_log" \
    "$moving_before" "$IDLE" >>"$csv"
done
machine_facts_end "$facts"

echo
python3 "$BENCH_DIR/migration_report.py" table "$csv" | tee "$RESULTS/migration-summary.txt"
log "results in $RESULTS (migration.csv, migration-summary.txt, machine.txt, raw/)"
