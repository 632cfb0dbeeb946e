#!/usr/bin/env python3
"""The figures of bench/migration.sh.

Usage:
  migration_report.py round N PREFIX SERVER_LOG MOVING_BEFORE IDLE
      one line of migration.csv from PREFIX.before.json, PREFIX.across.json (the C load
      generator's reports), PREFIX.idle.json (`shout bench --pattern idle-then-ping`) and the
      server's log, whose "moving N connections" lines after the first MOVING_BEFORE are the
      idle round's
  migration_report.py table MIGRATION_CSV
      the medians over the rounds
"""
import csv
import json
import re
import statistics
import sys
from datetime import datetime
from pathlib import Path

FIELDS = ["round", "p99_before_us", "max_before_us", "max_across_us", "messages_per_s_before",
          "messages_per_s_across", "verify_failures", "idle_connections", "moved", "fallback", "move_ms",
          "migrations_per_s", "pinged_after", "problem"]
STAMP = r"^(\S+Z) \[(worker-\d+):(\d+)/"
MOVING = re.compile(STAMP + r".*moving (\d+) connections to the new worker")
MOVED = re.compile(STAMP + r".*moved (\d+) connections to the new worker; (\d+) drain here")


def report(path):
    lines = Path(path).read_text().strip().splitlines() if Path(path).exists() else []
    try:
        return json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        return {}


def instant(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def moves(server_log, skip):
    """Per old worker of the idle round: moved, drained and the milliseconds from moving to moved."""
    starts, found = {}, []
    seen = 0
    for line in Path(server_log).read_text(errors="replace").splitlines():
        if match := MOVING.search(line):
            seen += 1
            if seen > skip:
                starts[match.group(3)] = instant(match.group(1))
        elif (match := MOVED.search(line)) and match.group(3) in starts:
            began = starts.pop(match.group(3))
            found.append((int(match.group(4)), int(match.group(5)),
                          (instant(match.group(1)) - began).total_seconds() * 1000))
    return found


def round_line(number, prefix, server_log, skip, idle):
    before, across, pinged = (report(f"{prefix}.{name}.json") for name in ("before", "across", "idle"))
    problems = [f"{name}: {r.get('problem') or 'no report'}" for name, r in
                (("before", before), ("across", across), ("idle", pinged)) if not r.get("ok")]
    found = moves(server_log, skip)
    moved = sum(m for m, _, _ in found)
    move_ms = sum(ms for _, _, ms in found)
    if moved < idle:
        problems.append(f"{moved} of {idle} idle connections moved")
    row = {"round": number, "p99_before_us": before.get("latency_p99_us"),
           "max_before_us": before.get("latency_max_us"), "max_across_us": across.get("latency_max_us"),
           "messages_per_s_before": before.get("messages_per_s"), "messages_per_s_across": across.get("messages_per_s"),
           "verify_failures": sum(r.get("verify_failures") or 0 for r in (before, across, pinged)),
           "idle_connections": idle, "moved": moved, "fallback": sum(d for _, d, _ in found),
           "move_ms": round(move_ms, 1), "migrations_per_s": round(moved / move_ms * 1000) if move_ms else None,
           "pinged_after": pinged.get("messages"), "problem": "; ".join(problems)}
    writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
    writer.writerow(row)


def median(rows, key):
    values = [float(r[key]) for r in rows if r[key] not in ("", None)]
    return statistics.median(values) if values else None


def fmt(value, unit=""):
    return "-" if value is None else f"{value:,.0f}{unit}"


def table(path):
    rows = list(csv.DictReader(open(path, newline="")))
    good = [r for r in rows if not r["problem"]]
    print(f"rolling restart with moving connections, median of {len(good)} good rounds of {len(rows)}")
    p99, longest, across = (median(good, k) for k in ("p99_before_us", "max_before_us", "max_across_us"))
    print(f"ping-pong: p99 before {fmt(p99, ' us')}, longest before {fmt(longest, ' us')}, "
          f"longest across the SIGHUP {fmt(across, ' us')}"
          + (f" ({across / p99:.1f}x the p99 before)" if across and p99 else ""))
    print(f"ping-pong msgs/s: {fmt(median(good, 'messages_per_s_before'))} without, "
          f"{fmt(median(good, 'messages_per_s_across'))} with the restart in the run")
    print(f"idle: {fmt(median(good, 'moved'))} of {fmt(median(good, 'idle_connections'))} moved in "
          f"{fmt(median(good, 'move_ms'), ' ms')} (both old workers, each from 'moving' to 'moved'): "
          f"{fmt(median(good, 'migrations_per_s'))} migrations/s; {fmt(median(good, 'fallback'))} drained instead; "
          f"{fmt(median(good, 'pinged_after'))} answered a ping afterwards")
    failures = sum(int(r["verify_failures"] or 0) for r in rows)
    print(f"reply bytes that did not match, all rounds: {failures}")
    for r in rows:
        if r["problem"]:
            print(f"round {r['round']}: {r['problem']}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["round"]:
        round_line(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    elif sys.argv[1:2] == ["table"]:
        table(sys.argv[2])
    else:
        sys.exit(__doc__)
