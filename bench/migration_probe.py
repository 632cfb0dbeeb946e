#!/usr/bin/env python3
"""Measures a rolling restart that moves live connections (issue #11), for bench/migration.sh.

pingpong PORT MASTER_PID LOG CONNECTIONS BEFORE_S: ping-pong round trips for BEFORE_S seconds,
then SIGHUP and on until every old worker exited; prints the p50/p99 before and the longest
round trip during the roll, as key=value lines.

idle PORT MASTER_PID LOG CONNECTIONS: that many connections, each answered once, then SIGHUP;
prints how long each old worker took from its retiring to its "moved N connections" line, and
checks every connection still answers. Every connection goes to 127.0.0.1.
"""
import datetime
import os
import re
import signal
import socket
import sys
import threading
import time


def children(pid):
    """The processes pid started, from any of its threads: a JVM forks its workers from an event
    loop's thread, and /proc lists a child under the thread that made it."""
    found = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.update(int(p) for p in f.read().split())
        except FileNotFoundError:
            pass  # the thread ended meanwhile
    return found


def ping(sock, payload=b"ping\n"):
    sock.sendall(payload)
    want, got = payload.upper(), b""
    while len(got) < len(want):
        chunk = sock.recv(len(want) - len(got))
        if not chunk:
            raise RuntimeError("connection closed")
        got += chunk
    if got != want:
        raise RuntimeError(f"wrong reply {got!r}")


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def await_new_workers(master, old, limit_s=300):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        now = children(master)
        if now and not (now & old) and len(now) == len(old):
            return
        time.sleep(0.05)
    raise RuntimeError("the old workers did not all exit")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def pingpong(port, master, count, before_s):
    sockets = [connect(port) for _ in range(count)]
    samples, phase, stop, failures = {"before": [], "roll": []}, ["before"], [False], []

    def talk(sock):
        try:
            while not stop[0]:
                start = time.perf_counter()
                ping(sock)
                samples[phase[0]].append(time.perf_counter() - start)
        except Exception as e:  # noqa: BLE001 - reported, then the bench fails
            failures.append(repr(e))

    threads = [threading.Thread(target=talk, args=(s,), daemon=True) for s in sockets]
    for t in threads:
        t.start()
    time.sleep(before_s)
    old = children(master)
    phase[0] = "roll"
    rolled_at = time.monotonic()
    os.kill(master, signal.SIGHUP)
    await_new_workers(master, old)
    roll_s = time.monotonic() - rolled_at
    stop[0] = True
    for t in threads:
        t.join(30)
    if failures:
        sys.exit(f"failed clients: {failures[:5]}")
    before = samples["before"]
    print(f"connections={count}")
    print(f"round_trips_before={len(before)}")
    print(f"p50_before_ms={percentile(before, 0.50) * 1e3:.3f}")
    print(f"p99_before_ms={percentile(before, 0.99) * 1e3:.3f}")
    print(f"max_during_roll_ms={max(samples['roll']) * 1e3:.3f}")
    print(f"roll_s={roll_s:.2f}")


LINE_TIME = re.compile(r"^(\S+Z) \[")


def timestamp(line):
    return datetime.datetime.fromisoformat(LINE_TIME.match(line).group(1).replace("Z", "+00:00"))


def idle(port, master, log, count):
    sockets = []
    for _ in range(count):
        sock = connect(port)
        ping(sock)
        sockets.append(sock)
    old = children(master)
    with open(log) as f:
        skip = len(f.readlines())
    os.kill(master, signal.SIGHUP)
    await_new_workers(master, old)
    with open(log) as f:
        lines = f.readlines()[skip:]
    retired = {}
    for line in lines:
        m = re.search(r"retiring worker-\d+ \(pid (\d+)\)", line)
        if m:
            retired[m.group(1)] = timestamp(line)
    total_moved, longest = 0, 0.0
    for line in lines:
        m = re.search(r"\[worker-\d+:(\d+)/main\] INFO ConnectionMigrator - moved (\d+) connections", line)
        if m and m.group(1) in retired:
            took = (timestamp(line) - retired[m.group(1)]).total_seconds()
            print(f"worker_{m.group(1)}_moved={m.group(2)} in_s={took:.3f}")
            total_moved += int(m.group(2))
            longest = max(longest, took)
    for sock in sockets:
        ping(sock)
        sock.close()
    print(f"connections={count}")
    print(f"moved={total_moved}")
    print(f"longest_worker_move_s={longest:.3f}")
    if longest:
        print(f"moves_per_s={total_moved / len(retired) / longest:.0f}")


if __name__ == "__main__":
    mode, port, master, log, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    if mode == "pingpong":
        pingpong(port, master, count, float(sys.argv[6]))
    else:
        idle(port, master, log, count)
