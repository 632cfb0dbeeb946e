#!/usr/bin/env bash
# Soak test, not part of CI: SOAK_SECONDS (default 600) of mixed load against a process-mode
# server while one of its workers is killed with SIGKILL every KILL_EVERY seconds (default 30).
#
#   bench/soak.sh                       # 10 minutes
#   SOAK_SECONDS=120 bench/soak.sh      # 2 minutes
#
# The load (bench/SoakDriver.java): ping-pong connections, streaming connections of up to 8 MiB
# and connect/close loops, every reply byte checked. It reports the corrupted bytes (must be 0),
# the connections lost and whether each was held by a killed worker (any other loss fails), and
# the master's resident memory at the start and the end; then this script adds what the server
# logged. Exit code 0 when the soak passed, 1 when it did not.
#
# Everything runs on 127.0.0.1. The server and its workers are started here (bench/lib.sh: bounded
# by `timeout`, stopped by pid); the only other processes signalled are those workers.
# Loopback is exempt from connection tracking while it runs, as for run.sh (bench/README.md).
# Environment: SOAK_SECONDS, KILL_EVERY, WORKERS (2), PINGPONGS (40), STREAMS (6), CHURNERS (4),
# CONNTRACK, JAVA, SERVER_JVM_OPTS, WORKER_JVM_OPTS; the server's log and machine.txt (with the
# connection-tracking counts) are kept in the directory printed.

set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOAK_SECONDS=${SOAK_SECONDS:-600}
KILL_EVERY=${KILL_EVERY:-30}
WORKERS=${WORKERS:-2}
[[ $SOAK_SECONDS =~ ^[1-9][0-9]*$ ]] || die "SOAK_SECONDS=$SOAK_SECONDS: expected a whole number of seconds"
[[ $KILL_EVERY =~ ^[1-9][0-9]*$ ]] || die "KILL_EVERY=$KILL_EVERY: expected a whole number of seconds"
[[ $WORKERS =~ ^[1-9][0-9]*$ ]] || die "WORKERS=$WORKERS: expected a whole number"

WORK=$(mktemp -d /tmp/shout-soak.XXXXXX)
KEEP_WORK=yes  # the server's log stays there to be read
begin_session

prepare_jars
machine_facts_start "$WORK/machine.txt"
log "starting the server (process mode, $WORKERS workers); log: $WORK/server.log"
start_shout "$WORK/server.log" $((SOAK_SECONDS + 300)) --mode process --workers "$WORKERS" \
  || die "the server did not start"
MASTER=$(server_main_pid "$SERVER_PID")

status=0
# shellcheck disable=SC2086
timeout -k 10 $((SOAK_SECONDS + 120)) "$JAVA" -cp "$SERVER_JAR" "$BENCH_DIR/SoakDriver.java" --port "$SERVER_PORT" \
  --master "$MASTER" --seconds "$SOAK_SECONDS" --kill-every "$KILL_EVERY" --pingpongs "${PINGPONGS:-40}" \
  --streams "${STREAMS:-6}" --churners "${CHURNERS:-4}" || status=$?

echo "server log:        $(grep -c ' died (' "$WORK/server.log" || true) worker deaths logged," \
  "$(grep -c ' WARN ' "$WORK/server.log" || true) warnings, $(grep -c ' ERROR ' "$WORK/server.log" || true) errors" \
  "($WORK/server.log)"
stop_server "$SERVER_PID"
machine_facts_end "$WORK/machine.txt"
exit "$status"
