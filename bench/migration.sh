#!/usr/bin/env bash
# Rolling restarts that move live connections (issue #11): the longest round trip a ping-pong
# client sees across a SIGHUP against its p99 before it, and the time to move IDLE idle
# connections (default 10,000). Process mode, WORKERS workers (default 2). Every connection goes
# to 127.0.0.1; the server is stopped by its pid however the script ends.
#
#   bench/migration.sh                 # results under bench/results/<time>/
#   PINGPONG=50 BEFORE=10 IDLE=10000 WORKERS=2 bench/migration.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PINGPONG=${PINGPONG:-50}
BEFORE=${BEFORE:-10}
IDLE=${IDLE:-10000}
WORKERS=${WORKERS:-2}
WORK=$(mktemp -d)
begin_session
# The probe holds every idle connection in one process; the JVMs raise their own limits.
if (( $(ulimit -n) < IDLE + 1024 )); then
  ulimit -n $(( IDLE + 1024 )) 2>/dev/null \
    || die "IDLE=$IDLE needs $(( IDLE + 1024 )) descriptors in one process; the limit here is $(ulimit -Hn)"
fi
prepare_jars
OUT=$(results_dir)

run_probe() {
  local what=$1 count=$2 logfile=$OUT/raw/server-$1.log main
  shift 2
  start_shout "$logfile" 900 --mode process --workers "$WORKERS" --max-connections $(( IDLE + 1000 )) \
    --max-connections-per-ip 0 --connections-per-worker $(( IDLE + 1000 )) || die "the server did not start"
  main=$(server_main_pid "$SERVER_PID")
  log "$what: $count connections, SIGHUP to master $main"
  timeout -k 5 600 python3 "$BENCH_DIR/migration_probe.py" "$what" "$SERVER_PORT" "$main" "$logfile" "$count" "$@" \
    | tee "$OUT/$what.txt"
  stop_server "$SERVER_PID"
}

run_probe pingpong "$PINGPONG" "$BEFORE"
run_probe idle "$IDLE"
log "results in $OUT"
