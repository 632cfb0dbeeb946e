#!/usr/bin/env bash
# The benchmark session: shout in thread mode (two event loops and one), in process mode (the
# master accepting, and the workers accepting), and the C reference, on the same workloads, back
# to back, ROUNDS times, each server started fresh for each run. Prints
# the medians with the ratios and the targets, and writes everything to a results directory.
# The load comes from the C load generator (bench/load/shout_load.c), or with LOADGEN=java from
# `shout bench`. See bench/README.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
# Churn runs more code than ping-pong, and each worker JVM compiles it again: its JIT compilers
# stay busy for 10 to 15 s of churn (per-thread CPU of C1/C2, bench/README.md), so churn warms up longer.
CHURN_WARMUP=${CHURN_WARMUP:-15s}
MODES=${MODES:-thread thread1 process workers ref}
# The workloads the targets are about; pp1 pp50-ascii pp50-echo stream4 are there to ask for.
WORKLOADS=${WORKLOADS:-pp50 pp1000 pp50-4k pp1000-4k churn}
SIZE=${SIZE:-64}
CHURN_CONNECTIONS=${CHURN_CONNECTIONS:-10}
# Set and empty: the chart stays in the results directory.
CHART_OUT=${CHART_OUT-$ROOT/docs/benchmarks.png}
# c: one thread of C, which leaves the server more of the cores, for the ratios against the C
# reference; java: `shout bench`, the load generator users have.
LOADGEN=${LOADGEN:-c}

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS=$ROUNDS: expected a whole number >= 1"
check_duration DURATION "$DURATION"
check_duration WARMUP "$WARMUP"
check_duration CHURN_WARMUP "$CHURN_WARMUP"
[[ $LOADGEN == c || $LOADGEN == java ]] || die "LOADGEN=$LOADGEN: expected c (the default) or java"

# id -> pattern, connections, transform, message size, and whether the C reference runs it. The
# reference only uppercases ASCII; every payload is printable ASCII, so its one run at 50
# connections is the yardstick for all three transforms.
declare -A PATTERN=([pp1]=pingpong [pp50]=pingpong [pp1000]=pingpong [pp50-4k]=pingpong
  [pp1000-4k]=pingpong [pp50-ascii]=pingpong [pp50-echo]=pingpong [stream4]=stream [churn]=churn)
declare -A CONNECTIONS=([pp1]=1 [pp50]=50 [pp1000]=1000 [pp50-4k]=50 [pp1000-4k]=1000 [pp50-ascii]=50
  [pp50-echo]=50 [stream4]=4 [churn]=$CHURN_CONNECTIONS)
declare -A TRANSFORM=([pp1]=upper [pp50]=upper [pp1000]=upper [pp50-4k]=upper [pp1000-4k]=upper
  [pp50-ascii]=ascii-upper [pp50-echo]=echo [stream4]=upper [churn]=upper)
declare -A MESSAGE_SIZE=([pp50-4k]=4096 [pp1000-4k]=4096)
declare -A REF_RUNS=([pp1]=yes [pp50]=yes [pp1000]=yes [pp50-4k]=yes [pp1000-4k]=yes [pp50-ascii]=no
  [pp50-echo]=no [stream4]=yes [churn]=yes)
for w in $WORKLOADS; do [[ -n ${PATTERN[$w]:-} ]] || die "WORKLOADS: unknown '$w' (known: ${!PATTERN[*]})"; done
for m in $MODES; do
  [[ " thread thread1 process workers ref " == *" $m "* ]] || die "MODES: unknown '$m' (thread, thread1, process, workers, ref)"
done

RESULTS=$(results_dir)
WORK=$(mktemp -d /tmp/shout-bench.XXXXXX)
begin_session

prepare_jars
[[ " $MODES " == *" ref "* ]] && prepare_ref
[[ $LOADGEN == c ]] && prepare_load

warmup_s=$(seconds_of "$WARMUP")
churn_warmup_s=$(seconds_of "$CHURN_WARMUP")
duration_s=$(seconds_of "$DURATION")
# A run's bench may take warm-up + duration + connecting and closing; the server lives a little longer.
bench_limit=$(((warmup_s > churn_warmup_s ? warmup_s : churn_warmup_s) + duration_s + 120))
server_lifetime=$((bench_limit + START_LIMIT + 60))

facts=$RESULTS/machine.txt
: >"$facts"
machine_facts_start "$facts"
{
  echo "settings: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CHURN_WARMUP=$CHURN_WARMUP SIZE=$SIZE CHURN_CONNECTIONS=$CHURN_CONNECTIONS LOADGEN=$LOADGEN BENCH_THREADS=${BENCH_THREADS:-default}"
  if [[ $LOADGEN == c ]]; then
    echo "load_generator: c = bench/load/shout_load.c (gcc -O2, one thread), sha256 $(sha256sum "$LOAD_BIN" | cut -d' ' -f1)"
  else
    echo "load_generator: java = shout bench --threads ${BENCH_THREADS:-$(nproc)}"
  fi
  echo "modes: thread = --mode thread --threads 2; thread1 = --mode thread --threads 1;" \
    "process = --mode process --workers 2 --threads 1 (--accept master); workers = the same with --accept workers;" \
    "ref = bench/ref/shout_ref.c (gcc -O2, one thread); the default limits on"
} >>"$facts"

# The order of the modes turns by one each round, so that neither drift of a noisy machine
# nor going first favours one of them.
modes=($MODES)
runs=0
round_s=0
for w in $WORKLOADS; do
  for m in $MODES; do
    if [[ $m != ref || ${REF_RUNS[$w]} == yes ]]; then
      runs=$((runs + 1))
      round_s=$((round_s + $([[ ${PATTERN[$w]} == churn ]] && echo "$churn_warmup_s" || echo "$warmup_s") + duration_s + 5))
    fi
  done
done
total=$((runs * ROUNDS))
log "results in $RESULTS"
log "$total runs: about $((round_s * ROUNDS / 60 + 1)) minutes"

index=$RESULTS/index.csv
echo "round,workload,mode,pattern,connections,transform,size,exit_code,json" >"$index"
done_runs=0
for ((round = 1; round <= ROUNDS; round++)); do
  shift_by=$(((round - 1) % ${#modes[@]}))
  order=("${modes[@]:shift_by}" "${modes[@]:0:shift_by}")
  for w in $WORKLOADS; do
    for m in "${order[@]}"; do
      [[ $m == ref && ${REF_RUNS[$w]} != yes ]] && continue
      transform=${TRANSFORM[$w]}
      [[ $m == ref ]] && transform=ascii-upper
      size=${MESSAGE_SIZE[$w]:-$SIZE}
      name=r${round}-$w-$m
      done_runs=$((done_runs + 1))
      log "[$done_runs/$total] round $round, $w, $m"
      case $m in
        thread) start_shout "$RESULTS/raw/$name.server.log" "$server_lifetime" --mode thread --threads 2 \
          --transform "$transform" ;;
        thread1) start_shout "$RESULTS/raw/$name.server.log" "$server_lifetime" --mode thread --threads 1 \
          --transform "$transform" ;;
        process) start_shout "$RESULTS/raw/$name.server.log" "$server_lifetime" --mode process --workers 2 \
          --threads 1 --accept master --transform "$transform" ;;
        workers) start_shout "$RESULTS/raw/$name.server.log" "$server_lifetime" --mode process --workers 2 \
          --threads 1 --accept workers --transform "$transform" ;;
        ref) start_ref "$RESULTS/raw/$name.server.log" "$server_lifetime" ;;
      esac || {
        stop_server "$SERVER_PID"
        echo "$round,$w,$m,${PATTERN[$w]},${CONNECTIONS[$w]},$transform,$size,server-failed," >>"$index"
        continue
      }
      flags=(--port "$SERVER_PORT" --connections "${CONNECTIONS[$w]}" --size "$size" --transform "$transform"
        --warmup "$([[ ${PATTERN[$w]} == churn ]] && echo "$CHURN_WARMUP" || echo "$WARMUP")" --duration "$DURATION")
      case ${PATTERN[$w]} in
        stream) flags+=(--pattern stream) ;;
        churn) flags+=(--churn) ;;
      esac
      rc=0
      run_bench "$RESULTS/raw/$name.json" "$RESULTS/raw/$name.bench.log" "$bench_limit" "${flags[@]}" || rc=$?
      stop_server "$SERVER_PID"
      if ((rc != 0)); then
        log "  bench exit code $rc: $(grep -v ' [0-9]*s \(warm-up\|measuring\|connecting\)' "$RESULTS/raw/$name.bench.log" | tail -n 3 | tr '\n' ' ')"
      fi
      echo "$round,$w,$m,${PATTERN[$w]},${CONNECTIONS[$w]},$transform,$size,$rc,raw/$name.json" >>"$index"
    done
  done
done
machine_facts_end "$facts"

python3 "$BENCH_DIR/summarize.py" "$RESULTS" | tee "$RESULTS/summary.txt"
if command -v gnuplot >/dev/null; then
  "$BENCH_DIR/chart.sh" "$RESULTS/results.csv" "$RESULTS/benchmarks.png"
  if [[ -n $CHART_OUT ]]; then
    mkdir -p "$(dirname "$CHART_OUT")"
    cp "$RESULTS/benchmarks.png" "$CHART_OUT"
    log "chart: $CHART_OUT"
  fi
else
  log "no gnuplot: no chart (apt-get install -y gnuplot-nox, then bench/chart.sh $RESULTS/results.csv)"
fi
log "results in $RESULTS"
