# Sourced by run.sh, scale.sh, soak.sh and fleet.sh: one cleanup for every way a script ends, loopback
# exempt from connection tracking, the jars and the C reference, servers started and stopped by
# pid, bench runs bounded in time, machine facts. Every address used is on loopback, or (fleet.sh)
# inside network namespaces the script makes itself.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAVA=${JAVA:-java}
HOST=127.0.0.1
# How long a server may take to print its start line.
START_LIMIT=${START_LIMIT:-90}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Whole seconds in a duration as the bench takes it (500ms, 3s, 2m), rounded up.
seconds_of() {
  case $1 in
    *ms) echo $(( (${1%ms} + 999) / 1000 )) ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) die "duration '$1': expected a number with ms, s or m, like 10s" ;;
  esac
}

check_duration() {
  [[ $2 =~ ^[0-9]+(ms|s|m)$ ]] || die "$1=$2: expected a number with ms, s or m, like 10s"
}

# --- the end of a script --------------------------------------------------------------------

# One cleanup for every way a script ends: EXIT runs it, and INT, TERM and HUP become exits
# (130, 143) so that it runs for them too. It undoes what the script started or changed: the
# script's own on_exit first (if it defines one), then every server, the loopback rules, the
# end of machine.txt if the script did not get to write it, and $WORK unless KEEP_WORK=yes.
cleanup() {
  local status=$?
  set +e
  trap '' INT TERM HUP
  declare -F on_exit >/dev/null && on_exit
  stop_all_servers
  if [[ -n $FACTS_FILE ]]; then
    echo "ended_early: exit code $status" >>"$FACTS_FILE"
    machine_facts_end "$FACTS_FILE"
  fi
  restore_loopback
  [[ -n ${WORK:-} && ${KEEP_WORK:-} != yes ]] && rm -rf "$WORK"
  return "$status"
}

# Each script calls this once, before it starts or changes anything.
begin_session() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM HUP
  exempt_loopback
}

# --- loopback and connection tracking --------------------------------------------------------

# Where netfilter tracks connections (nf_conntrack; Docker's engine loads it), every loopback
# connection leaves an entry in a table of nf_conntrack_max entries (262,144 here) until well
# after its close (TIME_WAIT, 120 s). A churn run fills it, and then the kernel drops new SYNs
# ("nf_conntrack: table full, dropping packet"): connects time out in every mode, the C
# reference's included, and the run measures the firewall. So for the length of a script
# loopback is exempt from tracking by these two rules at the head of the raw table, removed
# when the script ends. CONNTRACK=keep leaves the firewall as it is. See bench/README.md.
LOOPBACK_RULES=("PREROUTING -i lo -j NOTRACK" "OUTPUT -o lo -j NOTRACK")
# The rules this script inserted (one already there is left alone), and with which command.
LOOPBACK_INSERTED=()
IPTABLES=
# For machine.txt: whether loopback is tracked during the script.
LOOPBACK_STATE=unknown
# machine.txt while its start is written and its end not yet.
FACTS_FILE=
# The kernel's "table full" messages at the start, to count those of the run.
DMESG_FULL_START=

conntrack_loaded() {
  [[ -e /proc/sys/net/netfilter/nf_conntrack_max ]] || grep -q '^nf_conntrack ' /proc/modules 2>/dev/null
}

# The iptables to use: `iptables` (the one Docker's engine uses; see `iptables -V`), else
# iptables-nft or iptables-legacy. Looks in /usr/sbin and /sbin too, which a user's PATH may lack.
iptables_command() {
  local name dir
  for name in iptables iptables-nft iptables-legacy; do
    command -v "$name" 2>/dev/null && return 0
    for dir in /usr/sbin /sbin; do
      [[ -x $dir/$name ]] && { echo "$dir/$name"; return 0; }
    done
  done
  return 1
}

# cannot_exempt WHAT_IT_NEEDS: stops the script, in one line.
cannot_exempt() {
  die "nf_conntrack is loaded and drops loopback SYNs once its table is full; exempting loopback needs $1 (or set CONNTRACK=keep to run anyway)"
}

exempt_loopback() {
  local mode=${CONNTRACK:-exempt} rule err
  [[ $mode == exempt || $mode == keep ]] || die "CONNTRACK=$mode: expected exempt (the default) or keep"
  if ! conntrack_loaded; then
    LOOPBACK_STATE="not tracked (nf_conntrack not loaded)"
    log "nf_conntrack is not loaded: loopback is not tracked, the firewall is left alone"
    return 0
  fi
  if [[ $mode == keep ]]; then
    LOOPBACK_STATE="tracked (CONNTRACK=keep)"
    log "CONNTRACK=keep: loopback stays tracked by nf_conntrack; connects will fail if its table fills"
    return 0
  fi
  IPTABLES=$(iptables_command) || cannot_exempt "iptables: apt-get install iptables"
  (($(id -u) == 0)) || cannot_exempt "root: run as root"
  for rule in "${LOOPBACK_RULES[@]}"; do
    # shellcheck disable=SC2086
    "$IPTABLES" -w 10 -t raw -C $rule 2>/dev/null && continue
    # shellcheck disable=SC2086
    err=$("$IPTABLES" -w 10 -t raw -I $rule 2>&1) \
      || cannot_exempt "'$IPTABLES -t raw -I $rule', which failed: $(head -n 1 <<<"$err")"
    LOOPBACK_INSERTED+=("$rule")
  done
  case ${#LOOPBACK_INSERTED[@]} in
    0) LOOPBACK_STATE="exempt: both NOTRACK rules were already in the raw table, left as found" ;;
    1) LOOPBACK_STATE="exempt: '${LOOPBACK_INSERTED[0]}' inserted with $IPTABLES and removed at the end, the other rule already there" ;;
    *) LOOPBACK_STATE="exempt: 2 NOTRACK rules inserted with $IPTABLES, removed at the end" ;;
  esac
  log "loopback ${LOOPBACK_STATE/#exempt/exempt from connection tracking}"
}

# Removes the rules exempt_loopback inserted, and only those.
restore_loopback() {
  local rule i
  for ((i = ${#LOOPBACK_INSERTED[@]} - 1; i >= 0; i--)); do
    rule=${LOOPBACK_INSERTED[i]}
    # shellcheck disable=SC2086
    "$IPTABLES" -w 10 -t raw -D $rule 2>/dev/null \
      || log "warning: could not remove a NOTRACK rule; by hand: $IPTABLES -t raw -D $rule"
  done
  ((${#LOOPBACK_INSERTED[@]} > 0)) && log "removed the ${#LOOPBACK_INSERTED[@]} NOTRACK rule(s) this script inserted"
  LOOPBACK_INSERTED=()
}

# New connections the kernel refused for a full table, summed over the CPUs (the `drop` column
# of /proc/net/stat/nf_conntrack, in hex), or "unknown".
conntrack_drops() {
  local header fields col=-1 i total=0
  [[ -r /proc/net/stat/nf_conntrack ]] || { echo unknown; return 0; }
  {
    read -r -a header
    for i in "${!header[@]}"; do [[ ${header[i]} == drop ]] && col=$i; done
    while ((col >= 0)) && read -r -a fields; do total=$((total + 16#${fields[col]})); done
  } </proc/net/stat/nf_conntrack
  ((col >= 0)) && echo "$total" || echo unknown
}

# conntrack_facts start|end: the lines of machine.txt that let a lost connect be attributed.
conntrack_facts() {
  local when=$1 messages full
  [[ $when == start ]] && echo "loopback_conntrack: $LOOPBACK_STATE"
  conntrack_loaded || return 0
  [[ $when == start ]] && echo "nf_conntrack_max: $(cat /proc/sys/net/netfilter/nf_conntrack_max 2>/dev/null)"
  echo "nf_conntrack_count_$when: $(cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null)"
  echo "nf_conntrack_drop_$when: $(conntrack_drops)"
  if ! messages=$(dmesg 2>/dev/null); then
    echo "dmesg_table_full_$when: dmesg not readable"
    return 0
  fi
  full=$(grep -c 'nf_conntrack: table full' <<<"$messages" || true)
  if [[ $when == start ]]; then
    DMESG_FULL_START=$full
    echo "dmesg_table_full_start: $full"
  else
    echo "dmesg_table_full_end: $full${DMESG_FULL_START:+ (+$((full - DMESG_FULL_START)) during the run)}"
  fi
}

# --- the things measured ---------------------------------------------------------------------

# Copies of the jars in $WORK, so that a rebuild by someone else during the session changes
# nothing: every run of the session uses the same bytes. Waits for a build under way (a jar
# missing for a moment), builds the two modules when they stay missing.
prepare_jars() {
  local server=$ROOT/server/target/shout-server.jar client=$ROOT/client/target/shout.jar try
  for try in 1 2 3 4 5 6 7 8 9 10 11 12; do
    if [[ -f $server && -f $client ]]; then
      cp "$server" "$WORK/shout-server.jar" && cp "$client" "$WORK/shout.jar" \
        && "$JAVA" -jar "$WORK/shout-server.jar" --version >/dev/null 2>&1 \
        && "$JAVA" -jar "$WORK/shout.jar" --version >/dev/null 2>&1 && break
      log "the jars did not copy whole (a build under way?); trying again"
    elif (( try == 7 )); then
      log "building the server and client jars"
      (cd "$ROOT" && mvn -B -o -q -pl server,client -am package -DskipTests) >"$WORK/build.log" 2>&1 \
        || log "the build failed (see $WORK/build.log); waiting in case another build is under way"
    else
      log "waiting for $server and $client (a build under way?)"
    fi
    sleep 5
  done
  [[ -s $WORK/shout-server.jar && -s $WORK/shout.jar ]] || die "no usable jars; build with: mvn -B -o -q package -DskipTests"
  # The class-data archive made with the jar goes with it: the master pins both for its workers.
  if [[ -f ${server%.jar}.jsa ]]; then cp "${server%.jar}.jsa" "$WORK/shout-server.jsa"; fi
  SERVER_JAR=$WORK/shout-server.jar
  CLIENT_JAR=$WORK/shout.jar
}

# compile_c SOURCE BINARY WHAT: a C program of bench/ built with gcc -O2 into $WORK.
compile_c() {
  command -v gcc >/dev/null || die "gcc is needed for $3 (apt-get install -y gcc)"
  gcc -O2 -Wall -o "$WORK/$2" "$BENCH_DIR/$1" || die "$3 did not compile"
}

prepare_ref() {
  compile_c ref/shout_ref.c shout_ref "the C reference"
  REF_BIN=$WORK/shout_ref
}

# The C load generator: one thread, so the server keeps more of the cores than `shout bench` leaves it.
prepare_load() {
  compile_c load/shout_load.c shout_load "the C load generator (or LOADGEN=java)"
  LOAD_BIN=$WORK/shout_load
}

# --- servers ---------------------------------------------------------------------------------

# Every server this script started: the pid of the `timeout` that bounds its life. `timeout`
# puts the server (and, in process mode, its workers) in a process group of its own and kills
# that group when the time is up, even if this script has been killed.
STARTED=()

# Prints the pid of the server process itself (the child of its `timeout`).
server_main_pid() { { ps -o pid= --ppid "$1" 2>/dev/null || true; } | head -n 1 | tr -d ' '; }

# Every descendant of a pid, depth first.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# start_shout LOG LIFETIME_S FLAG...: sets SERVER_PID (its timeout) and SERVER_PORT.
start_shout() {
  local logfile=$1 lifetime=$2 waited=0 line
  shift 2
  # shellcheck disable=SC2086
  timeout -k 10 "$lifetime" "$JAVA" ${SERVER_JVM_OPTS:-} -jar "$SERVER_JAR" --host "$HOST" --port 0 "$@" \
    ${WORKER_JVM_OPTS:+--worker-jvm-opts "$WORKER_JVM_OPTS"} </dev/null >"$logfile" 2>&1 &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
  SERVER_PORT=
  while (( waited < START_LIMIT * 10 )); do
    line=$(grep -m 1 -o "shout listening on $HOST:[0-9]*" "$logfile" 2>/dev/null || true)
    if [[ -n $line ]]; then
      SERVER_PORT=${line##*:}
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { log "the server exited before its start line; see $logfile"; return 1; }
    sleep 0.1
    waited=$((waited + 1))
  done
  log "no start line within ${START_LIMIT}s; see $logfile"
  return 1
}

# start_ref LOG LIFETIME_S: the C reference on a free port; sets SERVER_PID and SERVER_PORT.
start_ref() {
  local logfile=$1 lifetime=$2 attempt waited
  for attempt in 1 2 3 4 5; do
    SERVER_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    timeout -k 5 "$lifetime" "$REF_BIN" "$SERVER_PORT" </dev/null >"$logfile" 2>&1 &
    SERVER_PID=$!
    STARTED+=("$SERVER_PID")
    for ((waited = 0; waited < 100; waited++)); do
      grep -q "shout_ref listening on $HOST:$SERVER_PORT" "$logfile" 2>/dev/null && return 0
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    log "shout_ref did not start on port $SERVER_PORT (taken in between?): $(head -c 200 "$logfile")"
    stop_server "$SERVER_PID"
  done
  return 1
}

# stop_server PID: SIGTERM to the server process alone (in process mode the master then stops
# its workers in order; a signal to the whole group would have each worker drain on its own and
# the master start replacements), its `timeout` following it out; after a grace, SIGKILL to each
# process of that server's tree by pid.
stop_server() {
  local pid=$1 waited tree main p kept=()
  if kill -0 "$pid" 2>/dev/null; then
    tree=$(descendants "$pid")
    main=$(server_main_pid "$pid")
    kill -TERM "${main:-$pid}" 2>/dev/null || true
    for ((waited = 0; waited < 200; waited++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "server $pid still running 20s after SIGTERM: killing its processes"
      for p in $tree $(descendants "$pid") "$pid"; do kill -KILL "$p" 2>/dev/null || true; done
    fi
  fi
  wait "$pid" 2>/dev/null || true
  for p in "${STARTED[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  STARTED=("${kept[@]+"${kept[@]}"}")
}

stop_all_servers() {
  local pid
  for pid in "${STARTED[@]+"${STARTED[@]}"}"; do stop_server "$pid"; done
}

# Resident memory in kB of a process and all its descendants, from /proc/PID/status.
tree_rss_kb() {
  local total=0 p rss
  for p in "$1" $(descendants "$1"); do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}

# --- bench runs ------------------------------------------------------------------------------

# run_bench JSON ERR LIMIT_S FLAG...: one load-generator run against $HOST, killed if it
# outlives LIMIT_S, inside the network namespace $BENCH_NETNS if set (fleet.sh): `shout bench
# --json`, or with LOADGEN=c the C load generator (prepare_load), which takes the same flags and
# always reports in JSON. Returns the generator's exit code (124 or 137 for a run that was cut off).
run_bench() {
  local json=$1 err=$2 limit=$3
  shift 3
  if [[ ${LOADGEN:-java} == c ]]; then
    timeout -k 5 "$limit" ${BENCH_NETNS:+ip netns exec "$BENCH_NETNS"} "$LOAD_BIN" --host "$HOST" "$@" \
      </dev/null >"$json" 2>"$err"
    return
  fi
  # shellcheck disable=SC2086
  timeout -k 5 "$limit" ${BENCH_NETNS:+ip netns exec "$BENCH_NETNS"} "$JAVA" ${BENCH_JVM_OPTS:-} -jar "$CLIENT_JAR" bench --host "$HOST" --json \
    ${BENCH_THREADS:+--threads "$BENCH_THREADS"} "$@" </dev/null >"$json" 2>"$err"
}

# --- machine facts ---------------------------------------------------------------------------

machine_facts_start() {
  {
    echo "date_start: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "hostname: $(hostname)"
    echo "nproc: $(nproc)"
    echo "cpu_model: $(grep -m 1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cpu_mhz: $(grep -m 1 '^cpu MHz' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "kernel: $(uname -srvm)"
    echo "memory_total: $(awk '/^MemTotal:/ { print $2 " kB" }' /proc/meminfo)"
    echo "ulimit_n: $(ulimit -n)"
    "$JAVA" -version 2>&1 | sed 's/^/java_version: /'
    echo "gcc: $(gcc --version 2>/dev/null | head -n 1)"
    echo "git: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "server_jar_sha256: $(sha256sum "$SERVER_JAR" | cut -d' ' -f1)"
    echo "client_jar_sha256: $(sha256sum "$CLIENT_JAR" | cut -d' ' -f1)"
    echo "jvm_opts: SERVER_JVM_OPTS='${SERVER_JVM_OPTS:-}' WORKER_JVM_OPTS='${WORKER_JVM_OPTS:-}'"
    echo "load_average_start: $(cut -d' ' -f1-3 /proc/loadavg)"
    conntrack_facts start
  } >>"$1"
  FACTS_FILE=$1
}

machine_facts_end() {
  {
    echo "load_average_end: $(cut -d' ' -f1-3 /proc/loadavg)"
    conntrack_facts end
    echo "date_end: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } >>"$1"
  FACTS_FILE=
}

# The results directory: RESULTS_DIR, or bench/results/<UTC date and time>.
results_dir() {
  local dir=${RESULTS_DIR:-$BENCH_DIR/results/$(date -u +%Y-%m-%dT%H%M%SZ)}
  mkdir -p "$dir/raw"
  (cd "$dir" && pwd)
}
