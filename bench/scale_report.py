#!/usr/bin/env python3
"""Helpers of bench/scale.sh.

  scale_report.py clients JSON...   one CSV fragment for a level from its bench processes'
                                    reports: connections, answered pings, and the latency
                                    percentiles (the highest of the processes': see README)
  scale_report.py table SCALE_CSV   the table of a scale session
"""
import csv
import json
import sys

PERCENTILES = ["latency_p50_us", "latency_p90_us", "latency_p99_us", "latency_p999_us", "latency_max_us"]
CLIENT_FIELDS = ["established", "pings_answered", "connect_errors", "lost"] + PERCENTILES


def clients(paths):
    reports = []
    for path in paths:
        try:
            with open(path) as f:
                text = f.read().strip()
            reports.append(json.loads(text.splitlines()[-1]) if text else {})
        except (OSError, json.JSONDecodeError):
            reports.append({})
    row = {
        "established": sum(r.get("connections_established") or 0 for r in reports),
        "pings_answered": sum(r.get("messages") or 0 for r in reports),
        "connect_errors": sum(r.get("connect_errors") or 0 for r in reports),
        "lost": sum((r.get("resets") or 0) + (r.get("closed_early") or 0) for r in reports),
    }
    for p in PERCENTILES:
        values = [r[p] for r in reports if r.get(p) is not None]
        row[p] = max(values) if values else ""
    print(",".join(str(row[f]) for f in CLIENT_FIELDS))


def fmt(value, decimals=0):
    if value in (None, ""):
        return "-"
    return f"{float(value):,.{decimals}f}"


def table(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    header = (f"{'level':>8}{'held':>9}{'workers':>8}{'clients':>8}{'connect s':>10}{'RSS MB':>9}{'master':>8}"
              f"{'workers':>9}{'KB/conn':>9}{'+KB/conn':>9}{'heap MB':>8}{'master':>8}{'TCP MB':>8}{'answered':>10}{'p50 ms':>8}"
              f"{'p90 ms':>8}{'p99 ms':>8}{'p99.9':>8}{'max ms':>8}{'restarts':>9}")
    print(header)
    print("-" * len(header))
    for r in rows:
        mb = lambda key: fmt(float(r[key]) / 1024, 0) if r[key] else "-"
        ms = lambda key: fmt(float(r[key]) / 1000, 1) if r[key] else "-"
        print(f"{int(r['level']):>8,}{fmt(r['server_open']):>9}{r['workers']:>8}{r['clients']:>8}"
              f"{fmt(r['connect_s'], 1):>10}{mb('rss_total_kb'):>9}{mb('rss_master_kb'):>8}{mb('rss_workers_kb'):>9}"
              f"{fmt(r['rss_per_conn_kb'], 2):>9}{fmt(r['rss_added_per_conn_kb'], 2):>9}"
              f"{mb('heap_total_kb'):>8}{mb('heap_master_kb'):>8}{mb('kernel_tcp_mem_kb'):>8}"
              f"{fmt(r['pings_answered']):>10}{ms('latency_p50_us'):>8}{ms('latency_p90_us'):>8}"
              f"{ms('latency_p99_us'):>8}{ms('latency_p999_us'):>8}{ms('latency_max_us'):>8}"
              f"{fmt(r['worker_restarts']):>9}")
    print()
    print("held: connections the server had open (its /metrics) when the memory was read; RSS: resident memory of")
    print("the master and its workers (/proc/PID/status VmRSS); KB/conn: RSS / held; +KB/conn: (RSS - RSS of the")
    print("same server before any client) / held; heap MB, master: the Java heap in use after a full collection")
    print("(jcmd GC.run, read after the RSS), all the server's processes and the master alone; TCP MB: the kernel's TCP buffers, system-wide, both ends")
    print("(/proc/net/sockstat); answered: pings answered of those sent, one through each connection; latency:")
    print("the highest of the bench processes' percentiles (each holds a share of the connections); restarts:")
    print("workers the master replaced during the level (its /metrics, read SETTLE seconds after the bench")
    print("processes ended).")
    problems = [r for r in rows if r["problem"]]
    if problems:
        print()
        for r in problems:
            print(f"{int(r['level']):,}: {r['problem']}")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "clients":
        clients(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "client-fields":
        print(",".join(CLIENT_FIELDS))
    else:
        sys.exit(__doc__)
