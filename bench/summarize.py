#!/usr/bin/env python3
"""Turns the raw runs of bench/run.sh into medians, ratios and the targets' verdicts.

Usage: summarize.py RESULTS_DIR

Reads RESULTS_DIR/index.csv (one line per run, written by run.sh) and the JSON report of each
run, from `shout bench --json` or the C load generator (bench/load/shout_load.c), whose reports
have the same keys; writes runs.csv (every run, every figure), results.csv (per workload and mode: the median
over the rounds with its minimum and maximum), ratios.csv and targets.csv; prints the table.
Runs that failed (a non-zero exit, no report) are left out of the medians and listed.
"""
import csv
import json
import re
import statistics
import sys
from pathlib import Path

MODES = ["thread", "thread1", "process", "workers", "ref"]
MODE_TITLES = {"thread": "thread", "thread1": "thread 1", "process": "proc m", "workers": "proc w",
               "ref": "C ref"}
# The headline figure of each pattern, and its unit in the table.
HEADLINE = {"pingpong": ("messages_per_s", "msgs/s"), "stream": ("mb_per_s", "MB/s"),
            "churn": ("connections_per_s", "conns/s")}
FIGURES = ["messages_per_s", "mb_per_s", "connections_per_s", "latency_p50_us", "latency_p90_us",
           "latency_p99_us", "latency_p999_us", "latency_max_us"]
READY = re.compile(r"worker-\d+ \(pid \d+\) ready in (\d+) ms")
# Workloads the C reference does not run itself: its run with the same load stands in.
REF_STANDS_IN = {"pp50-ascii": "pp50", "pp50-echo": "pp50"}
# The targets of the issue "Faster where it is slowest": title, workload, mode over mode, ratio needed.
TARGETS = [
    ("accept workers/thread churn", "churn", "workers", "thread", 0.90),
    ("accept master/thread churn", "churn", "process", "thread", 0.70),
    ("thread/C ref churn", "churn", "thread", "ref", 0.80),
    ("thread 1 loop/C ref ping-pong 50 x 64 B", "pp50", "thread1", "ref", 0.90),
    ("thread 1 loop/C ref ping-pong 1000 x 64 B", "pp1000", "thread1", "ref", 0.90),
    ("thread 1 loop/C ref ping-pong 50 x 4 KiB", "pp50-4k", "thread1", "ref", 0.90),
    ("thread 1 loop/C ref ping-pong 1000 x 4 KiB", "pp1000-4k", "thread1", "ref", 0.90),
    ("accept master/thread ping-pong 50 x 64 B", "pp50", "process", "thread", 0.95),
    ("accept workers/thread ping-pong 50 x 64 B", "pp50", "workers", "thread", 0.95),
]
# Each workload's ratios in ratios.csv and the table: name, mode over mode.
RATIOS = [("process_thread", "process", "thread"), ("workers_thread", "workers", "thread"),
          ("thread_ref", "thread", "ref"), ("thread1_ref", "thread1", "ref")]


def number(value):
    return None if value is None or value == "" else float(value)


def load_runs(results):
    runs = []
    with open(results / "index.csv", newline="") as index:
        for row in csv.DictReader(index):
            report, error = {}, None
            if row["exit_code"] == "server-failed":
                error = "server did not start"
            else:
                path = results / row["json"]
                text = path.read_text().strip() if path.exists() else ""
                try:
                    report = json.loads(text.splitlines()[-1]) if text else {}
                except json.JSONDecodeError:
                    report = {}
                if not report:
                    error = f"no report (exit code {row['exit_code']})"
                elif row["exit_code"] != "0" or not report.get("ok"):
                    error = report.get("problem") or f"exit code {row['exit_code']}"
            runs.append({**row, **{k: report.get(k) for k in FIGURES},
                         # Only the C load generator names itself and measures its own CPU.
                         "generator": report.get("generator", "shout bench") if report else "",
                         "generator_cpu_percent": report.get("generator_cpu_percent"),
                         "connections_established": report.get("connections_established"),
                         "connect_errors": report.get("connect_errors"),
                         "verify_failures": report.get("verify_failures"),
                         "measured_s": report.get("measured_s"),
                         "ok": error is None, "problem": error or ""})
    return runs


def write_csv(path, rows, fields):
    with open(path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def medians(runs):
    """One row per workload and mode: median, min and max of each figure over the good runs."""
    groups = {}
    for run in runs:
        groups.setdefault((run["workload"], run["mode"]), []).append(run)
    rows = {}
    for (workload, mode), group in groups.items():
        good = [r for r in group if r["ok"]]
        row = {k: group[0][k] for k in ("workload", "mode", "pattern", "connections", "transform", "size")}
        row.update(runs=len(group), runs_ok=len(good))
        for figure in FIGURES:
            values = [number(r[figure]) for r in good if number(r[figure]) is not None]
            row[figure] = statistics.median(values) if values else None
            row[figure + "_min"] = min(values) if values else None
            row[figure + "_max"] = max(values) if values else None
        rows[(workload, mode)] = row
    return rows


def ratio(a, b):
    return round(a / b, 4) if a is not None and b else None


def fmt(value, decimals=0):
    if value is None:
        return "-"
    return f"{value:,.{decimals}f}"


def facts(results):
    path = results / "machine.txt"
    found = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition(": ")
            found.setdefault(key, value)
    return found


def worker_ready_ms(results):
    """Every "worker-N (pid P) ready in N ms" the process-mode servers logged."""
    found = []
    for log in sorted((results / "raw").glob("*.server.log")):
        for line in log.read_text(errors="replace").splitlines():
            match = READY.search(line)
            if match:
                found.append(int(match.group(1)))
    return found


def main():
    results = Path(sys.argv[1])
    runs = load_runs(results)
    write_csv(results / "runs.csv", runs, list(runs[0].keys()) if runs else ["round"])
    table = medians(runs)
    workloads = list(dict.fromkeys(r["workload"] for r in runs))

    def row(workload, mode):
        if mode == "ref" and (workload, "ref") not in table:
            workload = REF_STANDS_IN.get(workload, workload)
        return table.get((workload, mode))

    def figure(workload, mode, name):
        found = row(workload, mode)
        return found[name] if found else None

    result_fields = ["workload", "mode", "pattern", "connections", "transform", "size", "runs", "runs_ok"]
    for name in FIGURES:
        result_fields += [name, name + "_min", name + "_max"]
    write_csv(results / "results.csv", table.values(), result_fields)

    ratios = []
    for w in workloads:
        name, _ = HEADLINE[table[next(k for k in table if k[0] == w)]["pattern"]]
        found = {"workload": w, "figure": name}
        for key, top, bottom in RATIOS:
            found[key] = ratio(figure(w, top, name), figure(w, bottom, name))
        found["ref_from"] = REF_STANDS_IN.get(w, w) if figure(w, "ref", name) is not None else ""
        ratios.append(found)
    write_csv(results / "ratios.csv", ratios, list(ratios[0].keys()) if ratios else ["workload"])

    verdicts = []
    for title, workload, top, bottom, needed in TARGETS:
        name, _ = HEADLINE["churn" if workload == "churn" else "pingpong"]
        value = ratio(figure(workload, top, name), figure(workload, bottom, name))
        verdicts.append({"target": title, "ratio": value, "needed": needed,
                         "met": "n/a" if value is None else ("yes" if value >= needed else "NO")})
    write_csv(results / "targets.csv", verdicts, ["target", "ratio", "needed", "met"])

    info = facts(results)
    print()
    print(f"shout benchmarks, {info.get('date_start', '?')}: {info.get('settings', '')}")
    print(f"load generator: {info.get('load_generator', 'shout bench')}")
    print(f"{info.get('cpu_model', '?')}, nproc {info.get('nproc', '?')}, kernel {info.get('kernel', '?')}, "
          f"load average {info.get('load_average_start', '?')} at the start, {info.get('load_average_end', '?')} at the end")
    print("Medians over the rounds; spread = the widest (max - min) / median of the modes.")
    print("thread: --threads 2; thread 1: --threads 1; proc m: --workers 2 --accept master;"
          " proc w: --workers 2 --accept workers; C ref: one thread")
    print()
    modes = [m for m in MODES if any(k[1] == m for k in table)]
    ratio_titles = {"process_thread": "m/thr", "workers_thread": "w/thr", "thread_ref": "thr/ref",
                    "thread1_ref": "thr1/ref"}
    header = (f"{'workload':<40}{'':>8}" + "".join(f"{MODE_TITLES[m]:>11}" for m in modes)
              + "".join(f"{ratio_titles[key]:>9}" for key, _, _ in RATIOS) + f"{'spread':>8}")
    print(header)
    print("-" * len(header))
    for w, r in zip(workloads, ratios):
        base = table[next(k for k in table if k[0] == w)]
        name, unit = HEADLINE[base["pattern"]]
        label = {"pingpong": "ping-pong", "stream": "stream", "churn": "churn"}[base["pattern"]]
        conns = int(base["connections"])
        title = f"{label} {conns} conn{'s' if conns != 1 else ''}, {base['transform']}"
        spreads = []
        for m in modes:
            found = row(w, m)
            if found and found[name] and found["runs_ok"] >= 2:
                spreads.append((found[name + "_max"] - found[name + "_min"]) / found[name])
        decimals = 1 if name == "mb_per_s" else 0
        ref_mark = "" if r["ref_from"] in ("", w) else "*"
        ref_text = fmt(figure(w, "ref", name), decimals) + ref_mark
        size = int(base["size"])
        title += f", {size // 1024} KiB" if size >= 1024 and size % 1024 == 0 else f", {size} B"
        cells = [ref_text if m == "ref" else fmt(figure(w, m, name), decimals) for m in modes]
        print(f"{title:<40}{unit:>8}" + "".join(f"{c:>11}" for c in cells)
              + "".join(f"{fmt(r[key], 2):>9}" for key, _, _ in RATIOS)
              + f"{(fmt(100 * max(spreads)) + '%') if spreads else '-':>8}")
        if base["pattern"] != "stream":
            for pct in ("p50", "p99"):
                key = f"latency_{pct}_us"
                print(f"{'':<40}{pct + ' us':>8}" + "".join(f"{fmt(figure(w, m, key)):>11}" for m in modes))
    print()
    if any(r["ref_from"] not in ("", r["workload"]) for r in ratios):
        print("* the C reference's run at the same connections (it only does ASCII uppercasing; the payload is ASCII)")
    print()
    print(f"{'target':<52}{'ratio':>8}{'needed':>9}  met")
    ready = worker_ready_ms(results)
    for v in verdicts:
        print(f"{v['target']:<52}{fmt(v['ratio'], 3):>8}{'>= ' + format(v['needed'], '.2f'):>9}  {v['met']}")
    if ready:
        print(f"workers ready (both workers starting at once), median of {len(ready)}: "
              f"{fmt(statistics.median(ready))} ms (target 350 ms for one start on an idle machine)")
    rounds = max((int(r["round"]) for r in runs), default=0)
    if rounds < 3:
        print(f"(only {rounds} round{'s' if rounds != 1 else ''}: too few for a verdict on this noisy machine)")
    failed = [r for r in runs if not r["ok"]]
    if failed:
        print()
        print(f"{len(failed)} of {len(runs)} runs failed and are left out of the medians:")
        for r in failed:
            print(f"  round {r['round']} {r['workload']} {r['mode']}: {r['problem']}")
    print()
    print(f"files: {results}/results.csv (medians), runs.csv (every run), ratios.csv, targets.csv, "
          f"machine.txt, raw/ (JSON reports and logs)")


if __name__ == "__main__":
    main()
