#!/usr/bin/env bash
# The chart of a bench/run.sh session: ping-pong throughput (msgs/s) and p99 latency at 1, 50
# and 1000 connections, for thread mode, process mode and the C reference.
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
trap 'rm -f "$data"' EXIT

# One line per connection count: msgs/s then p99 of thread, process, C ref ("-" where missing).
awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["workload"] ~ /^pp(1|50|1000)$/ {
    c = $col["connections"]; m = $col["mode"]
    msgs[c, m] = $col["messages_per_s"]; p99[c, m] = $col["latency_p99_us"]
  }
  END {
    print "# connections thread process ref thread_p99 process_p99 ref_p99"
    split("1 50 1000", counts, " "); split("thread process ref", modes, " ")
    for (i = 1; i <= 3; i++) {
      line = counts[i]
      for (j = 1; j <= 3; j++) line = line " " (msgs[counts[i], modes[j]] == "" ? "-" : msgs[counts[i], modes[j]])
      for (j = 1; j <= 3; j++) line = line " " (p99[counts[i], modes[j]] == "" ? "-" : p99[counts[i], modes[j]])
      print line
    }
  }' "$csv" >"$data"

title=$(sed -n 's/^date_start: \(.\{10\}\).*/\1/p' "$(dirname "$csv")/machine.txt" 2>/dev/null || true)
cpus=$(sed -n 's/^nproc: //p' "$(dirname "$csv")/machine.txt" 2>/dev/null || true)
# Sessions from before LOADGEN used shout bench.
case $(sed -n 's/^load_generator: \([a-z]*\) .*/\1/p' "$(dirname "$csv")/machine.txt" 2>/dev/null || true) in
  c) loadgen="C load generator (one thread)" ;;
  *) loadgen="load generator (shout bench)" ;;
esac

gnuplot <<EOF
set terminal pngcairo size 1400,560 font "sans,11"
set output "$png"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xrange [-0.6:2.6]
set key top left
set grid ytics
set xlabel "connections (ping-pong, 64-byte messages)"
set multiplot layout 1,2 title "shout ping-pong${title:+, $title}${cpus:+, $cpus cores shared by server and $loadgen}\nthread mode: --threads 2; process mode: --workers 2 --threads 1; C reference: single-threaded epoll"
set title "throughput (higher is better)"
set ylabel "messages/s"
set format y "%.0s%c"
set yrange [0:*]
plot "$data" using 2:xtic(1) title "thread mode" lc rgb "#1f77b4", \
     "" using 3 title "process mode" lc rgb "#ff7f0e", \
     "" using 4 title "C reference" lc rgb "#7f7f7f", \
     for [i=2:4] "" using (\$0 + (i - 3) * 0.25):i:(gprintf("%.1s%c", column(i))) with labels offset 0,0.7 font ",8" notitle
set title "p99 latency (lower is better)"
set ylabel "p99 round trip (log scale)"
set logscale y
set ytics ("1us" 1, "10us" 10, "100us" 100, "1ms" 1000, "10ms" 10000, "100ms" 100000, "1s" 1000000, "10s" 10000000)
set yrange [1:*]
plot "$data" using 5:xtic(1) title "thread mode" lc rgb "#1f77b4", \
     "" using 6 title "process mode" lc rgb "#ff7f0e", \
     "" using 7 title "C reference" lc rgb "#7f7f7f", \
     for [i=5:7] "" using (\$0 + (i - 6) * 0.25):i:(column(i) >= 1000 ? sprintf("%.1fms", column(i) / 1000) : sprintf("%.0fus", column(i))) with labels offset 0,0.7 font ",8" notitle
unset multiplot
EOF
echo "chart: $png" >&2
