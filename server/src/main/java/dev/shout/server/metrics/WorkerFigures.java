package dev.shout.server.metrics;

import java.util.Map;

/**
 * One worker's figures, or in thread mode the one process's. Counters are totals since the
 * server started, across the restarts of the worker slot.
 *
 * @param worker the slot, {@code 1} for worker-1; null in thread mode
 * @param restarts restarts of the slot by cause; empty in thread mode
 */
public record WorkerFigures(String worker, boolean up, int open, long opened, long received, long sent,
        long lost, long heapUsed, Map<String, Long> restarts) {

    public WorkerFigures {
        restarts = Map.copyOf(restarts);
    }
}
