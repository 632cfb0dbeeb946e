#!/usr/bin/env bash
# The chart of a bench/run.sh session: ping-pong throughput (msgs/s) and p99 latency for each
# ping-pong workload, and connection churn (connections/s), for every mode and the C reference.
#
# Usage: bench/chart.sh [RESULTS_CSV [PNG]]
#   RESULTS_CSV  results.csv of a run (default: that of the newest bench/results/*/)
#   PNG          where the chart goes (default: docs/benchmarks.png)
# Needs gnuplot (Debian: apt-get install -y gnuplot-nox).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)

csv=${1:-}
if [[ -z $csv ]]; then
  newest=$(ls -d "$BENCH_DIR"/results/*/ 2>/dev/null | sort | tail -n 1)
  [[ -n $newest ]] || { echo "chart.sh: no results under $BENCH_DIR/results; run bench/run.sh first" >&2; exit 1; }
  csv=${newest%/}/results.csv
fi
png=${2:-$ROOT/docs/benchmarks.png}
[[ -f $csv ]] || { echo "chart.sh: no $csv" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "chart.sh: gnuplot is needed (apt-get install -y gnuplot-nox)" >&2; exit 1; }
mkdir -p "$(dirname "$png")"

data=$(mktemp /tmp/shout-chart.XXXXXX)

churn=$(mktemp /tmp/shout-chart.XXXXXX)
trap 'rm -f "$data" "$churn"' EXIT

# One line per ping-pong workload: its label, then msgs/s and p99 of each mode ("-" where missing).
awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["workload"] ~ /^pp(1|50|1000)(-4k)?$/ {
    w = $col["workload"]; m = $col["mode"]
    msgs[w, m] = $col["messages_per_s"]; p99[w, m] = $col["latency_p99_us"]; seen[w] = 1
  }
  END {
    print "# workload, then msgs/s and p99 of: thread thread1 process workers ref"
    split("pp1 pp50 pp1000 pp50-4k pp1000-4k", order, " ")
    split("1x64B 50x64B 1000x64B 50x4KiB 1000x4KiB", labels, " ")
    split("thread thread1 process workers ref", modes, " ")
    for (i = 1; i <= 5; i++) {
      if (!(order[i] in seen)) continue
      line = labels[i]
      for (j = 1; j <= 5; j++) line = line " " (msgs[order[i], modes[j]] == "" ? "-" : msgs[order[i], modes[j]])
      for (j = 1; j <= 5; j++) line = line " " (p99[order[i], modes[j]] == "" ? "-" : p99[order[i], modes[j]])
      print line
    }
  }' "$csv" >"$data"

# One line for churn: connections/s of each mode.
awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["workload"] == "churn" { rate[$col["mode"]] = $col["connections_per_s"]; seen = 1 }
  END {
    if (!seen) exit
    split("thread thread1 process workers ref", modes, " ")
    line = "churn"
    for (j = 1; j <= 5; j++) line = line " " (rate[modes[j]] == "" ? "-" : rate[modes[j]])
    print line
  }' "$csv" >"$churn"

title=$(sed -n 's/^date_start: \(.\{10\}\).*/\1/p' "$(dirname "$csv")/machine.txt" 2>/dev/null || true)
cpus=$(sed -n 's/^nproc: //p' "$(dirname "$csv")/machine.txt" 2>/dev/null || true)
# Sessions from before LOADGEN used shout bench.
case $(sed -n 's/^load_generator: \([a-z]*\) .*/\1/p' "$(dirname "$csv")/machine.txt" 2>/dev/null || true) in
  c) loadgen="C load generator (one thread)" ;;
  *) loadgen="load generator (shout bench)" ;;
esac

gnuplot <<EOF
set terminal pngcairo size 1800,560 font "sans,11"
set output "$png"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set grid ytics
set multiplot layout 1,3 title "shout${title:+, $title}${cpus:+, $cpus cores shared by server and $loadgen}\nthread: --threads 2; thread, 1 loop: --threads 1; process: --workers 2 --threads 1, the master accepting (m) or the workers (w); C reference: single-threaded epoll"
set title "ping-pong throughput (higher is better)"
set xlabel "connections x message size"
set ylabel "messages/s"
set format y "%.0s%c"
set yrange [0:*]
plot "$data" using 2:xtic(1) title "thread" lc rgb "#1f77b4", \
     "" using 3 title "thread, 1 loop" lc rgb "#aec7e8", \
     "" using 4 title "process (m)" lc rgb "#ff7f0e", \
     "" using 5 title "process (w)" lc rgb "#ffbb78", \
     "" using 6 title "C reference" lc rgb "#7f7f7f"
set title "ping-pong p99 latency (lower is better)"
set ylabel "p99 round trip (log scale)"
set logscale y
set ytics ("1us" 1, "10us" 10, "100us" 100, "1ms" 1000, "10ms" 10000, "100ms" 100000, "1s" 1000000, "10s" 10000000)
set yrange [1:*]
plot "$data" using 7:xtic(1) title "thread" lc rgb "#1f77b4", \
     "" using 8 title "thread, 1 loop" lc rgb "#aec7e8", \
     "" using 9 title "process (m)" lc rgb "#ff7f0e", \
     "" using 10 title "process (w)" lc rgb "#ffbb78", \
     "" using 11 title "C reference" lc rgb "#7f7f7f"
unset logscale y
set ytics autofreq
set format y "%.0s%c"
set yrange [0:*]
set title "connection churn (higher is better)"
set key top right
set xlabel "10 loops of connect, one 64-byte message, close"
set ylabel "connections/s"
plot "$churn" using 2:xtic(1) title "thread" lc rgb "#1f77b4", \
     "" using 3 title "thread, 1 loop" lc rgb "#aec7e8", \
     "" using 4 title "process (m)" lc rgb "#ff7f0e", \
     "" using 5 title "process (w)" lc rgb "#ffbb78", \
     "" using 6 title "C reference" lc rgb "#7f7f7f", \
     for [i=2:6] "" using (\$0 + (i - 4) / 6.0):i:(gprintf("%.1s%c", column(i))) with labels offset 0,0.7 font ",9" notitle
unset multiplot
EOF
echo "chart: $png" >&2
