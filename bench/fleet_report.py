#!/usr/bin/env python3
"""Turns a bench/fleet.sh session into fleet.csv and the table it prints.

Usage: fleet_report.py RESULTS_DIR

Reads RESULTS_DIR/fleet-index.csv (one line per run: phase, workload, exit code, JSON report)
and failover.csv (each host lost: how, which, when HAProxy marked it down); writes fleet.csv
(every run with its figures) and prints the table: each path's ping-pong and churn figures with
their ratio to the direct path, then each failover with what the churning clients saw.
"""
import csv
import json
import sys
from pathlib import Path

FIGURES = ["messages_per_s", "connections_per_s", "latency_p50_us", "latency_p99_us", "latency_max_us",
           "connect_errors", "resets", "verify_failures"]
TITLES = {"direct": "direct, 1 host", "haproxy-1": "HAProxy, 1 host"}


def report(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def title(phase):
    return TITLES.get(phase, phase.replace("haproxy-", "HAProxy, ") + " hosts")


def main(results):
    runs = []
    with open(results / "fleet-index.csv", newline="") as index:
        for row in csv.DictReader(index):
            runs.append((row, report(results / row["json"])))
    with open(results / "fleet.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["phase", "workload", "exit_code"] + FIGURES)
        for row, figures in runs:
            writer.writerow([row["phase"], row["workload"], row["exit_code"]]
                            + [(figures or {}).get(name, "") for name in FIGURES])

    def figure(phase, workload, name):
        for row, figures in runs:
            if row["phase"] == phase and row["workload"].startswith(workload) and figures and row["exit_code"] == "0":
                return figures.get(name)
        return None

    phases = list(dict.fromkeys(row["phase"] for row, _ in runs))
    pingpong = next((row["workload"] for row, _ in runs if row["workload"].startswith("pp")), "pp")
    print(f"{'path':<18} {pingpong + ' msgs/s':>14} {'x direct':>9} {'p50 us':>8} {'p99 us':>8}"
          f" {'churn conns/s':>14} {'x direct':>9} {'p50 us':>8} {'p99 us':>8}")
    for phase in phases:
        cells = []
        for workload, headline in ((pingpong, "messages_per_s"), ("churn", "connections_per_s")):
            value, direct = figure(phase, workload, headline), figure("direct", workload, headline)
            ratio = f"{value / direct:.2f}" if value and direct else "-"
            p50, p99 = figure(phase, workload, "latency_p50_us"), figure(phase, workload, "latency_p99_us")
            cells.append(f"{value if value is not None else 'failed':>14} {ratio:>9}"
                         f" {round(p50) if p50 else '-':>8} {round(p99) if p99 else '-':>8}")
        print(f"{title(phase):<18} " + " ".join(cells))
    failed = [f"{row['phase']} {row['workload']}: exit code {row['exit_code']}" for row, _ in runs if row["exit_code"] != "0"]
    if failed:
        print("failed runs: " + "; ".join(failed))

    print()
    with open(results / "failover.csv", newline="") as failovers:
        for row in csv.DictReader(failovers):
            churn = report(results / row["json"]) or {}
            print(f"{row['loss']} of {row['server']}: HAProxy marked it DOWN after {row['marked_down_ms'] or 'never'} ms"
                  f" (checks: {row['checks']}); the churn meanwhile: {churn.get('connections_per_s', '-')} conns/s,"
                  f" {churn.get('connect_errors', '-')} connect errors, {churn.get('resets', '-')} resets,"
                  f" {churn.get('closed_early', '-')} closed early (under way on the lost host),"
                  f" {churn.get('verify_failures', '-')} wrong replies, slowest cycle"
                  f" {round(churn['latency_max_us'] / 1000) if churn.get('latency_max_us') else '-'} ms"
                  f" (bench exit code {row['exit_code']})")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
