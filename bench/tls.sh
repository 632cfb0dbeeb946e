#!/usr/bin/env bash
# TLS measured: shout in thread mode in plaintext, with TLS by OpenSSL (BoringSSL) and by the
# JDK, and plaintext shout behind stunnel4, which is what a user would otherwise put in front.
# Ping-pong at 50 connections and churn (each new connection a full handshake), ROUNDS
# interleaved rounds, medians. The load generator is `shout bench` (--tls where TLS is on).
# See bench/README.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# shout bench, the load generator that speaks TLS.
LOADGEN=java
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-2s}
CONFIGS=${CONFIGS:-plain tls-openssl tls-jdk stunnel}
SIZE=${SIZE:-64}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS=$ROUNDS: expected a whole number >= 1"
check_duration DURATION "$DURATION"
check_duration WARMUP "$WARMUP"
for c in $CONFIGS; do
  [[ $c =~ ^(plain|tls-openssl|tls-jdk|stunnel)$ ]] || die "CONFIGS: unknown '$c' (plain, tls-openssl, tls-jdk, stunnel)"
done
if [[ " $CONFIGS " == *" stunnel "* ]]; then
  command -v stunnel4 >/dev/null || die "stunnel4 is needed (apt-get install -y stunnel4), or leave it out of CONFIGS"
fi
command -v openssl >/dev/null || die "openssl is needed to make the test certificate"

RESULTS=$(results_dir)
WORK=$(mktemp -d /tmp/shout-bench-tls.XXXXXX)
begin_session
prepare_jars

# A throwaway authority and a certificate for 127.0.0.1, the only address used.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench CA" -keyout "$WORK/ca.key" \
  -out "$WORK/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$WORK/san.ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.crt" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
  -extfile "$WORK/san.ext" -out "$WORK/server.crt" 2>/dev/null

warmup_s=$(seconds_of "$WARMUP")
duration_s=$(seconds_of "$DURATION")
bench_limit=$((warmup_s + duration_s + 120))
server_lifetime=$((bench_limit + START_LIMIT + 60))
TLS_FLAGS=(--tls-cert "$WORK/server.crt" --tls-key "$WORK/server.key")

facts=$RESULTS/machine.txt
: >"$facts"
machine_facts_start "$facts"
{
  echo "settings: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP SIZE=$SIZE CONFIGS=$CONFIGS"
  echo "server: --mode thread --threads 2; certificate RSA 2048; load generator: shout bench (--tls: OpenSSL where it loads)"
  echo "stunnel: $(stunnel4 -version 2>&1 | head -n 1)"
} >>"$facts"

STUNNEL_PID=
on_exit() { [[ -n $STUNNEL_PID ]] && kill "$STUNNEL_PID" 2>/dev/null; return 0; }

# start_stunnel LOG BACKEND_PORT: stunnel4 terminating TLS on a free port; sets SERVER_PORT.
start_stunnel() {
  local port waited
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$WORK/stunnel.conf" <<CONF
foreground = yes
pid =
[shout]
accept = $HOST:$port
connect = $HOST:$2
cert = $WORK/server.crt
key = $WORK/server.key
CONF
  timeout -k 5 "$server_lifetime" stunnel4 "$WORK/stunnel.conf" >"$1" 2>&1 &
  STUNNEL_PID=$!
  for ((waited = 0; waited < 100; waited++)); do
    if python3 -c "import socket,sys; socket.create_connection(('$HOST', $port), 1).close()" 2>/dev/null; then
      SERVER_PORT=$port
      return 0
    fi
    sleep 0.1
  done
  log "stunnel4 did not listen on $port; see $1"
  return 1
}

index=$RESULTS/index.csv
echo "round,workload,config,exit_code,json" >"$index"
configs=($CONFIGS)
for ((round = 1; round <= ROUNDS; round++)); do
  shift_by=$(((round - 1) % ${#configs[@]}))
  order=("${configs[@]:shift_by}" "${configs[@]:0:shift_by}")
  for w in pp50 churn; do
    for c in "${order[@]}"; do
      name=r$round-$w-$c
      log "round $round, $w, $c"
      server_flags=(--mode thread --threads 2)
      case $c in
        tls-openssl) server_flags+=("${TLS_FLAGS[@]}" --tls-provider openssl) ;;
        tls-jdk) server_flags+=("${TLS_FLAGS[@]}" --tls-provider jdk) ;;
      esac
      start_shout "$RESULTS/raw/$name.server.log" "$server_lifetime" "${server_flags[@]}" \
        || { echo "$round,$w,$c,server-failed," >>"$index"; stop_server "$SERVER_PID"; continue; }
      if [[ $c == stunnel ]]; then
        start_stunnel "$RESULTS/raw/$name.stunnel.log" "$SERVER_PORT" \
          || { echo "$round,$w,$c,stunnel-failed," >>"$index"; stop_server "$SERVER_PID"; on_exit; continue; }
      fi
      flags=(--port "$SERVER_PORT" --size "$SIZE" --warmup "$WARMUP" --duration "$DURATION")
      [[ $c == plain ]] || flags+=(--tls --ca "$WORK/ca.crt")
      case $w in
        pp50) flags+=(--connections 50) ;;
        churn) flags+=(--churn --connections 10) ;;
      esac
      rc=0
      run_bench "$RESULTS/raw/$name.json" "$RESULTS/raw/$name.bench.log" "$bench_limit" "${flags[@]}" || rc=$?
      on_exit
      STUNNEL_PID=
      stop_server "$SERVER_PID"
      ((rc == 0)) || log "  bench exit code $rc: $(tail -n 2 "$RESULTS/raw/$name.bench.log" | tr '\n' ' ')"
      echo "$round,$w,$c,$rc,raw/$name.json" >>"$index"
    done
  done
done
machine_facts_end "$facts"
python3 - "$RESULTS" <<'PY' | tee "$RESULTS/summary.txt"
import csv, json, statistics, sys
from pathlib import Path
results = Path(sys.argv[1])
figures = {"pp50": "messages_per_s", "churn": "connections_per_s"}
runs = {}
for row in csv.DictReader(open(results / "index.csv")):
    if row["exit_code"] == "0":
        report = json.loads((results / row["json"]).read_text())
        runs.setdefault((row["workload"], row["config"]), []).append(report[figures[row["workload"]]])
print(f"{'workload':8} {'config':12} {'median':>10} {'min':>10} {'max':>10} {'runs':>4} {'/plain':>7}")
for workload in figures:
    plain = statistics.median(runs[(workload, "plain")]) if (workload, "plain") in runs else None
    for (w, config), values in sorted(runs.items()):
        if w == workload:
            median = statistics.median(values)
            ratio = f"{median / plain:.2f}" if plain else "-"
            print(f"{w:8} {config:12} {median:10.0f} {min(values):10.0f} {max(values):10.0f} {len(values):4} {ratio:>7}")
PY
log "results in $RESULTS"
